import { Dec } from '../core/index.js';
import { distribute } from './distribute.js';
import type { InvoiceView } from './invoice.js';
import { formatMoney, formatPercent } from './money.js';

/** One rate of the tax summary, e.g. code "A", rate "20%", net "22.54", tax "4.51". */
export interface TaxLine {
  readonly code: string;
  readonly rate: string;
  readonly net: string;
  readonly tax: string;
  readonly gross: string;
}

/** One rate's exact figures, for the journal header (decimal strings at the currency places). */
export interface RateFigures {
  readonly rate: string;
  readonly net: string;
  readonly tax: string;
}

interface TaxSummary {
  readonly lines: readonly TaxLine[];
  readonly figures: readonly RateFigures[];
  /** item_code -> the code printed beside its lines ("" when the invoice has no taxes). */
  readonly codeOf: (itemCode: string) => string;
}

/**
 * Net, tax and gross per tax rate, the way fiscal receipts print them.
 * A line's rate is the sum of its item-wise rates on "On Net Total" rows (an Item Tax Template
 * may change it per item). Each tax row's amount is split over the rates by its item-wise
 * amounts with largest remainder, so the printed taxes add up to the invoice's tax exactly.
 */
export function taxSummary(inv: InvoiceView): TaxSummary {
  if (inv.taxes.length === 0) {
    const net = inv.lines.reduce((a, l) => a.plus(l.netAmount), new Dec(0));
    const figures = inv.lines.length
      ? [
          {
            rate: '0',
            net: net.toFixed(inv.money.places),
            tax: new Dec(0).toFixed(inv.money.places),
          },
        ]
      : [];
    return { lines: [], figures, codeOf: () => '' };
  }
  const rateOf = (code: string): Dec =>
    inv.taxes
      .filter((t) => t.chargeType === 'On Net Total')
      .reduce((a, t) => a.plus(t.perItem.get(code)?.[0] ?? 0), new Dec(0));

  const groups = new Map<string, { rate: Dec; codes: Set<string>; net: Dec; tax: Dec }>();
  for (const line of inv.lines) {
    const rate = rateOf(line.itemCode);
    const key = rate.toFixed();
    const group = groups.get(key) ?? {
      rate,
      codes: new Set<string>(),
      net: new Dec(0),
      tax: new Dec(0),
    };
    group.codes.add(line.itemCode);
    group.net = group.net.plus(line.netAmount);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort((a, b) => b.rate.comparedTo(a.rate));
  for (const tax of inv.taxes) {
    const weights = ordered.map((g) =>
      [...g.codes].reduce((a, code) => a.plus(tax.perItem.get(code)?.[1] ?? 0), new Dec(0)),
    );
    distribute(tax.amount, weights, inv.money.places).forEach((part, i) => {
      const group = ordered[i];
      if (group) group.tax = group.tax.plus(part);
    });
  }

  const letters = new Map<string, string>();
  const lines = ordered.map((g, i) => {
    const code = String.fromCharCode(65 + (i % 26));
    for (const item of g.codes) letters.set(item, code);
    return {
      code,
      rate: formatPercent(g.rate),
      net: formatMoney(g.net, inv.money),
      tax: formatMoney(g.tax, inv.money),
      gross: formatMoney(g.net.plus(g.tax), inv.money),
    };
  });
  const figures = ordered.map((g) => ({
    rate: g.rate.toFixed(),
    net: g.net.toFixed(inv.money.places),
    tax: g.tax.toFixed(inv.money.places),
  }));
  return { lines, figures, codeOf: (itemCode) => letters.get(itemCode) ?? '' };
}
