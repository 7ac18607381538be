import { profileModes } from '../pos/modes.js';
import { str } from '../pos/fields.js';
import { precision } from '../pos/shift.js';
import { callerOf } from './context.js';
import { route, type Route } from './routing.js';
import { noQuery } from './schemas.js';

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
      summary: "The till as the cashier's screen shows it: cashier, store, currency, modes",
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
          modes: modes.names.map((name) => ({
            mode_of_payment: name,
            type: modes.typeOf(name),
            default: name === modes.default,
          })),
        };
      },
    }),
  ];
}
