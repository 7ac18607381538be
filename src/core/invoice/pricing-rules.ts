import { Dec, ZERO, HUNDRED } from '../money/decimal.js';
import { ruleCondition, type Stage } from '../condition/index.js';
import { QuoteError } from '../errors.js';
import type { Master } from '../master.js';
import type { Fields } from '../record.js';
import type { Doc } from './doc.js';
import { appliedRuleNames, formatRuleNames } from './rule-names.js';

/** Pricing-rule arguments for one item row, as ERPNext's `get_item_details` builds them. */
export interface RuleArgs {
  item_code: string;
  item_group: string;
  brand: string;
  variant_of: string;
  uom: string;
  qty: Dec;
  stock_qty: Dec;
  conversion_factor: Dec;
  /** What the request carried for the row (0 when not sent): ERPNext tests min_amt against it. */
  price_list_rate: Dec;
  rate: Dec;
  warehouse: string;
  transaction_date: string;
  /** Rule names the request carried on the row; the server re-applies those by name. */
  pricing_rules: string;
  is_free_item: boolean;
}

/** One candidate: a rule joined with the child row (item, group or brand) that matched. */
interface Candidate {
  rule: Fields;
  name: string;
  /** The matched child row's uom (blank = any). */
  uom: string;
  apply_rule_on_other_items?: string[];
}

export interface FreeItem {
  item_code: string;
  qty: Dec;
  pricing_rules: string;
  rate: Dec;
  price_list_rate: Dec;
  uom: string;
  conversion_factor: Dec;
}

/** What `get_pricing_rule_for_item` returns for a row. */
export interface RuleDetails {
  pricing_rules: string | null;
  price_or_product_discount: string;
  pricing_rule_for: string;
  validate_applied_rule: boolean;
  discount_percentage: Dec | null;
  discount_amount: Dec | null;
  price_list_rate: Dec | null;
  margin_type: string;
  margin_rate_or_amount: Dec;
  has_margin: boolean;
  free_item_data: FreeItem[];
  apply_rule_on_other_items: string[] | null;
}

const LEVELS = [
  { apply_on: 'Item Code', table: 'items', field: 'item_code' },
  { apply_on: 'Item Group', table: 'item_groups', field: 'item_group' },
  { apply_on: 'Brand', table: 'brands', field: 'brand' },
] as const;

const fieldOf = (applyOn: string): 'item_code' | 'item_group' | 'brand' | '' =>
  applyOn === 'Item Code'
    ? 'item_code'
    : applyOn === 'Item Group'
      ? 'item_group'
      : applyOn === 'Brand'
        ? 'brand'
        : '';

/** Pricing-rule engine over the master data; one per quote. */
export class PricingRules {
  constructor(
    private readonly master: Master,
    private readonly doc: Doc,
  ) {}

  rule(name: string): Fields | undefined {
    return this.master.get('Pricing Rule', name);
  }

