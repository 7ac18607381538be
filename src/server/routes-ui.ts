import { profileModes } from '../pos/modes.js';
import { str } from '../pos/fields.js';
import { PosError } from '../pos/errors.js';
import { precision, requireShift } from '../pos/shift.js';
import type { Terminal } from '../pos/terminal.js';
import { callerOf } from './context.js';
import { pricingRoutes } from './routes-pricing.js';
import { screenRoutes } from './routes-screen.js';
import { route, type Route } from './routing.js';
import { noQuery } from './schemas.js';

/** The open shift, or null: the screen asks for the float before the first sale of a shift. */
function openShiftOf(term: Terminal) {
  try {
    const s = requireShift(term);
    return { opened_at: s.openedAt, opened_by: s.openedBy, float: s.float };
  } catch (e) {
    if (e instanceof PosError && e.kind === 'ShiftState') return null;
    throw e;
  }
}

/**
 * What the cashier's screen needs once before selling: who is logged in, the store and till,
 * the currency to format money in, and the modes of payment the POS Profile accepts (a sale
 * paid in another mode is refused by the till, so the screen offers only these).
 */
export function uiRoutes(): Route[] {
  return [
    route({
      method: 'GET',
      url: '/api/till',
      summary:
        "The till as the cashier's screen shows it: cashier, store, currency, modes, open shift",
      tag: 'Till',
      access: 'session',
      query: noQuery,
      handler: ({ caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const profile = terminal.profile();
        const company = terminal.company();
        const modes = profileModes(terminal);
        return {
          cashier: { id: cashier.id, name: cashier.name, role: cashier.role },
          store_id: terminal.settings.storeId,
          terminal_id: terminal.settings.terminalId,
          pos_profile: terminal.posProfile,
          company: str(company['company_name'] ?? company['name']),
          currency: str(profile['currency']) || str(company['default_currency']),
          currency_precision: precision(terminal),
          shift: openShiftOf(terminal),
          modes: modes.names.map((name) => ({
            mode_of_payment: name,
            type: modes.typeOf(name),
            default: name === modes.default,
          })),
        };
      },
    }),
    ...pricingRoutes(),
    ...screenRoutes(),
  ];
}
