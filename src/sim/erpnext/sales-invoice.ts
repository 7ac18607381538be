import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { dbSet } from '../document.js';
import type { HookRegistry } from '../hooks.js';
import { postSalesGl } from './general-ledger.js';
import { makeEarnEntry } from './loyalty.js';
import { beforeSave, setInWords, setPostingTime, unsetZeroPrice } from './pos-invoice.js';
import { setDefaultIncomeAccounts, setItemAccounts, setPartyDetails } from './pos-invoice-fill.js';
import { reprice } from './pricing.js';
import { validateReturnedItems } from './returns.js';
import { postStock } from './stock-ledger.js';
import { findDocs, readDoc } from './store.js';

/** SalesInvoice.set_status for a submitted invoice. */
function siStatus(doc: Doc): string {
  const docstatus = cint(doc['docstatus']);
  if (docstatus === 2) return 'Cancelled';
  if (docstatus === 0) return 'Draft';
  if (cint(doc['is_return'])) return 'Return';
  return flt(doc['outstanding_amount']) > 0 ? 'Unpaid' : 'Paid';
}

/** The valuation rate a sale would leave at (set_incoming_rate): the Bin's, else the item's. */
function incomingRate(ctx: SiteContext, item: string, warehouse: string): number {
  const bin = findDocs(ctx, 'Bin', [
    ['item_code', '=', item],
    ['warehouse', '=', warehouse],
  ])[0];
  return flt(bin?.['valuation_rate']) || flt(readDoc(ctx, 'Item', item)?.['valuation_rate']);
}

const outstanding = (doc: Doc, total: number): number =>
  Math.round(
    (total - flt(doc['paid_amount']) - flt(doc['write_off_amount']) + flt(doc['change_amount'])) *
      100,
  ) / 100;

function validate(doc: Doc, ctx: SiteContext): void {
  const isNew = !ctx.db.exists('Sales Invoice', cstr(doc['name']));
  const company = readDoc(ctx, 'Company', cstr(doc['company']));
  setPartyDetails(ctx, doc, company);
  doc['posting_date'] ||= ctx.time.today();
  doc['due_date'] ||= doc['posting_date'];
  if (cint(doc['is_pos']) && cstr(doc['pos_profile'])) {
    // A consolidated invoice carries net rates with price_list_rate 0 on purpose.
    const items = cint(doc['is_consolidated'])
      ? rowsOf(doc, 'items')
      : rowsOf(doc, 'items').map(unsetZeroPrice);
    const paidMissing = doc['paid_amount'] === undefined || doc['paid_amount'] === null;
    const sentWarehouse = doc['set_warehouse'];
    // merge_pos_invoice_into zeroes price_list_rate but leaves the base one as it was.
    const basePlr = rowsOf(doc, 'items').map((r) => r['base_price_list_rate']);
    reprice(ctx, 'Sales Invoice', doc, { ...doc, items, docstatus: 0 });
    if (cint(doc['is_consolidated'])) {
      rowsOf(doc, 'items').forEach((r, i) => {
        if (basePlr[i] !== undefined) r['base_price_list_rate'] = basePlr[i];
      });
    }
    if (paidMissing) doc['paid_amount'] = 0;
    // set_pos_fields fills set_warehouse on POS Invoice only.
    doc['set_warehouse'] = sentWarehouse;
  }
  const profile = readDoc(ctx, 'POS Profile', cstr(doc['pos_profile']));
  doc['cost_center'] ||= profile?.['cost_center'];
  doc['write_off_account'] ||= profile?.['write_off_account'];
  doc['write_off_cost_center'] ||= profile?.['write_off_cost_center'];
  doc['payment_terms_template'] ??= '';
  doc['po_no'] ??= '';
  doc['amount_eligible_for_commission'] = rowsOf(doc, 'items')
    .filter((r) => cint(r['grant_commission']))
    .reduce((s, r) => s + flt(r['base_net_amount']), 0);
  for (const r of rowsOf(doc, 'items')) {
    r['stock_uom_rate'] = flt(r['rate']) / (flt(r['conversion_factor']) || 1);
  }
  setItemAccounts(ctx, doc, company);
  setDefaultIncomeAccounts(ctx, doc);
  const incomes = new Set(rowsOf(doc, 'items').map((r) => cstr(r['income_account'])));
  doc['against_income_account'] = [...incomes].join(',');
  if (cint(doc['update_stock'])) {
    for (const r of rowsOf(doc, 'items')) {
      r['incoming_rate'] ||= incomingRate(ctx, cstr(r['item_code']), cstr(r['warehouse']));
    }
  }
  doc['tax_category'] ??= '';
  setInWords(ctx, doc, company);
  setPostingTime(ctx, doc, isNew);
  validateReturnedItems(ctx, 'Sales Invoice', doc);
  if (cint(doc['docstatus']) === 0) beforeSave(ctx, doc);
  const total = flt(doc['rounded_total']) || flt(doc['grand_total']);
  // A new invoice shows 0 outstanding; the ledger's figure is stored on submit (below).
  doc['outstanding_amount'] = isNew ? 0 : outstanding(doc, total);
  doc['status'] = isNew ? 'Draft' : siStatus(doc);
}

/** ERPNext's Sales Invoice controller for POS use: stock, ledger and loyalty on submit. */
export function registerSalesInvoice(hooks: HookRegistry): void {
  hooks.register('Sales Invoice', {
    validate,
    beforeSubmit: (doc) => {
      doc['remarks'] ||= 'No Remarks';
    },
    onSubmit: (doc, ctx) => {
      const moved = cint(doc['update_stock'])
        ? postStock(ctx, 'Sales Invoice', doc)
        : new Map<string, number>();
      postSalesGl(ctx, doc, moved);
      // Consolidated invoices skip loyalty: their POS Invoices already earned the points.
      if (
        !cint(doc['is_consolidated']) &&
        !cint(doc['is_return']) &&
        cstr(doc['loyalty_program'])
      ) {
        makeEarnEntry(ctx, 'Sales Invoice', doc);
      }
      // Stored, not shown: the response of an insert-and-submit still reads Draft / 0 (091).
      const total = flt(doc['rounded_total']) || flt(doc['grand_total']);
      const stored = { ...doc, outstanding_amount: outstanding(doc, total) };
      dbSet(ctx, 'Sales Invoice', stored, { status: siStatus(stored) });
    },
  });
}