  /** ERPNext's `get_pricing_rule_for_item` on the server (`for_validate`, with the document). */
  forItem(args: RuleArgs): RuleDetails {
    const details: RuleDetails = {
      pricing_rules: null,
      price_or_product_discount: '',
      pricing_rule_for: '',
      validate_applied_rule: false,
      discount_percentage: null,
      discount_amount: null,
      price_list_rate: null,
      margin_type: '',
      margin_rate_or_amount: ZERO,
      has_margin: false,
      free_item_data: [],
      apply_rule_on_other_items: null,
    };
    if (args.is_free_item || this.doc.ignore_pricing_rule || !args.item_code) return details;

    let found: (Candidate | 'suggestion')[];
    if (args.pricing_rules) {
      found = appliedRuleNames(args.pricing_rules).map((name) => {
        const rule = this.master.link('Pricing Rule', name, `Pricing Rule ${name}`);
        const table = LEVELS.find((l) => l.apply_on === rule.str('apply_on'));
        const row = table
          ? rule.table(table.table).find((r) => r.str(table.field) === args[table.field])
          : undefined;
        const otherField = fieldOf(rule.str('apply_rule_on_other'));
        return {
          rule,
          name,
          uom: row?.str('uom') ?? '',
          apply_rule_on_other_items: this.ruleItems(rule, otherField !== ''),
        };
      });
    } else {
      found = this.getPricingRules(args);
    }
    if (found.length === 0) return details;

    const applied: string[] = [];
    for (const c of found) {
      if (c === 'suggestion') continue;
      const rule = c.rule;
      if (rule.bool('coupon_code_based')) {
        if (!this.doc.coupon_code) continue;
        const coupon = this.master
          .all('Coupon Code')
          .find((cc) => cc.str('pricing_rule') === c.name);
        if (!coupon || coupon.str('name') !== this.doc.coupon_code) continue;
      }
      details.validate_applied_rule = rule.bool('validate_applied_rule');
      details.price_or_product_discount = rule.str('price_or_product_discount');
      applied.push(c.name);
      if (rule.bool('mixed_conditions') || rule.str('apply_rule_on_other')) {
        if (c.apply_rule_on_other_items && c.apply_rule_on_other_items.length > 0) {
          details.apply_rule_on_other_items = c.apply_rule_on_other_items;
        }
      }
      if (!details.validate_applied_rule) {
        if (rule.str('price_or_product_discount') === 'Price')
          this.applyPriceDiscount(c, details, args);
        else this.productDiscount(rule, details, args);
      }
    }
    if (!details.has_margin) {
      details.margin_type = '';
      details.margin_rate_or_amount = ZERO;
    }
    details.pricing_rules = formatRuleNames(applied);
    return details;
  }

  /** `get_pricing_rules`: candidates level by level, then pick one or stack them. */
  private getPricingRules(args: RuleArgs): (Candidate | 'suggestion')[] {
    if (!this.master.all('Pricing Rule').some((r) => !r.bool('disable') && r.bool('selling')))
      return [];
    let rules: Candidate[] = [];
    for (const level of LEVELS) {
      rules = rules.concat(this.candidates(level, args));
      if (rules[0]?.rule.bool('has_priority')) continue;
      if (rules.length > 0 && !allApplyMultiple(rules)) break;
    }
    rules = rules.filter((c) => this.conditionHolds(c, 'item', args.item_code));
    if (rules.length === 0) return [];
    if (allApplyMultiple(rules)) {
      const byPriority = new Map<number, Candidate[]>();
      for (const c of rules) {
        const picked = this.filterPricingRules(args, [c]);
        if (picked && picked !== 'suggestion') {
          const p = Number(picked.rule.str('priority')) || 1;
          if (picked.rule.bool('apply_multiple_pricing_rules')) {
            byPriority.set(p, [...(byPriority.get(p) ?? []), picked]);
          }
        }
      }
      return [...byPriority.keys()].sort((a, b) => a - b).flatMap((k) => byPriority.get(k) ?? []);
    }
    const one = this.filterPricingRules(args, rules);
    return one ? [one] : [];
  }

  /** The rule's Python condition on the invoice; one that raises in ERPNext is dropped and noted. */
  private conditionHolds(c: Candidate, stage: Stage, itemCode: string): boolean {
    const condition = c.rule.str('condition');
    if (!condition) return true;
    const verdict = ruleCondition(c.name, condition, this.doc, stage);
    if (verdict.raised === null) return verdict.keep;
    const noted = this.doc.unsupported_pricing_rules.some(
      (u) => u.pricing_rule === c.name && u.item_code === itemCode,
    );
    if (!noted) {
      this.doc.unsupported_pricing_rules.push({
        pricing_rule: c.name,
        item_code: itemCode,
        reason: `the rule's condition raises ${verdict.raised}; ERPNext drops a rule whose condition raises, so it is not applied here either`,
      });
    }
    return false;
  }

