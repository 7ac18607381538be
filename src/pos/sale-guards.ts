import { Dec, type Quote } from '../core/index.js';
import type { Cashier } from './cashiers.js';
import { PosError, invalid } from './errors.js';
import type { ProfileModes } from './modes.js';
import type { Payment } from './payment.js';
import type { SaleInput } from './sale.js';
import type { Terminal } from './terminal.js';

type Rec = Record<string, unknown>;

/** What needs a manager in this cart, with the details the override record keeps. */
export function approvalsNeeded(
  term: Terminal,
  input: SaleInput,
): { action: string; detail: Rec }[] {
  const profile = term.profile();
  const out: { action: string; detail: Rec }[] = [];
  if (input.discountPercent !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(input.discountPercent) || new Dec(input.discountPercent).gt(100)) {
      throw invalid('discount', `${input.discountPercent} is not a percentage from 0 to 100`);
    }
    const pct = new Dec(input.discountPercent);
    const own =
      Number(profile['allow_discount_change']) === 1
        ? term.settings.cashierMaxDiscountPercent
        : new Dec(0);
    if (pct.gt(own)) {
      out.push({
        action: 'discount',
        detail: { percent: pct.toFixed(), cashier_limit: own.toFixed() },
      });
    }
  }
  const overrides = input.lines.filter((l) => l.rate !== undefined);
  if (overrides.length > 0 && Number(profile['allow_rate_change']) !== 1) {
    out.push({
      action: 'price_override',
      detail: { lines: overrides.map((l) => ({ item: l.item_code ?? l.barcode, rate: l.rate })) },
    });
  }
  return out;
}

/** The offline rules (journal.md: sell on, but within bounds a manager can widen). */
export function checkOffline(
  term: Terminal,
  q: Quote,
  payments: readonly Payment[],
  modes: ProfileModes,
  manager: Cashier | undefined,
): { offline: boolean; extend: boolean } {
  const c = term.connectivity();
  if (c.online) return { offline: false, extend: false };
  const o = term.settings.offline;
  let extend = false;
  if (c.hoursSince === null) {
    throw new PosError(
      'NotReady',
      'this store has never reached ERPNext: run `outpost sync --pull --once`',
    );
  }
  if (c.hoursSince > o.maxHours) {
    const until = term.state('offline_extended_until');
    const extended = until !== undefined && Date.parse(until) > term.clock.now();
    if (!extended && !manager) {
      throw new PosError(
        'OfflineLimit',
        `ERPNext last answered ${c.hoursSince.toFixed(1)} h ago (limit ${o.maxHours} h): selling stops until it is reached again or a manager extends the limit (--manager ID --manager-pin PIN)`,
        'offline',
      );
    }
    extend = !extended;
  }
  if (o.maxSaleAmount && q.doc.grand_total.gt(o.maxSaleAmount)) {
    throw new PosError(
      'OfflineLimit',
      `offline, a sale may not exceed ${o.maxSaleAmount.toFixed()} (this one is ${q.doc.grand_total.toFixed()})`,
      'grand_total',
    );
  }
  for (const p of payments) {
    const allowed = o.modes ? o.modes.includes(p.mode) : modes.typeOf(p.mode) === 'Cash';
    if (!allowed) {
      throw new PosError(
        'OfflineLimit',
        `offline, ${p.mode} is not accepted (${o.modes ? o.modes.join(', ') : 'cash only'})`,
        'payments',
      );
    }
  }
  return { offline: true, extend };
}
