import { Dec, ZERO, ONE, sum } from '../money/decimal.js';
import { flt } from '../money/rounding.js';
import { QuoteError, invalid } from '../errors.js';
import { Master, type MasterInput } from '../master.js';
import { smallestFraction } from '../site-settings.js';
import { Fields, type Rec } from '../record.js';
import type { Doc, Line, Payment, TaxRow } from './doc.js';
import { calculateTaxesAndTotals } from './taxes.js';
import { PricingRules, conversionFactor, type FreeItem, type RuleArgs } from './pricing-rules.js';
import { resolveItemPrice } from './item-price.js';
import { itemTaxTemplate, taxMap } from './item-tax.js';
import { loyaltyBalance, pointsEarned, type PointsEarned } from '../loyalty.js';
import { packedItems, type PackedItem } from '../bundle.js';
import { appliedRuleNames } from './rule-names.js';

export interface QuoteOptions {
  /** Today's date (YYYY-MM-DD) for loyalty balances, as ERPNext's `today()`; defaults to posting_date. */
  readonly today?: string;
}

export interface Quote {
  readonly doc: Doc;
  readonly packed_items: PackedItem[];
  readonly loyalty_points_earned: PointsEarned | null;
}

/**
 * Computes a POS Invoice exactly as ERPNext v15 validates one: item details and prices, pricing
 * rules, taxes and totals, transaction rules, loyalty, payments. Pure: same inputs, same output.
 * Throws QuoteError where ERPNext would refuse the document.
 */
export function quote(
  masterInput: MasterInput | Master,
  draftInput: Rec,
  options: QuoteOptions = {},
): Quote {
  const master = masterInput instanceof Master ? masterInput : new Master(masterInput);
  if (typeof draftInput !== 'object' || draftInput === null || Array.isArray(draftInput)) {
    throw invalid('invoice', 'expected a POS Invoice object');
  }
  const draft = new Fields(draftInput, 'invoice');
  const doc = header(master, draft);
  const rules = new PricingRules(master, doc);
  if (options.today) doc.today = options.today;
  const today = doc.today;

  // AccountsController.validate: zero quantities are refused before anything is priced.
  if (!doc.is_return) {
    for (const line of doc.items) {
      if (line.qty.isZero()) {
        throw new QuoteError(
          'InvalidQtyError',
          `Row #${line.idx}: Quantity for Item ${line.item_code} cannot be zero.`,
          `items[${line.idx}].qty`,
        );
      }
    }
  }

  // set_missing_item_details: rows appended as free items are visited by the same loop.
  const given = draft.table('items');
  for (let i = 0; i < doc.items.length; i++) {
    const line = doc.items[i];
    if (line) setItemDetails(master, doc, rules, line, given[i]);
  }

  const ruleOf = (name: string): Fields | undefined => rules.rule(name);
  calculateTaxesAndTotals(doc, ruleOf);
  if (!doc.is_return && doc.grand_total.times(doc.conversion_rate).lt(0)) {
    throw new QuoteError(
      'ValidationError',
      'Incorrect value: Grand Total (Company Currency) must be >= 0.0',
      'discount_amount',
    );
  }

  if (!doc.ignore_pricing_rule) {
    const txn = rules.transactionRules();
    if (txn.removeFree) doc.items = doc.items.filter((l) => !l.is_free_item);
    if (txn.discount) calculateTaxesAndTotals(doc, ruleOf);
    if (txn.free.length > 0) {
      const start = doc.items.length;
      applyFreeItems(master, doc, txn.free);
      for (let i = start; i < doc.items.length; i++) {
        const line = doc.items[i];
        if (line) setItemDetails(master, doc, rules, line, undefined);
      }
      calculateTaxesAndTotals(doc, ruleOf);
    }
  }
  for (const line of doc.items) {
    line.stock_qty = line.qty.times(line.conversion_factor ?? ZERO);
  }

  if (!doc.is_return) validateMaxDiscount(master, doc);
  if (doc.payments.length === 0) {
    throw new QuoteError(
      'ValidationError',
      'At least one mode of payment is required for POS invoice.',
      'payments',
    );
  }
  validateUomIsInteger(master, doc, 'stock');
  validateUomIsInteger(master, doc, 'sale');

  // Loyalty redemption (validate_loyalty_points) sets loyalty_amount; a client counts it as paid.
  const loyalty = loyaltyRedemption(master, doc);
  doc.paid_amount = draft.has('paid_amount')
    ? flt(draft.dec('paid_amount'), doc.precision.currency, doc.precision)
    : flt(
        sum(doc.payments.map((p) => p.amount)).plus(loyalty),
        doc.precision.currency,
        doc.precision,
      );
  doc.write_off_amount = flt(draft.dec('write_off_amount'), doc.precision.currency, doc.precision);
  validateWriteOff(master, doc);

  const invoiceTotal = !doc.rounded_total.isZero() ? doc.rounded_total : doc.grand_total;
  doc.change_amount = draft.dec('change_amount');
  if (doc.change_amount.isZero() && invoiceTotal.lt(doc.paid_amount)) {
    doc.change_amount = doc.paid_amount.minus(invoiceTotal).plus(doc.write_off_amount);
  }
  if (doc.is_return) {
    for (const line of doc.items) {
      if (line.qty.gt(0)) {
        throw new QuoteError(
          'ValidationError',
          `Row #${line.idx}: You cannot add postive quantities in a return invoice. Please remove item ${line.item_code} to complete the return.`,
          `items[${line.idx}].qty`,
        );
      }
    }
    const excess = doc.paid_amount.abs().plus(doc.write_off_amount.abs()).minus(invoiceTotal.abs());
    if (excess.gt(new Dec(1).div(new Dec(10).pow(doc.precision.currency + 1)))) {
      throw new QuoteError(
        'ValidationError',
        'Paid amount + Write Off Amount can not be greater than Grand Total',
        'paid_amount',
      );
    }
  }
  for (const p of doc.payments) {
    if (!doc.is_return && p.amount.lt(0)) {
      throw new QuoteError(
        'ValidationError',
        `Row #${p.idx} (Payment Table): Amount must be positive`,
        `payments[${p.idx}].amount`,
      );
    }
    if (doc.is_return && p.amount.gt(0)) {
      throw new QuoteError(
        'ValidationError',
        `Row #${p.idx} (Payment Table): Amount must be negative`,
        `payments[${p.idx}].amount`,
      );
    }
  }
  validateLoyalty(master, doc, today);
  if (doc.docstatus === 1 && !profileOf(master, doc).bool('allow_partial_payment')) {
    if ((doc.is_return && !doc.paid_amount.eq(invoiceTotal)) || doc.paid_amount.lt(invoiceTotal)) {
      throw new QuoteError(
        'PartialPaymentValidationError',
        'Partial Payment in POS Invoice is not allowed.',
        'paid_amount',
      );
    }
  }

  const earned = doc.is_return ? null : pointsEarned(master, doc);
  return { doc, packed_items: packedItems(master, doc), loyalty_points_earned: earned };
}