  /** `_get_pricing_rules` for one level: the SQL query, as a filter over the cached rules. */
  private candidates(level: (typeof LEVELS)[number], args: RuleArgs): Candidate[] {
    const value = args[level.field];
    if (!value) return [];
    const out: Candidate[] = [];
    const groups =
      level.field === 'item_group'
        ? this.treeValues('Item Group', value, 'parent_item_group', false)
        : null;
    for (const rule of this.master.all('Pricing Rule')) {
      if (rule.bool('disable') || !rule.bool('selling')) continue;
      if (!this.matchesConditions(rule, args)) continue;
      const otherMatch = rule.str(`other_${level.field}`) === value && value !== '';
      for (const row of rule.table(level.table)) {
        const rowValue = row.str(level.field);
        const rowUom = row.str('uom');
        let match: boolean;
        if (level.field === 'item_code') {
          match = rowValue === value && (!args.uom || rowUom === args.uom || rowUom === '');
          if (!match && args.variant_of && rowValue === args.variant_of) match = true;
        } else if (level.field === 'item_group') {
          match =
            (groups ?? []).includes(rowValue) &&
            (!args.uom || rowUom === args.uom || rowUom === '');
        } else {
          match = rowValue === value;
        }
        if (match || otherMatch) out.push({ rule, name: rule.str('name'), uom: rowUom });
      }
    }
    // MariaDB: ORDER BY priority DESC (a varchar Select), name DESC.
    return out.sort((a, b) => {
      const pa = a.rule.str('priority');
      const pb = b.rule.str('priority');
      if (pa !== pb) return pa < pb ? 1 : -1;
      return a.name.toLowerCase() < b.name.toLowerCase()
        ? 1
        : a.name.toLowerCase() > b.name.toLowerCase()
          ? -1
          : 0;
    });
  }

  /** `get_other_conditions` + warehouse, price list and date conditions. */
  private matchesConditions(rule: Fields, args: RuleArgs | null): boolean {
    const doc = this.doc;
    const eqOrBlank = (field: string, value: string): boolean =>
      value ? ['', value].includes(rule.str(field)) : rule.str(field) === '';
    if (!eqOrBlank('company', doc.company)) return false;
    if (!eqOrBlank('customer', doc.customer)) return false;
    if (rule.str('supplier') !== '') return false;
    if (!eqOrBlank('campaign', doc.campaign)) return false;
    if (!eqOrBlank('sales_partner', doc.sales_partner)) return false;
    for (const [dt, field, parent, value] of [
      ['Customer Group', 'customer_group', 'parent_customer_group', doc.customer_group],
      ['Territory', 'territory', 'parent_territory', doc.territory],
    ] as const) {
      const v = rule.str(field);
      if (value) {
        if (v !== '' && !this.treeValues(dt, value, parent, true).includes(v)) return false;
      } else if (v !== '') {
        return false;
      }
    }
    if (rule.str('supplier_group') !== '') return false;
    if (args === null) return true; // transaction rules: no date, warehouse or price list filter
    if (args.transaction_date) {
      const from = rule.date('valid_from') || '2000-01-01';
      const upto = rule.date('valid_upto') || '2500-12-31';
      if (args.transaction_date < from || args.transaction_date > upto) return false;
    }
    const wh = rule.str('warehouse');
    if (args.warehouse) {
      if (
        wh !== '' &&
        !this.treeValues('Warehouse', args.warehouse, 'parent_warehouse', false).includes(wh)
      ) {
        return false;
      }
    } else if (wh !== '') {
      return false;
    }
    const pl = rule.str('for_price_list');
    return pl === '' || pl === doc.selling_price_list;
  }

  /** `_get_tree_conditions`: the node and its ancestors (plus the root for group trees). */
  private treeValues(
    doctype: string,
    value: string,
    parentField: string,
    withRoot: boolean,
  ): string[] {
    const out = this.master.ancestors(doctype, value, parentField);
    if (withRoot || doctype === 'Item Group') {
      const root = this.master.root(doctype, parentField);
      if (root && !out.includes(root)) out.push(root);
    }
    return out;
  }

