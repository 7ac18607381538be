import { parseExtracted } from '../stored-json.js';
import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { dbSet } from '../document.js';
import type { HookRegistry } from '../hooks.js';
import { postSalesGl } from './general-ledger.js';
import { cancelGl, cancelStock } from './cancel-ledgers.js';
import { cancelLoyalty, submitLoyalty } from './loyalty.js';
import { beforeSave, setInWords, setPostingTime, unsentPriceDropped } from './pos-invoice.js';
import { setDefaultIncomeAccounts, setItemAccounts, setPartyDetails } from './pos-invoice-fill.js';
import { reprice } from './pricing.js';
import { taxBreakupHtml } from './tax-breakup.js';
import { validateReturnedItems, validateReturnedQty } from './returns.js';
import { postStock } from './stock-ledger.js';
import { findDocs, findNames, readDoc } from './store.js';

/**
 * get_pricing_rule_for_item with ignore_pricing_rule on a document already in the database
 * (erpnext/accounts/doctype/pricing_rule/pricing_rule.py, remove_pricing_rule_for_item): a row
 * that still names pricing rules loses their discount, its rate falls back to the price list
 * rate (0 on a consolidated row) and set_missing_item_details writes that back
 * (pricing_rule_removed). A consolidated invoice meets this on its submit; its amounts stay, as
 * calculate_item_values skips consolidated invoices.
 */
function removePricingRules(ctx: SiteContext, doc: Doc): void {
  for (const row of rowsOf(doc, 'items')) {
    const names = cstr(row['pricing_rules']);
    if (!names) continue;
    // get_applied_pricing_rules: a JSON list, or (older documents) a comma-separated string.
    const list = names.trimStart().startsWith('[')
      ? parseExtracted(names, `pricing_rules of ${cstr(row['name'])}`).map(cstr)
      : names.split(',').map((n) => n.trim());
    const rules = list.map((n) => readDoc(ctx, 'Pricing Rule', n));
    for (const rule of rules) {
      if (!rule || cstr(rule['price_or_product_discount']) !== 'Price') continue;
      if (cstr(rule['rate_or_discount']) === 'Discount Percentage') {
        row['discount_percentage'] = 0;
        row['discount_amount'] = 0;
        row['rate'] = flt(row['price_list_rate']);
      }
      if (cstr(rule['rate_or_discount']) === 'Discount Amount') row['discount_amount'] = 0;
    }
    row['pricing_rules'] = '';
  }
}

/** SalesInvoice.set_status for a saved invoice (overdue and partly paid states aside). */
function siStatus(ctx: SiteContext, doc: Doc): string {
  const docstatus = cint(doc['docstatus']);
  if (docstatus === 2) return 'Cancelled';
  if (docstatus === 0) return 'Draft';
  if (cint(doc['is_return'])) return 'Return';
  if (flt(doc['outstanding_amount']) > 0) return 'Unpaid';
  const returned = findNames(ctx, 'Sales Invoice', [
    ['is_return', '=', 1],
    ['return_against', '=', cstr(doc['name'])],
    ['docstatus', '=', 1],
  ]);
  return returned.length > 0 ? 'Credit Note Issued' : 'Paid';
}

/** A submitted credit note restates its original's status ("Credit Note Issued"). */
function restateOriginal(ctx: SiteContext, doc: Doc): void {
  const original = readDoc(ctx, 'Sales Invoice', cstr(doc['return_against']));
  if (!original || cint(original['docstatus']) !== 1) return;
  dbSet(ctx, 'Sales Invoice', original, {
    status: siStatus(ctx, original),
    modified: ctx.time.stamp(),
  });
}

/** The valuation rate a sale would leave at (set_incoming_rate): the Bin's, else the item's. */
function incomingRate(ctx: SiteContext, item: string, warehouse: string): number {
  const bin = findDocs(ctx, 'Bin', [
    ['item_code', '=', item],
    ['warehouse', '=', warehouse],
  ])[0];
  return flt(bin?.['valuation_rate']) || flt(readDoc(ctx, 'Item', item)?.['valuation_rate']);
}

/**
 * What the receivable still holds: on submit ERPNext takes it from the payment ledger
 * (update_voucher_outstanding after make_gl_entries), where a loyalty redemption is a credit of
 * its own. paid_amount leaves the points out once before_save ran (set_paid_amount), so they
 * are taken off here; in a draft's validate calculate_paid_amount counts them in paid_amount
 * instead, which comes to the same figure (erpnext/controllers/taxes_and_totals.py).
 */
