import type { Quote } from '../api/schemas';
import type { Formats } from '../format';

/** The totals exactly as the node priced them (ERPNext's fields, its rounding). */
export function Totals({
  quote,
  f,
  by,
}: {
  quote: Quote | null;
  f: Formats;
  /** Whose price it is, for tests and benchmarks: the page's until the node's comes. */
  by?: string | null;
}) {
  if (!quote) return null;
  const rows: [string, string, string?][] = [['Net total', f.money(quote.net_total)]];
  if (quote.discount_amount !== 0) rows.push(['Discount', `−${f.money(quote.discount_amount)}`]);
  for (const t of quote.taxes) {
    if (t.tax_amount !== 0) rows.push([t.description, f.money(t.tax_amount)]);
  }
  if (quote.rounding_adjustment !== 0) {
    rows.push(['Rounding', f.money(quote.rounding_adjustment)]);
  }
  rows.push(['Total', f.money(quote.rounded_total || quote.grand_total), 'grand-total']);
  return (
    <dl className="totals" aria-label="Totals" data-priced-by={by ?? undefined}>
      {rows.map(([label, value, id]) => (
        <div key={label} className={id ? 'grand' : ''}>
          <dt>{label}</dt>
          <dd {...(id ? { 'data-testid': id } : {})}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
