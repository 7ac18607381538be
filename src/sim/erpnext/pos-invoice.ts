import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { dbSet } from '../document.js';
import { FrappeError, throwError } from '../errors.js';
import type { HookRegistry } from '../hooks.js';
import { cancelLoyalty, submitLoyalty } from './loyalty.js';
import { setDefaultIncomeAccounts, setItemAccounts, setPartyDetails } from './pos-invoice-fill.js';
import { reprice } from './pricing.js';
import { validateReturnedItems, validateReturnedQty } from './returns.js';
import { pyFloat, stockAvailability } from './stock.js';
import { findNames, readDoc } from './store.js';
import { taxBreakupHtml } from './tax-breakup.js';
import { moneyInWords } from './words.js';

const erp = { fromErpnext: true } as const;

/** Frappe's permlevel rule: only roles with a permlevel-1 DocPerm may write these fields. */
function mayWritePermlevel1(ctx: SiteContext): boolean {
  return ctx.roles.has('Administrator') || ctx.roles.has('Accounts Manager');
}

/** A Python TypeError raised inside ERPNext's controller: HTTP 500. */
function typeError(message: string): FrappeError {
  return new FrappeError('TypeError', 500, message, { module: '', fromErpnext: true });
}

function validateOpeningEntry(ctx: SiteContext, doc: Doc): void {
  const profile = cstr(doc['pos_profile']);
  const open = findNames(ctx, 'POS Opening Entry', [
    ['pos_profile', '=', profile],
    ['status', '=', 'Open'],
    ['docstatus', '=', 1],
  ]);
  if (open.length === 0) {
    throw throwError(
      'ValidationError',
      `No open POS Opening Entry found for POS Profile <strong>${profile}</strong>.`,
      { title: 'POS Opening Entry Missing', ...erp },
    );
  }
}

/** validate_auto_set_posting_time: without set_posting_time the sale is dated now. */
export function setPostingTime(ctx: SiteContext, doc: Doc, isNew: boolean): void {
  if (isNew && doc['amended_from']) doc['set_posting_time'] = 1;
  if (cint(doc['set_posting_time'])) {
    doc['posting_time'] ||= ctx.time.stamp().slice(11);
    return;
  }
  const stamp = ctx.time.stamp();
  doc['posting_date'] = stamp.slice(0, 10);
  doc['posting_time'] = stamp.slice(11);
}

function validateStock(ctx: SiteContext, doc: Doc): void {
  if (cint(doc['is_return'])) return;
  const profile = readDoc(ctx, 'POS Profile', cstr(doc['pos_profile']));
  if (cint(doc['docstatus']) === 0 && !cint(profile?.['validate_stock_on_save'])) return;
  const settings = readDoc(ctx, 'Stock Settings', 'Stock Settings');
  for (const row of rowsOf(doc, 'items')) {
    if (row['serial_and_batch_bundle']) continue;
    const code = cstr(row['item_code']);
    // ERPNext returns here, skipping every later row (a recorded quirk, kept).
    if (cint(settings?.['allow_negative_stock'])) return;
    if (cint(readDoc(ctx, 'Item', code)?.['allow_negative_stock'])) return;
    const wh = cstr(row['warehouse']);
    const [available, isStock] = stockAvailability(ctx, code, wh);
    const where = `Item Code: <strong>${code}</strong> under warehouse <strong>${wh}</strong>`;
    if (isStock && available <= 0) {
      throw throwError('ValidationError', `Row #${cint(row['idx'])}: ${where} is not available.`, {
        title: 'Item Unavailable',
        ...erp,
      });
    }
    if (isStock && available < flt(row['stock_qty'])) {
      throw throwError(
        'ValidationError',
        `Row #${cint(row['idx'])}: Stock quantity not enough for ${where}. Available quantity ${pyFloat(available)}.`,
        { title: 'Item Unavailable', ...erp },
      );
    }
  }
}

