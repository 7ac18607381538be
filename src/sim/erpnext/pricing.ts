import { QuoteError, quote, toErpnextJson } from '../../core/index.js';
import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, rowsOf } from '../doc.js';
import { FrappeError, thrownMessage } from '../errors.js';
import { masterFor } from './master.js';

/** Where ERPNext defines each exception class the engine may name (Frappe's are default). */
const MODULES: Readonly<Record<string, string>> = {
  PartialPaymentValidationError: 'erpnext.accounts.doctype.pos_invoice.pos_invoice',
  MultiplePricingRuleConflict: 'erpnext.accounts.doctype.pricing_rule.utils',
  InvalidQtyError: 'erpnext.controllers.accounts_controller',
  UOMMustBeIntegerError: 'erpnext.utilities.transaction_base',
};

/** A refusal of the engine as the Frappe exception ERPNext raises (kinds are class names). */
function frappeErrorOf(e: QuoteError): FrappeError {
  const status = e.kind === 'InternalError' ? 500 : 417;
  return new FrappeError(e.kind, status, e.message, {
    module: MODULES[e.kind] ?? 'frappe.exceptions',
    messages: [thrownMessage(e.message)],
    fromErpnext: true,
  });
}

const HEADER = [
  'company',
  'customer_name',
  'customer_group',
  'territory',
  'currency',
  'conversion_rate',
  'selling_price_list',
  'price_list_currency',
  'plc_conversion_rate',
  'set_warehouse',
  'total_qty',
  'total',
  'base_total',
  'net_total',
  'base_net_total',
  'total_taxes_and_charges',
  'base_total_taxes_and_charges',
  'additional_discount_percentage',
  'discount_amount',
  'base_discount_amount',
  'grand_total',
  'base_grand_total',
  'rounding_adjustment',
  'base_rounding_adjustment',
  'rounded_total',
  'base_rounded_total',
  'loyalty_program',
  'loyalty_amount',
  'account_for_change_amount',
  'paid_amount',
  'change_amount',
  'base_change_amount',
  'write_off_amount',
  'base_write_off_amount',
] as const;

const ITEM = [
  'item_name',
  'description',
  'item_group',
  'qty',
  'stock_uom',
  'uom',
  'conversion_factor',
  'stock_qty',
  'price_list_rate',
  'base_price_list_rate',
  'margin_type',
  'margin_rate_or_amount',
  'rate_with_margin',
  'discount_percentage',
  'discount_amount',
  'distributed_discount_amount',
  'rate',
  'amount',
  'base_rate',
  'base_amount',
  'net_rate',
  'net_amount',
  'base_net_rate',
  'base_net_amount',
  'is_free_item',
  'item_tax_template',
  'item_tax_rate',
  'warehouse',
] as const;

const TAX = [
  'charge_type',
  'row_id',
  'account_head',
  'description',
  'included_in_print_rate',
  'rate',
  'tax_amount',
  'total',
  'tax_amount_after_discount_amount',
  'base_tax_amount',
  'base_total',
  'base_tax_amount_after_discount_amount',
  'item_wise_tax_detail',
] as const;

function copy(from: Record<string, unknown>, to: Doc, keys: readonly string[]): void {
  for (const k of keys) if (k in from && from[k] !== undefined) to[k] = from[k];
}

/**
 * SellingController.validate's pricing pass, done by the pure engine: quote the invoice against
 * the site's master data and copy the computed numbers back onto the document. Engine refusals
 * become the Frappe exceptions ERPNext raises.
 */
export function reprice(ctx: SiteContext, doctype: string, doc: Doc, draft: Doc): void {
  let out: Record<string, unknown>;
  // initialize_taxes → validate_taxes_and_charges: an Actual charge has no rate (set to None).
  const taxes = rowsOf(draft, 'taxes').map((t) =>
    cstr(t['charge_type']) === 'Actual' ? { ...t, rate: 0 } : t,
  );
  const priced = { ...draft, taxes };
  try {
    out = toErpnextJson(quote(masterFor(ctx, doctype, doc), priced, { today: ctx.time.today() }));
  } catch (e) {
    if (e instanceof QuoteError) throw frappeErrorOf(e);
    throw e;
  }
  copy(out, doc, HEADER);
  const given = rowsOf(doc, 'items');
  const computed = (out['items'] ?? []) as Record<string, unknown>[];
  doc['items'] = computed.map((c, i) => {
    const row: Doc = given[i] ?? { __unsaved: 1 };
    copy(c, row, ITEM);
    row['base_rate_with_margin'] = row['rate_with_margin'];
    // calculate_margin sets margin_type None (not '') on a row whose applied rules carry no
    // margin (erpnext/controllers/taxes_and_totals.py); the engine has no None.
    if (c['pricing_rules'] && !cint(doc['ignore_pricing_rule']) && !c['margin_type']) {
      row['margin_type'] = null;
    }
    // Frappe stores an empty Link / Small Text as NULL.
    row['pricing_rules'] = c['pricing_rules'] || null;
    row['item_tax_template'] = c['item_tax_template'] || null;
    return row;
  });
  const oldTaxes = rowsOf(doc, 'taxes');
  doc['taxes'] = ((out['taxes'] ?? []) as Record<string, unknown>[]).map((t, i) => {
    const row: Doc = oldTaxes[i] ?? { __unsaved: 1 };
    copy(t, row, TAX);
    return row;
  });
  const payments = rowsOf(doc, 'payments');
  ((out['payments'] ?? []) as Record<string, unknown>[]).forEach((p, i) => {
    const row = payments[i];
    if (!row) return;
    row['type'] = p['type'];
  });
  // set_pricing_rule_details appends these rows on the server: never sent, so not __unsaved.
  doc['pricing_rules'] = ((out['pricing_rules'] ?? []) as Record<string, unknown>[]).map((r) => ({
    ...r,
  }));
}