  /** `filter_pricing_rules`: thresholds, then currency, priority and price list; a tie is an error. */
  private filterPricingRules(args: RuleArgs, rules: Candidate[]): Candidate | 'suggestion' | null {
    const first = rules[0];
    if (!first) return null;
    const original = [...rules];
    let stockQty = args.stock_qty;
    let amount = args.price_list_rate.times(args.qty);
    const pr = first.rule;
    if (pr.bool('mixed_conditions')) {
      const [q, a, items] = this.mixedConditions(pr, args);
      stockQty = q;
      amount = a;
      for (const c of rules) c.apply_rule_on_other_items = items;
    } else if (pr.bool('is_cumulative')) {
      const [q, a] = this.cumulative(pr);
      stockQty = stockQty.plus(q);
      amount = amount.plus(a);
    }
    let kept: Candidate[];
    if (pr.str('apply_rule_on_other') && !pr.bool('mixed_conditions')) {
      kept = this.forOtherItem(pr, rules) ?? [];
    } else {
      kept = this.filterQtyAmount(stockQty, amount, rules, args.uom);
    }
    if (kept.length === 0) {
      for (const c of original) {
        if (c.rule.dec('threshold_percentage').isZero()) continue;
        if (suggests(c.rule, stockQty, amount)) return 'suggestion';
      }
    }
    if (kept.length > 1) {
      const sameCurrency = kept.filter((c) => c.rule.str('currency') === this.doc.currency);
      if (sameCurrency.length > 0) kept = sameCurrency;
    }
    if (kept.length > 0) {
      const maxPriority = Math.max(
        ...kept.map((c) => Math.trunc(Number(c.rule.str('priority')) || 0)),
      );
      if (maxPriority)
        kept = kept.filter((c) => Math.trunc(Number(c.rule.str('priority')) || 0) === maxPriority);
    }
    if (kept.length > 1) {
      const kinds = new Set(kept.map((c) => c.rule.str('rate_or_discount')));
      if (kinds.size === 1 && kinds.has('Discount Percentage')) {
        const forList = kept.filter(
          (c) => c.rule.str('for_price_list') === this.doc.selling_price_list,
        );
        if (forList.length > 0) kept = forList;
      }
    }
    if (kept.length > 1) {
      throw new QuoteError(
        'MultiplePricingRuleConflict',
        `Multiple Price Rules exists with same criteria, please resolve conflict by assigning priority. Price Rules: ${kept.map((c) => c.name).join('\n')}`,
        `items.${args.item_code}`,
      );
    }
    return kept[0] ?? null;
  }

  private filterQtyAmount(
    qty: Dec,
    amount: Dec,
    rules: Candidate[],
    uom: string | null,
  ): Candidate[] {
    return rules.filter((c) => {
      const r = c.rule;
      let cf = new Dec(1);
      if (c.uom) {
        const item = this.master.get('Item', r.table('items')[0]?.str('item_code') ?? '');
        const row = item?.table('uoms').find((u) => u.str('uom') === c.uom);
        cf = row ? row.dec('conversion_factor') : new Dec(1);
      }
      const maxQty = r.dec('max_qty');
      const qtyOk =
        qty.gte(r.dec('min_qty').times(cf)) && (maxQty.isZero() || qty.lte(maxQty.times(cf)));
      if (uom !== null && c.uom === uom) cf = new Dec(1);
      const maxAmt = r.dec('max_amt');
      const amtOk =
        amount.gte(r.dec('min_amt').times(cf)) && (maxAmt.isZero() || amount.lte(maxAmt.times(cf)));
      return qtyOk && amtOk;
    });
  }

  /** Items (or groups with their descendants, or brands) a rule names. */
  ruleItems(rule: Fields, otherItems: boolean): string[] {
    const otherField = fieldOf(rule.str('apply_rule_on_other'));
    if (otherItems && otherField) return [rule.str(`other_${otherField}`)];
    const field = fieldOf(rule.str('apply_on'));
    const table = LEVELS.find((l) => l.field === field);
    if (!table) return [];
    const out = new Set<string>();
    for (const row of rule.table(table.table)) {
      const v = row.str(field);
      if (field === 'item_group')
        this.master.descendants('Item Group', v, 'parent_item_group').forEach((g) => out.add(g));
      else out.add(v);
    }
    return [...out];
  }