/** POSInvoice.set_status for a saved document. */
function invoiceStatus(ctx: SiteContext, doc: Doc): string {
  const docstatus = cint(doc['docstatus']);
  if (docstatus === 2) return 'Cancelled';
  if (docstatus === 0) return 'Draft';
  if (cstr(doc['consolidated_invoice'])) return 'Consolidated';
  if (flt(doc['outstanding_amount']) > 0) return 'Unpaid';
  if (cint(doc['is_return'])) return 'Return';
  const returned = findNames(ctx, 'POS Invoice', [
    ['is_return', '=', 1],
    ['return_against', '=', cstr(doc['name'])],
    ['docstatus', '=', 1],
  ]);
  return returned.length > 0 ? 'Credit Note Issued' : 'Paid';
}

/**
 * A row whose price_list_rate was not sent (None on a new Frappe row) goes to the engine without
 * one, so get_item_details fills it; a price sent or stored, 0 included, stays as it is
 * (set_missing_item_details fills only None: erpnext/controllers/accounts_controller.py). A free
 * row sent at price_list_rate 0 and rate 0 with ignore_pricing_rule so stays free.
 */
export function unsentPriceDropped(row: Doc): Doc {
  if (row['price_list_rate'] !== undefined && row['price_list_rate'] !== null) return row;
  const out: Doc = { ...row };
  delete out['price_list_rate'];
  delete out['base_price_list_rate'];
  return out;
}

/** Engine refusals that come after the opening-entry check in POSInvoice.validate. */
function isLateCheck(e: FrappeError): boolean {
  if (e.excType === 'PartialPaymentValidationError') return true;
  if (e.excType !== 'ValidationError') return false;
  return /mode of payment|Payment Table|Paid amount|Loyalty|loyalty/.test(e.message);
}

/** POSInvoice.validate, in ERPNext's order where it can be observed. */
function validate(doc: Doc, ctx: SiteContext): void {
  if (!cint(doc['is_pos'])) {
    throw throwError(
      'ValidationError',
      'POS Invoice should have the field <strong>Include Payment</strong> checked.',
      erp,
    );
  }
  const isNew = !ctx.db.exists('POS Invoice', cstr(doc['name']));
  if (!mayWritePermlevel1(ctx)) {
    // Frappe puts back the stored value (a new document: the default) without a word.
    const stored = isNew ? undefined : readDoc(ctx, 'POS Invoice', cstr(doc['name']));
    doc['ignore_pricing_rule'] = cint(stored?.['ignore_pricing_rule']);
  }
  const paidMissing = doc['paid_amount'] === undefined || doc['paid_amount'] === null;
  const company = readDoc(ctx, 'Company', cstr(doc['company']));
  setPartyDetails(ctx, doc, company);
  doc['posting_date'] ||= ctx.time.today();
  doc['due_date'] ||= doc['posting_date'];
  // The engine would refuse an unpaid submit itself; ERPNext fails on None first (below).
  const draft: Doc = { ...doc, items: rowsOf(doc, 'items').map(unsentPriceDropped) };
  if (paidMissing) draft['docstatus'] = 0;
  const sentChange = doc['change_amount'];
  try {
    reprice(ctx, 'POS Invoice', doc, draft);
  } catch (e) {
    // The engine also runs checks ERPNext makes after validate_pos_opening_entry.
    if (e instanceof FrappeError && isLateCheck(e)) validateOpeningEntry(ctx, doc);
    throw e;
  }
  doc['tax_category'] ??= '';
  doc['other_charges_calculation'] = taxBreakupHtml(ctx, doc);
  setInWords(ctx, doc, company);
  if (paidMissing) {
    // ERPNext's validate sees paid_amount None: no change is computed before before_save.
    doc['paid_amount'] = null;
    doc['change_amount'] = flt(sentChange);
    doc['base_change_amount'] = flt(sentChange);
  }
  setItemAccounts(ctx, doc, company);
  setDefaultIncomeAccounts(ctx, doc);
  validateOpeningEntry(ctx, doc);
  setPostingTime(ctx, doc, isNew);
  const total = flt(doc['rounded_total']) || flt(doc['grand_total']);
  if (paidMissing && total < 0) {
    throw typeError("unsupported operand type(s) for -: 'NoneType' and 'float'");
  }
  if (!paidMissing) doc['base_paid_amount'] = flt(doc['base_paid_amount']) || doc['paid_amount'];
  validateStock(ctx, doc);
  validateReturnedItems(ctx, 'POS Invoice', doc);
  validateReturnedQty(ctx, 'POS Invoice', doc);
  const profile = readDoc(ctx, 'POS Profile', cstr(doc['pos_profile']));
  if (paidMissing && cint(doc['docstatus']) === 1 && !cint(profile?.['allow_partial_payment'])) {
    throw typeError("'<' not supported between instances of 'NoneType' and 'float'");
  }
  doc['status'] = isNew ? 'Draft' : invoiceStatus(ctx, doc);
  if (cint(doc['docstatus']) === 0) beforeSave(ctx, doc);
}