const profileOf = (master: Master, doc: Doc): Fields =>
  master.link('POS Profile', doc.pos_profile, 'pos_profile');

/** set_pos_fields(for_validate=True) and the party details: the invoice header. */
function header(master: Master, draft: Fields): Doc {
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

  const docstatus = draft.dec('docstatus').toNumber();
  if (docstatus !== 0 && docstatus !== 1)
    throw invalid('docstatus', 'must be 0 (draft) or 1 (submit)');
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
  doc.payments = draft.table('payments').map((p, i) => {
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
  return doc;
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

/**
 * get_item_details + the field-filling loop of set_missing_item_details + apply_pricing_rule_on_items.
 * ERPNext fills an item field only when the request left it unset (None), except for a few forced
 * fields; the request's numeric fields that were not sent read as 0 in the pricing arguments.
 */
function setItemDetails(
  master: Master,
  doc: Doc,
  rules: PricingRules,
  line: Line,
  sent: Fields | undefined,
): void {
  const item = master.link('Item', line.item_code, `items[${line.idx}].item_code`);
  const at = `items[${line.idx}]`;
  // validate_item_details: end of life (judged on today, inclusive), disabled, variant template.
  const eol = item.date('end_of_life');
  if (eol && eol <= doc.today) {
    throw new QuoteError(
      'ValidationError',
      `Item ${line.item_code} has reached its end of life on ${eol}`,
      `${at}.item_code`,
    );
  }
  if (item.bool('disabled')) {
    throw new QuoteError(
      'ValidationError',
      `Item ${line.item_code} is disabled`,
      `${at}.item_code`,
    );
  }
  if (item.bool('has_variants')) {
    throw new QuoteError(
      'ValidationError',
      `Item ${line.item_code} is a template, please select one of its variants`,
      `${at}.item_code`,
    );
  }
  const stockUom = item.str('stock_uom');
  const uom = line.uom || item.str('sales_uom') || stockUom;
  const sentCf = line.conversion_factor ?? ZERO;
  const cf =
    uom === stockUom ? ONE : !sentCf.isZero() ? sentCf : conversionFactor(item, uom, master);
  const qty = line.qty.isZero() ? ONE : line.qty;
  const stockQty = qty.times(cf);

  // Item tax template: the row's own if still valid for the item, else the item's or its group's.
  const template = itemTaxTemplate(master, doc, item, line.item_tax_template);
  const taxTemplate = template ?? line.item_tax_template;

  const price = resolveItemPrice(master, doc, item, uom, stockUom, cf, qty);
  const sentPlr = sent?.optDec('price_list_rate') ?? null;
  const args: RuleArgs = {
    item_code: line.item_code,
    item_group: item.str('item_group'),
    brand: item.str('brand'),
    variant_of: item.str('variant_of'),
    uom,
    qty: line.qty,
    stock_qty: stockQty,
    conversion_factor: cf,
    price_list_rate: line.is_free_item ? (line.price_list_rate ?? ZERO) : (sentPlr ?? ZERO),
    rate: line.rate ?? ZERO,
    warehouse: line.warehouse || doc.set_warehouse,
    transaction_date: doc.posting_date,
    pricing_rules: line.pricing_rules,
    is_free_item: line.is_free_item,
  };
  const details = rules.forItem(args);

  // The generic fill: only unset fields, plus the forced ones.
  line.item_name ||= item.str('item_name');
  line.description ||= item.str('description');
  line.item_group = item.str('item_group');
  line.brand = item.str('brand');
  line.stock_uom = stockUom;
  line.uom = uom;
  if (!line.conversion_factor || line.conversion_factor.isZero()) line.conversion_factor = cf;
  if (line.stock_qty.isZero()) line.stock_qty = stockQty;
  line.warehouse ||= doc.set_warehouse;
  line.price_list_rate ??= details.price_list_rate ?? price ?? ZERO;
  line.rate ??= ZERO;
  line.discount_percentage ??= details.discount_percentage ?? ZERO;
  line.discount_amount ??= details.discount_amount ?? ZERO;
  if (details.pricing_rules !== null) line.pricing_rules = details.pricing_rules;
  if (!line.margin_type) line.margin_type = details.margin_type;
  line.item_tax_template = taxTemplate;
  line.item_tax_rate = taxMap(master, doc, taxTemplate);

  if (!details.pricing_rules) return;
  const names = appliedRuleNames(details.pricing_rules);
  if (!details.validate_applied_rule) {
    if (details.price_or_product_discount === 'Price') {
      line.pricing_rules = details.pricing_rules;
      const other = details.apply_rule_on_other_items;
      if (!(other && other.length > 0 && !other.includes(line.item_code))) {
        line.discount_percentage = details.discount_percentage ?? ZERO;
        line.discount_amount = details.discount_amount ?? ZERO;
        if (details.pricing_rule_for === 'Rate')
          line.price_list_rate = details.price_list_rate ?? line.price_list_rate;
        const plr = line.price_list_rate ?? ZERO;
        if (!plr.isZero()) {
          line.rate = flt(
            plr.times(ONE.minus(line.discount_percentage.div(100))),
            doc.precision.currency,
            doc.precision,
          );
          if (!line.discount_amount.isZero()) line.rate = plr.minus(line.discount_amount);
        }
      }
    } else if (details.free_item_data.length > 0) {
      applyFreeItems(master, doc, details.free_item_data);
    }
  }
  for (const name of names) {
    doc.pricing_rules.push({
      pricing_rule: name,
      item_code: line.item_code,
      child_docname: line.name,
      rule_applied: true,
    });
  }
}

/** `apply_pricing_rule_for_free_items`: update the matching free row or append a new one. */
function applyFreeItems(master: Master, doc: Doc, free: FreeItem[]): void {
  const pending = new Map(free.map((f) => [`${f.item_code}\u0000${f.pricing_rules}`, f]));
  for (const line of doc.items) {
    if (!line.is_free_item) continue;
    const key = `${line.item_code}\u0000${line.pricing_rules}`;
    const f = pending.get(key);
    if (f) {
      Object.assign(line, {
        qty: f.qty,
        rate: f.rate,
        price_list_rate: f.price_list_rate,
        uom: f.uom,
        conversion_factor: f.conversion_factor,
      });
      pending.delete(key);
    }
  }
  for (const f of pending.values()) {
    const item = master.link('Item', f.item_code, 'free_item');
    const idx = doc.items.length + 1;
    doc.items.push({
      idx,
      name: `row-${idx}`,
      item_code: f.item_code,
      item_name: item.str('item_name'),
      description: item.str('description'),
      item_group: item.str('item_group'),
      brand: item.str('brand'),
      stock_uom: item.str('stock_uom'),
      uom: f.uom,
      qty: f.qty,
      conversion_factor: f.conversion_factor,
      stock_qty: ZERO,
      price_list_rate: f.price_list_rate,
      rate: f.rate,
      discount_percentage: null,
      discount_amount: null,
      margin_type: '',
      margin_rate_or_amount: ZERO,
      rate_with_margin: ZERO,
      amount: ZERO,
      net_rate: ZERO,
      net_amount: ZERO,
      distributed_discount_amount: ZERO,
      is_free_item: true,
      pricing_rules: f.pricing_rules,
      item_tax_template: '',
      item_tax_rate: new Map(),
      warehouse: '',
      barcode: '',
    });
  }
}

function validateMaxDiscount(master: Master, doc: Doc): void {
  for (const line of doc.items) {
    const max = master.get('Item', line.item_code)?.dec('max_discount') ?? ZERO;
    if (!max.isZero() && (line.discount_percentage ?? ZERO).gt(max)) {
      throw new QuoteError(
        'ValidationError',
        `Maximum discount for Item ${line.item_code} is ${max.toString()}%`,
        `items[${line.idx}].discount_percentage`,
      );
    }
  }
}

function validateUomIsInteger(master: Master, doc: Doc, which: 'stock' | 'sale'): void {
  for (const line of doc.items) {
    const uom = which === 'stock' ? line.stock_uom : line.uom;
    if (!master.get('UOM', uom)?.bool('must_be_whole_number')) continue;
    const qty = which === 'stock' ? line.stock_qty : line.qty;
    if (qty.isZero()) continue;
    const q = flt(qty, doc.precision.float, doc.precision);
    if (q.trunc().minus(q).abs().gt(new Dec('0.0000001'))) {
      throw new QuoteError(
        'UOMMustBeIntegerError',
        `Row ${line.idx}: Quantity (${q.toString()}) cannot be a fraction. To allow this, disable 'Must be Whole Number' in UOM ${uom}.`,
        `items[${line.idx}].${which === 'stock' ? 'stock_qty' : 'qty'}`,
      );
    }
  }
}

function validateWriteOff(master: Master, doc: Doc): void {
  if (doc.write_off_amount.isZero()) return;
  const limit = profileOf(master, doc).dec('write_off_limit');
  if (doc.write_off_amount.abs().gt(limit)) {
    throw new QuoteError(
      'ValidationError',
      `Write off amount ${doc.write_off_amount.toString()} is above the POS Profile's write-off limit ${limit.toString()}`,
      'write_off_amount',
    );
  }
}

/** Loyalty amount a redemption is worth (validate_loyalty_points sets it when unset). */
function loyaltyRedemption(master: Master, doc: Doc): Dec {
  if (!doc.redeem_loyalty_points || !doc.loyalty_program || doc.loyalty_points.isZero())
    return ZERO;
  const program = master.link('Loyalty Program', doc.loyalty_program, 'loyalty_program');
  const amount = doc.loyalty_points.times(program.dec('conversion_factor'));
  if (doc.loyalty_amount.isZero())
    doc.loyalty_amount = flt(amount, doc.precision.currency, doc.precision);
  return doc.loyalty_amount;
}

/** `validate_loyalty_points`: company, balance as of today, and no more than the total. */
function validateLoyalty(master: Master, doc: Doc, today: string): void {
  if (!doc.redeem_loyalty_points || !doc.loyalty_program || doc.loyalty_points.isZero()) return;
  const program = master.link('Loyalty Program', doc.loyalty_program, 'loyalty_program');
  if (program.str('company') !== doc.company) {
    throw new QuoteError(
      'ValidationError',
      "The Loyalty Program isn't valid for the selected company",
      'loyalty_program',
    );
  }
  const balance = loyaltyBalance(master, doc.customer, doc.loyalty_program, doc.company, today);
  if (doc.loyalty_points.gt(balance.points)) {
    throw new QuoteError(
      'ValidationError',
      "You don't have enough Loyalty Points to redeem",
      'loyalty_points',
    );
  }
  const amount = doc.loyalty_points.times(program.dec('conversion_factor'));
  const total = doc.disable_rounded_total ? doc.grand_total : doc.rounded_total;
  if (amount.gt(total)) {
    throw new QuoteError(
      'ValidationError',
      "You can't redeem Loyalty Points having more value than the Total Amount.",
      'loyalty_points',
    );
  }
}