  /** `get_qty_and_rate_for_mixed_conditions`: totals over every row the rule covers. */
  private mixedConditions(rule: Fields, args: RuleArgs): [Dec, Dec, string[]] {
    const items = this.ruleItems(rule, false);
    const applyOn = fieldOf(rule.str('apply_on'));
    let sumQty = ZERO;
    let sumAmt = ZERO;
    if (items.length > 0 && applyOn) {
      for (const row of this.doc.items) {
        const v = row[applyOn] || args[applyOn];
        if (!items.includes(v)) continue;
        let amt = args.qty.times(args.price_list_rate);
        if (args.item_code !== row.item_code)
          amt = row.qty.times(
            row.price_list_rate?.isZero() === false ? row.price_list_rate : args.rate,
          );
        const rowStock = !row.stock_qty.isZero()
          ? row.stock_qty
          : !args.stock_qty.isZero()
            ? args.stock_qty
            : args.qty;
        sumQty = sumQty.plus(rowStock);
        sumAmt = sumAmt.plus(amt);
      }
      if (rule.bool('is_cumulative')) {
        const [q, a] = this.cumulative(rule);
        if (!q.isZero()) {
          sumQty = sumQty.plus(q);
          sumAmt = sumAmt.plus(a);
        }
      }
    }
    return [sumQty, sumAmt, items];
  }

  /**
   * `get_qty_amount_data_for_cumulative`: quantities of submitted invoices inside the rule's
   * validity. Offline the store holds none of ERPNext's other invoices, so this counts the
   * submitted POS Invoices the master data carries (none, unless the caller supplies them).
   */
  private cumulative(rule: Fields): [Dec, Dec] {
    const items = this.ruleItems(rule, false);
    const field = fieldOf(rule.str('apply_on'));
    const from = rule.date('valid_from');
    const upto = rule.date('valid_upto');
    let qty = ZERO;
    let amount = ZERO;
    for (const inv of this.master.all('POS Invoice')) {
      if (inv.dec('docstatus').toNumber() !== 1) continue;
      const date = inv.date('posting_date');
      if ((from && date < from) || (upto && date > upto)) continue;
      for (const row of inv.table('items')) {
        if (field && items.length > 0 && !items.includes(row.str(field))) continue;
        qty = qty.plus(row.dec('stock_qty'));
        amount = amount.plus(row.dec('amount'));
      }
    }
    return [qty, amount];
  }

  /** `get_qty_and_rate_for_other_item`: the condition is on the rule's items, the effect on others. */
  private forOtherItem(rule: Fields, rules: Candidate[]): Candidate[] | null {
    const otherItems = this.ruleItems(rule, true);
    const field = fieldOf(rule.str('apply_on'));
    if (!field) return null;
    const table = LEVELS.find((l) => l.field === field);
    const items: string[] = [];
    for (const row of rule.table(table?.table ?? '')) {
      const v = row.str(field);
      if (field === 'item_group')
        items.push(...this.master.descendants('Item Group', v, 'parent_item_group'));
      else items.push(v);
    }
    for (const row of this.doc.items) {
      if (!items.includes(row[field]) || row.qty.isZero()) continue;
      const stockQty = row.qty.times(
        row.conversion_factor?.isZero() === false ? row.conversion_factor : new Dec(1),
      );
      const plr = row.price_list_rate ?? ZERO;
      const amount = stockQty.times(!plr.isZero() ? plr : (row.rate ?? ZERO));
      const kept = this.filterQtyAmount(stockQty, amount, rules, row.uom);
      if (kept[0]) {
        kept[0].apply_rule_on_other_items = otherItems;
        return kept;
      }
    }
    return null;
  }