/** money_in_words of the (rounded) total, in the invoice and the company currency. */
export function setInWords(ctx: SiteContext, doc: Doc, company: Doc | undefined): void {
  const fraction = (cur: string): string =>
    cstr(readDoc(ctx, 'Currency', cur)?.['fraction']) || 'Cent';
  const disabled = cint(doc['disable_rounded_total']);
  const total = flt(disabled ? doc['grand_total'] : doc['rounded_total'] || doc['grand_total']);
  const base = flt(
    disabled ? doc['base_grand_total'] : doc['base_rounded_total'] || doc['base_grand_total'],
  );
  const cur = cstr(doc['currency']);
  const companyCur = cstr(company?.['default_currency']) || cur;
  // Returns print their amount without the sign.
  doc['in_words'] = moneyInWords(Math.abs(total), cur, fraction(cur));
  doc['base_in_words'] = moneyInWords(Math.abs(base), companyCur, fraction(companyCur));
}

/**
 * SalesInvoice.before_save, which Frappe runs for a draft save only (not on submit): payment
 * accounts from the Mode of Payment, base amounts and paid_amount = Σ payments.
 */
export function beforeSave(ctx: SiteContext, doc: Doc): void {
  const company = cstr(doc['company']);
  const rate = flt(doc['conversion_rate']) || 1;
  let paid = 0;
  let basePaid = 0;
  for (const p of rowsOf(doc, 'payments')) {
    const mode = readDoc(ctx, 'Mode of Payment', cstr(p['mode_of_payment']));
    const acc = rowsOf(mode ?? {}, 'accounts').find((a) => cstr(a['company']) === company);
    p['account'] = acc ? acc['default_account'] : null;
    p['base_amount'] = Math.round(flt(p['amount']) * rate * 100) / 100;
    paid += flt(p['amount']);
    basePaid += flt(p['base_amount']);
  }
  doc['paid_amount'] = paid;
  doc['base_paid_amount'] = basePaid;
}

/** ERPNext's POS Invoice controller. */
export function registerPosInvoice(hooks: HookRegistry): void {
  hooks.register('POS Invoice', {
    validate,
    beforeSubmit: (doc) => {
      doc['remarks'] ||= 'No Remarks';
    },
    onSubmit: (doc, ctx) => {
      submitLoyalty(ctx, 'POS Invoice', doc);
      dbSet(ctx, 'POS Invoice', doc, { status: invoiceStatus(ctx, doc) });
    },
    beforeCancel: (doc, ctx) => {
      const si = cstr(doc['consolidated_invoice']);
      if (si && cint(readDoc(ctx, 'Sales Invoice', si)?.['docstatus']) === 1) {
        // ERPNext looks the first POS Invoice Reference up by invoice and names its parent, which
        // is the merge log's row (that is what the real message links to).
        const closing = findNames(ctx, 'POS Invoice Merge Log', [
          ['POS Invoice Reference', 'pos_invoice', '=', cstr(doc['name'])],
        ]);
        const link = `<a href="http://127.0.0.1:8000/app/pos-closing-entry/${closing[0] ?? ''}">${closing[0] ?? ''}</a>`;
        throw throwError(
          'ValidationError',
          `You need to cancel POS Closing Entry ${link} to be able to cancel this document.`,
          { title: 'Not Allowed', ...erp },
        );
      }
    },
    onCancel: (doc, ctx) => {
      cancelLoyalty(ctx, 'POS Invoice', doc);
      dbSet(ctx, 'POS Invoice', doc, { status: 'Cancelled' });
    },
  });
}