const outstanding = (doc: Doc, total: number): number => {
  const points = cint(doc['redeem_loyalty_points']) ? flt(doc['loyalty_amount']) : 0;
  // The ledger credits the receivable with each payment row's base_amount (make_pos_gl_entries;
  // none when it is unset, as after an insert-as-submitted [099]), whatever
  // paid_amount says (a submit may carry one that already counts the points).
  const payments = cint(doc['is_pos'])
    ? rowsOf(doc, 'payments').reduce((sum, r) => sum + flt(r['base_amount']), 0)
    : flt(doc['paid_amount']);
  const paid = payments + flt(doc['write_off_amount']) + points;
  return Math.round((total - paid + flt(doc['change_amount'])) * 100) / 100;
};

/**
 * SalesInvoice.validate: a redemption books to the program's expense account and cost center
 * unless the invoice names its own (erpnext/accounts/doctype/sales_invoice/sales_invoice.py).
 */
function setRedemptionAccounts(ctx: SiteContext, doc: Doc): void {
  if (!cint(doc['redeem_loyalty_points'])) return;
  const program = readDoc(ctx, 'Loyalty Program', cstr(doc['loyalty_program']));
  doc['loyalty_redemption_account'] ||= program?.['expense_account'];
  doc['loyalty_redemption_cost_center'] ||= program?.['cost_center'];
}

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
      : rowsOf(doc, 'items').map(unsentPriceDropped);
    const paidMissing = doc['paid_amount'] === undefined || doc['paid_amount'] === null;
    const sentWarehouse = doc['set_warehouse'];
    // merge_pos_invoice_into zeroes price_list_rate but leaves the base one as it was.
    const basePlr = rowsOf(doc, 'items').map((r) => r['base_price_list_rate']);
    // A consolidated invoice keeps the merged item-wise tax split (initialize_taxes skips it).
    const taxDetail = rowsOf(doc, 'taxes').map((t) => t['item_wise_tax_detail']);
    reprice(ctx, 'Sales Invoice', doc, { ...doc, items, docstatus: 0 });
    if (cint(doc['is_consolidated'])) {
      rowsOf(doc, 'items').forEach((r, i) => {
        if (basePlr[i] !== undefined) r['base_price_list_rate'] = basePlr[i];
      });
      rowsOf(doc, 'taxes').forEach((t, i) => {
        if (taxDetail[i] !== undefined) t['item_wise_tax_detail'] = taxDetail[i];
      });
      if (!isNew) removePricingRules(ctx, doc);
    }
    doc['other_charges_calculation'] = taxBreakupHtml(ctx, doc);
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
  setRedemptionAccounts(ctx, doc);
  setInWords(ctx, doc, company);
  setPostingTime(ctx, doc, isNew);
  validateReturnedItems(ctx, 'Sales Invoice', doc);
  validateReturnedQty(ctx, 'Sales Invoice', doc);
  if (cint(doc['docstatus']) === 0) beforeSave(ctx, doc);
  const total = flt(doc['rounded_total']) || flt(doc['grand_total']);
  // A new invoice shows 0 outstanding; the ledger's figure is stored on submit (below).
  doc['outstanding_amount'] = isNew ? 0 : outstanding(doc, total);
  doc['status'] = isNew ? 'Draft' : siStatus(ctx, doc);
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
      // Consolidated invoices skip loyalty: their POS Invoices already earned and redeemed the
      // points. Otherwise as POS Invoice: earn (a return recomputes its original) and book a
      // redemption (SalesInvoice.on_submit → apply_loyalty_points).
      if (!cint(doc['is_consolidated'])) submitLoyalty(ctx, 'Sales Invoice', doc);
      // Stored, not shown: the response of an insert-and-submit still reads Draft / 0 (091).
      const total = flt(doc['rounded_total']) || flt(doc['grand_total']);
      const stored = { ...doc, outstanding_amount: outstanding(doc, total) };
      dbSet(ctx, 'Sales Invoice', stored, { status: siStatus(ctx, stored) });
      if (cint(doc['is_return']) && cstr(doc['return_against'])) restateOriginal(ctx, doc);
    },
    onCancel: (doc, ctx) => {
      const moved = cancelStock(ctx, 'Sales Invoice', doc);
      cancelGl(ctx, 'Sales Invoice', doc);
      if (!cint(doc['is_consolidated'])) cancelLoyalty(ctx, 'Sales Invoice', doc);
      doc['status'] = 'Cancelled';
      // Written to the rows in the database only: the reply still shows the document as it
      // was loaded (frappe.db.set_value in delink_serial_and_batch_bundle), a GET shows "".
      const stored = structuredClone(doc);
      for (const row of rowsOf(stored, 'items')) {
        if (moved.has(cstr(row['name']))) row['serial_and_batch_bundle'] = '';
      }
      dbSet(ctx, 'Sales Invoice', stored, {});
      if (cint(doc['is_return']) && cstr(doc['return_against'])) restateOriginal(ctx, doc);
    },
  });
}
