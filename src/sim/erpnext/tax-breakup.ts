import { parseStoredDoc } from '../stored-json.js';
import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { pyFloat } from './stock.js';
import { readDoc } from './store.js';

/**
 * `other_charges_calculation`: the item-wise tax table ERPNext renders into an invoice on every
 * calculate_taxes_and_totals (get_itemised_tax_breakup_html in
 * erpnext/controllers/taxes_and_totals.py, template
 * erpnext/templates/includes/itemised_tax_breakup.html). The markup is rebuilt here text for
 * text, including the blank lines Jinja leaves where its tags stood, because the stored string
 * is what a client reads back.
 */

interface TaxCell {
  readonly rate: number;
  readonly amount: number;
}

/** get_itemised_tax: per item code, per tax description, [rate, amount] from the tax rows. */
function itemisedTax(taxes: Doc[]): Map<string, Map<string, TaxCell>> {
  const out = new Map<string, Map<string, TaxCell>>();
  for (const tax of taxes) {
    if (cstr(tax['category']) === 'Valuation') continue;
    const text = cstr(tax['item_wise_tax_detail']);
    const detail = text ? parseStoredDoc(text, `item_wise_tax_detail of ${cstr(tax['name'])}`) : {};
    for (const [code, data] of Object.entries(detail)) {
      const cells = out.get(code) ?? new Map<string, TaxCell>();
      out.set(code, cells);
      const [rate, amount] = Array.isArray(data) ? [flt(data[0]), flt(data[1])] : [flt(data), 0];
      cells.set(cstr(tax['description']), { rate, amount });
    }
  }
  return out;
}

/** Frappe's fmt_money for the site's number format, with the currency symbol on the left. */
function fmtMoney(ctx: SiteContext, amount: number, currency: string): string {
  const precision = cint(ctx.db.getDefaults()['currency_precision']) || 2;
  const fixed = (Math.round(Math.abs(amount) * 10 ** precision) / 10 ** precision).toFixed(
    precision,
  );
  const [whole = '0', decimals = ''] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const number = `${amount < 0 && Number(fixed) !== 0 ? '-' : ''}${grouped}.${decimals}`;
  const cur = readDoc(ctx, 'Currency', currency);
  const symbol = cstr(cur?.['symbol']) || currency;
  return cint(cur?.['symbol_on_right']) ? `${number} ${symbol}` : `${symbol} ${number}`;
}

const t = (n: number): string => '\t'.repeat(n);

/** The rendered breakup, or null for an invoice without taxes (ERPNext returns None). */
export function taxBreakupHtml(ctx: SiteContext, doc: Doc): string | null {
  const taxes = rowsOf(doc, 'taxes');
  if (taxes.length === 0) return null;
  const accounts: string[] = [];
  for (const tax of taxes) {
    if (cstr(tax['category']) === 'Valuation') continue;
    const d = cstr(tax['description']);
    if (!accounts.includes(d)) accounts.push(d);
  }
  const taxable = new Map<string, number>();
  for (const item of rowsOf(doc, 'items')) {
    const code = cstr(item['item_code']) || cstr(item['item_name']);
    taxable.set(code, (taxable.get(code) ?? 0) + flt(item['net_amount']));
  }
  const isReturn = cint(doc['is_return']) === 1;
  const currency = cstr(doc['currency']);
  const conversion = flt(doc['conversion_rate']) || 1;
  const money = (v: number): string => fmtMoney(ctx, isReturn ? Math.abs(v) : v, currency);
  const headers = ['Item', 'Taxable Amount', ...accounts];
  let html = `<div class="tax-break-up" style="overflow-x: auto;">\n${t(1)}<table class="table table-bordered table-hover">\n${t(2)}<thead>\n${t(3)}<tr>\n${t(4)}`;
  headers.forEach((key, i) => {
    const align = i === 0 ? 'left' : 'right';
    html += `\n${t(5)}\n${t(6)}<th class="text-${align}">${key}</th>\n${t(5)}\n${t(4)}`;
  });
  html += `\n${t(3)}</tr>\n${t(2)}</thead>\n${t(2)}<tbody>\n${t(3)}`;
  for (const [code, cells] of itemisedTax(taxes)) {
    html += `\n${t(4)}<tr>\n${t(5)}<td>${code}</td>\n${t(5)}<td class="text-right">\n${t(6)}`;
    html += `\n${t(7)}${money(taxable.get(code) ?? 0)}\n${t(6)}\n${t(5)}</td>\n${t(5)}`;
    for (const account of accounts) {
      html += `\n${t(6)}\n${t(6)}`;
      const cell = cells.get(account);
      if (!cell) {
        html += `\n${t(7)}<td></td>\n${t(6)}\n${t(5)}`;
        continue;
      }
      const amount = Math.round(cell.amount * 100) / 100;
      html += `\n${t(7)}<td class="text-right">\n${t(8)}`;
      if (cell.rate || !amount) html += `\n${t(9)}(${pyFloat(cell.rate)}%)\n${t(8)}`;
      html += `\n${t(8)}\n${t(9)}${money(amount / conversion)}\n${t(8)}\n${t(7)}</td>\n${t(6)}\n${t(5)}`;
    }
    html += `\n${t(4)}</tr>\n${t(3)}`;
  }
  return `${html}\n${t(2)}</tbody>\n${t(1)}</table>\n</div>`;
}
