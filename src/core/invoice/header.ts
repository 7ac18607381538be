import { ZERO, ONE } from '../money/decimal.js';
import { QuoteError, invalid } from '../errors.js';
import type { Master } from '../master.js';
import { smallestFraction } from '../site-settings.js';
import type { Fields } from '../record.js';
import type { Doc, Line, Payment, TaxRow } from './doc.js';

// The invoice as drafted, before anything is priced: header, lines, tax rows and payments,
// with ERPNext's refusals of a draft that cannot be an invoice.

/** set_pos_fields(for_validate=True) and the party details: the invoice header. */
export function header(master: Master, draft: Fields): Doc {
  const system = master.system;
  const profileName = draft.str('pos_profile');
  if (!profileName)
    throw new QuoteError('MandatoryError', 'pos_profile: a POS Profile is required', 'pos_profile');
  const profile = master.link('POS Profile', profileName, 'pos_profile');
  if (profile.bool('disabled')) {
    throw new QuoteError(
      'ValidationError',
      `POS Profile ${profileName} is disabled`,
      'pos_profile',
    );
  }
  const company = profile.str('company') || draft.str('company');
  const companyDoc = master.link('Company', company, 'company');
  const companyCurrency = companyDoc.str('default_currency');
  const customerName = draft.str('customer');
  if (!customerName) {
    throw new QuoteError(
      'MandatoryError',
      'Error: Value missing for POS Invoice: Customer',
      'customer',
    );
  }
  const customer = master.link('Customer', customerName, 'customer');
  if (customer.bool('disabled')) {
    throw new QuoteError('ValidationError', `Customer ${customerName} is disabled`, 'customer');
  }
  const group = customer.str('customer_group');
  const groupDoc = master.get('Customer Group', group);
  const priceList =
    customer.str('default_price_list') ||
    groupDoc?.str('default_price_list') ||
    profile.str('selling_price_list');
  let currency = profile.str('currency') || companyCurrency;
  if (
    customer.str('default_currency') &&
    customer.str('default_currency') !== profile.str('currency')
  ) {
    currency = customer.str('default_currency');
  }
  if (draft.str('currency') && draft.str('currency') !== currency) currency = draft.str('currency');
  let conversionRate = ONE;
  if (currency !== companyCurrency) {
    conversionRate = draft.dec('conversion_rate');
    if (conversionRate.lte(0)) {
      throw invalid(
        'conversion_rate',
        `required and above 0 when the invoice currency ${currency} is not the company currency ${companyCurrency}`,
      );
    }
  }
  const currencyDoc = master.get('Currency', currency);
  const posting = draft.date('posting_date');
  if (!posting) throw invalid('posting_date', 'required (YYYY-MM-DD)');

  const docstatus = docstatusOf(draft);
  const applyDiscountOn = draft.str('apply_discount_on') || 'Grand Total';
  if (!['Grand Total', 'Net Total'].includes(applyDiscountOn)) {
    throw invalid(
      'apply_discount_on',
      `must be "Grand Total" or "Net Total", got ${JSON.stringify(applyDiscountOn)}`,
    );
  }

  const doc: Doc = {
    precision: system,
    company,
    company_currency: companyCurrency,
    currency,
    conversion_rate: conversionRate,
    customer: customerName,
    customer_name: customer.str('customer_name') || customerName,
    customer_group: group,
    territory: customer.str('territory'),
    pos_profile: profileName,
    posting_date: posting,
    today: posting,
    selling_price_list: priceList,
    set_warehouse: profile.str('warehouse'),
    is_return: draft.bool('is_return'),
    return_against: draft.str('return_against'),
    docstatus: docstatus,
    ignore_pricing_rule: draft.bool('ignore_pricing_rule'),
    coupon_code: draft.str('coupon_code'),
    campaign: draft.str('campaign'),
    sales_partner: draft.str('sales_partner'),
    taxes_and_charges: draft.str('taxes_and_charges'),
    apply_discount_on: applyDiscountOn,
    additional_discount_percentage: draft.dec('additional_discount_percentage'),
    discount_amount: draft.dec('discount_amount'),
    is_cash_or_non_trade_discount: draft.bool('is_cash_or_non_trade_discount'),
    disable_rounded_total: system.disableRoundedTotal,
    smallest_currency_fraction_value: smallestFraction(currencyDoc),
    items: [],
    taxes: [],
    payments: [],
    pricing_rules: [],
    unsupported_pricing_rules: [],
    total_qty: ZERO,
    total: ZERO,
    net_total: ZERO,
    total_taxes_and_charges: ZERO,
    grand_total: ZERO,
    rounding_adjustment: ZERO,
    rounded_total: ZERO,
    base_discount_amount: ZERO,
    loyalty_program: draft.str('loyalty_program') || customer.str('loyalty_program'),
    redeem_loyalty_points: draft.bool('redeem_loyalty_points'),
    loyalty_points: draft.dec('loyalty_points'),
    loyalty_amount: draft.dec('loyalty_amount'),
    paid_amount: ZERO,
    change_amount: ZERO,
    write_off_amount: ZERO,
    account_for_change_amount:
      profile.str('account_for_change_amount') || companyDoc.str('default_cash_account'),
  };

  const rows = draft.table('items');
  if (rows.length === 0)
    throw new QuoteError('MandatoryError', 'Error: Value missing for POS Invoice: Items', 'items');
  doc.items = rows.map((row, i) => lineFromDraft(master, row, i + 1));
  doc.taxes = taxRows(master, doc, draft);
  doc.payments = paymentRows(master, draft, company);
  return doc;
}