  /** `apply_price_discount_rule`. */
  private applyPriceDiscount(c: Candidate, details: RuleDetails, args: RuleArgs): void {
    const rule = c.rule;
    details.pricing_rule_for = rule.str('rate_or_discount');
    const marginType = rule.str('margin_type');
    if (
      ((marginType === 'Amount' || marginType === 'Percentage') &&
        rule.str('currency') === this.doc.currency) ||
      marginType === 'Percentage'
    ) {
      details.margin_type = marginType;
      details.has_margin = true;
      details.margin_rate_or_amount = rule.bool('apply_multiple_pricing_rules')
        ? details.margin_rate_or_amount.plus(rule.dec('margin_rate_or_amount'))
        : rule.dec('margin_rate_or_amount');
    }
    const kind = rule.str('rate_or_discount');
    if (kind === 'Rate') {
      const rate = rule.str('currency') === this.doc.currency ? rule.dec('rate') : ZERO;
      if (!rate.isZero()) {
        const blankUom = c.uom !== args.uom;
        details.price_list_rate = rate.times(blankUom ? args.conversion_factor : new Dec(1));
      }
      details.discount_percentage = ZERO;
    }
    for (const applyOn of ['Discount Amount', 'Discount Percentage'] as const) {
      if (kind !== applyOn) continue;
      let field: 'discount_amount' | 'discount_percentage' =
        applyOn === 'Discount Amount' ? 'discount_amount' : 'discount_percentage';
      if (
        rule.bool('apply_discount_on_rate') &&
        details.discount_percentage &&
        !details.discount_percentage.isZero()
      ) {
        const current = details[field] ?? ZERO;
        details[field] = current.plus(HUNDRED.minus(current).times(rule.dec(field).div(HUNDRED)));
      } else if (!args.price_list_rate.isZero()) {
        let value = rule.dec(field);
        let recompute = false;
        if (field === 'discount_percentage') {
          field = 'discount_amount';
          value = args.price_list_rate.times(value.div(HUNDRED));
          recompute = true;
        }
        details[field] = (details[field] ?? ZERO).plus(value);
        if (recompute && details.discount_amount && !details.discount_amount.isZero()) {
          details.discount_percentage = details.discount_amount
            .div(args.price_list_rate)
            .times(HUNDRED);
        }
      } else {
        details[field] = (details[field] ?? ZERO).plus(rule.dec(field));
      }
    }
  }

  /** `get_product_discount_rule`: the free row a product rule adds. */
  private productDiscount(rule: Fields, details: RuleDetails, args: RuleArgs): void {
    let freeItem = rule.str('free_item');
    if (rule.bool('same_item') && rule.str('apply_on') !== 'Transaction') freeItem = args.item_code;
    if (!freeItem) {
      throw new QuoteError(
        'ValidationError',
        `Free item not set in the pricing rule ${rule.str('name')}`,
        'free_item',
      );
    }
    const freeQty = rule.dec('free_qty');
    let qty = freeQty.isZero() ? new Dec(1) : freeQty;
    if (rule.bool('is_recursive')) {
      let transactionQty = ZERO;
      for (const row of this.doc.items) {
        if (
          !row.is_free_item &&
          row.item_code === args.item_code &&
          row.pricing_rules === args.pricing_rules
        ) {
          transactionQty = transactionQty.plus(row.qty);
        }
      }
      transactionQty = transactionQty.minus(rule.dec('apply_recursion_over'));
      const recurseFor = rule.dec('recurse_for');
      if (transactionQty.gt(0) && !recurseFor.isZero()) {
        qty = transactionQty.times(qty).div(recurseFor);
        if (rule.bool('round_free_qty')) {
          qty = transactionQty
            .div(recurseFor)
            .floor()
            .times(freeQty.isZero() ? new Dec(1) : freeQty);
        }
      }
    }
    if (qty.isZero()) return;
    const item = this.master.link('Item', freeItem, `Pricing Rule ${rule.str('name')}.free_item`);
    const uom = rule.str('free_item_uom') || item.str('stock_uom');
    details.free_item_data.push({
      item_code: freeItem,
      qty,
      pricing_rules: rule.str('name'),
      rate: rule.dec('free_item_rate'),
      price_list_rate: rule.dec('free_item_rate'),
      uom,
      conversion_factor: conversionFactor(item, uom, this.master),
    });
  }