/** The draft's docstatus: 0 (draft) or 1 (submit). */
export function docstatusOf(draft: Fields): 0 | 1 {
  const docstatus = draft.dec('docstatus').toNumber();
  if (docstatus !== 0 && docstatus !== 1)
    throw invalid('docstatus', 'must be 0 (draft) or 1 (submit)');
  return docstatus;
}

/** The draft's payment rows, with each mode's type and the company's account for it. */
export function paymentRows(master: Master, draft: Fields, company: string): Payment[] {
  return draft.table('payments').map((p, i) => {
    const mode = p.str('mode_of_payment');
    if (!mode) throw invalid(`payments[${i + 1}].mode_of_payment`, 'required');
    const modeDoc = master.get('Mode of Payment', mode);
    const account =
      modeDoc
        ?.table('accounts')
        .find((a) => a.str('company') === company)
        ?.str('default_account') ?? '';
    return {
      idx: i + 1,
      mode_of_payment: mode,
      amount: p.dec('amount'),
      type: p.str('type') || modeDoc?.str('type') || (mode === 'Cash' ? 'Cash' : 'General'),
      account: p.str('account') || account,
      default: p.bool('default'),
    } satisfies Payment;
  });
}

function lineFromDraft(master: Master, row: Fields, idx: number): Line {
  const code = row.str('item_code');
  if (!code) throw invalid(`items[${idx}].item_code`, 'required');
  const item = master.get('Item', code);
  if (!item) {
    throw new QuoteError(
      'LinkValidationError',
      `Could not find Row #${idx}: Item Code: ${code}`,
      `items[${idx}].item_code`,
    );
  }
  if (!row.has('qty')) throw invalid(`items[${idx}].qty`, 'required');
  const qty = row.dec('qty');
  return {
    idx,
    name: row.str('name') || `row-${idx}`,
    item_code: code,
    item_name: row.str('item_name'),
    description: row.str('description'),
    item_group: '',
    brand: '',
    stock_uom: '',
    uom: row.str('uom'),
    qty,
    conversion_factor: row.optDec('conversion_factor'),
    stock_qty: row.dec('stock_qty'),
    price_list_rate: row.optDec('price_list_rate'),
    rate: row.optDec('rate'),
    discount_percentage: row.optDec('discount_percentage'),
    discount_amount: row.optDec('discount_amount'),
    margin_type: row.str('margin_type'),
    margin_rate_or_amount: row.dec('margin_rate_or_amount'),
    rate_with_margin: row.dec('rate_with_margin'),
    amount: ZERO,
    net_rate: ZERO,
    net_amount: ZERO,
    distributed_discount_amount: ZERO,
    is_free_item: row.bool('is_free_item'),
    pricing_rules: row.str('pricing_rules'),
    item_tax_template: row.str('item_tax_template'),
    item_tax_rate: new Map(),
    warehouse: row.str('warehouse'),
    barcode: row.str('barcode'),
  };
}

/** Tax rows: those sent, else the named template, else the company's default template. */
function taxRows(master: Master, doc: Doc, draft: Fields): TaxRow[] {
  let rows = draft.table('taxes');
  if (rows.length === 0) {
    let template = doc.taxes_and_charges;
    if (!template) {
      template =
        master
          .all('Sales Taxes and Charges Template')
          .find(
            (t) => t.bool('is_default') && t.str('company') === doc.company && !t.bool('disabled'),
          )
          ?.str('name') ?? '';
      doc.taxes_and_charges = template;
    }
    if (template) {
      const t = master.link('Sales Taxes and Charges Template', template, 'taxes_and_charges');
      if (t.bool('disabled'))
        throw new QuoteError('ValidationError', `${template} is disabled`, 'taxes_and_charges');
      rows = t.table('taxes');
    }
  }
  return rows.map((r, i) => {
    const chargeType = r.str('charge_type');
    const path = `taxes[${i + 1}]`;
    if (
      ![
        'Actual',
        'On Net Total',
        'On Previous Row Amount',
        'On Previous Row Total',
        'On Item Quantity',
      ].includes(chargeType)
    ) {
      throw invalid(`${path}.charge_type`, `unknown charge type ${JSON.stringify(chargeType)}`);
    }
    const rowId = r.str('row_id') ? Number(r.str('row_id')) : null;
    if (chargeType.startsWith('On Previous Row')) {
      if (rowId === null || !Number.isInteger(rowId) || rowId < 1 || rowId > i) {
        throw new QuoteError(
          'ValidationError',
          `Row #${i + 1}: Please specify a valid Row ID for row ${i + 1} in table Taxes (it must point to an earlier row)`,
          `${path}.row_id`,
        );
      }
    }
    const inclusive = r.bool('included_in_print_rate');
    if (inclusive && chargeType === 'Actual') {
      throw new QuoteError(
        'ValidationError',
        `Row #${i + 1}: Charge of type 'Actual' cannot be included in Item Rate or Paid Amount`,
        `${path}.included_in_print_rate`,
      );
    }
    return {
      idx: i + 1,
      charge_type: chargeType,
      account_head: r.str('account_head'),
      description: r.str('description') || r.str('account_head'),
      cost_center: r.str('cost_center'),
      rate: r.dec('rate'),
      row_id: rowId,
      included_in_print_rate: inclusive,
      add_deduct_tax: r.str('add_deduct_tax'),
      category: r.str('category'),
      tax_amount: chargeType === 'Actual' ? r.dec('tax_amount') : ZERO,
      total: ZERO,
      tax_amount_after_discount_amount: ZERO,
      tax_amount_for_current_item: ZERO,
      grand_total_for_current_item: ZERO,
      tax_fraction_for_current_item: ZERO,
      grand_total_fraction_for_current_item: ZERO,
      item_wise_tax_detail: new Map(),
    };
  });
}