  /**
   * `apply_pricing_rule_on_transaction`: rules with apply_on Transaction set the invoice's
   * additional discount or add free rows. Invoices have no `transaction_date`, so ERPNext applies
   * no validity dates here.
   */
  transactionRules(): { discount: boolean; free: FreeItem[]; removeFree: boolean } {
    const doc = this.doc;
    const all = this.master
      .all('Pricing Rule')
      .filter((r) => r.str('apply_on') === 'Transaction' && !r.bool('disable') && r.bool('selling'))
      .filter((r) => this.matchesConditions(r, null));
    const result = { discount: false, free: [] as FreeItem[], removeFree: false };
    if (all.length === 0) return result;
    let rules = this.filterQtyAmount(
      doc.total_qty,
      doc.total,
      all.map((rule) => ({ rule, name: rule.str('name'), uom: '' })),
      null,
    ).filter((c) => this.conditionHolds(c, 'transaction', ''));
    if (rules.length === 0) {
      result.removeFree = true;
      return result;
    }
    rules = rules.slice();
    for (const c of rules) {
      const d = c.rule;
      if (d.str('price_or_product_discount') === 'Price') {
        if (d.str('apply_discount_on')) doc.apply_discount_on = d.str('apply_discount_on');
        let met = false;
        for (const [field, ruleField] of [
          ['additional_discount_percentage', 'discount_percentage'],
          ['discount_amount', 'discount_amount'],
        ] as const) {
          const value = d.dec(ruleField);
          if (value.isZero()) continue;
          if (d.bool('validate_applied_rule') && doc[field].lt(value)) continue;
          if (!d.bool('coupon_code_based')) {
            doc[field] = value;
          } else if (doc.coupon_code) {
            const coupon = this.master.get('Coupon Code', doc.coupon_code);
            if (coupon?.str('pricing_rule') === c.name) {
              doc[field] = value;
              met = true;
              break;
            }
            doc[field] = ZERO;
          } else {
            doc[field] = ZERO;
          }
        }
        result.discount = true;
        if (met) break;
      } else if (d.str('price_or_product_discount') === 'Product') {
        const details: RuleDetails = { ...emptyDetails(), free_item_data: [] };
        this.productDiscount(d, details, { ...noArgs, item_code: '' });
        result.free.push(...details.free_item_data);
      }
    }
    return result;
  }
}

const emptyDetails = (): RuleDetails => ({
  pricing_rules: null,
  price_or_product_discount: '',
  pricing_rule_for: '',
  validate_applied_rule: false,
  discount_percentage: null,
  discount_amount: null,
  price_list_rate: null,
  margin_type: '',
  margin_rate_or_amount: ZERO,
  has_margin: false,
  free_item_data: [],
  apply_rule_on_other_items: null,
});

const noArgs: RuleArgs = {
  item_code: '',
  item_group: '',
  brand: '',
  variant_of: '',
  uom: '',
  qty: ZERO,
  stock_qty: ZERO,
  conversion_factor: new Dec(1),
  price_list_rate: ZERO,
  rate: ZERO,
  warehouse: '',
  transaction_date: '',
  pricing_rules: '',
  is_free_item: false,
};

function allApplyMultiple(rules: Candidate[]): boolean {
  return rules.every((c) => c.rule.bool('apply_multiple_pricing_rules'));
}

/** `validate_quantity_and_amount_for_suggestion`: within threshold_percentage of a limit. */
function suggests(rule: Fields, qty: Dec, amount: Dec): boolean {
  const pct = rule.dec('threshold_percentage');
  for (const [field, value] of [
    ['min_qty', qty],
    ['min_amt', amount],
  ] as const) {
    const limit = rule.dec(field);
    if (
      !limit.isZero() &&
      value.lt(limit) &&
      limit.minus(limit.times(pct).div(100).trunc()).lte(value)
    )
      return true;
  }
  for (const [field, value] of [
    ['max_qty', qty],
    ['max_amt', amount],
  ] as const) {
    const limit = rule.dec(field);
    if (
      !limit.isZero() &&
      value.gt(limit) &&
      limit.plus(limit.times(pct).div(100).trunc()).gte(value)
    )
      return true;
  }
  return false;
}

/**
 * `get_conversion_factor(item, uom)`: the item's UOM table, else the global UOM Conversion Factor
 * from the UOM to the stock UOM, else 1 (ERPNext accepts the line at factor 1).
 */
export function conversionFactor(item: Fields, uom: string, master?: Master): Dec {
  const stockUom = item.str('stock_uom');
  if (!uom || uom === stockUom) return new Dec(1);
  const row = item.table('uoms').find((u) => u.str('uom') === uom);
  if (row && !row.dec('conversion_factor').isZero()) return row.dec('conversion_factor');
  const global = master
    ?.all('UOM Conversion Factor')
    .find((f) => f.str('from_uom') === uom && f.str('to_uom') === stockUom);
  return global && !global.dec('value').isZero() ? global.dec('value') : new Dec(1);
}
