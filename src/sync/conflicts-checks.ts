import { z } from 'zod';
import { parseJsonWith, toDec } from '../core/index.js';
import type { ConflictReads } from '../store/conflict-reads.js';
import { cachedDocSchema } from '../store/erp-docs.js';
import { priceNow } from './conflicts-price.js';
import { changedSince, figure, percent, ruleNames, type SaleInvoice } from './conflicts-sale.js';

/** A sale as the checks read it: its signed invoice and its moment in ERPNext's stamps. */
export interface Sale {
  readonly inv: SaleInvoice;
  readonly stamp: string;
}

/** What one check found on one sale; the report adds the sale's own columns. */
export interface Finding {
  readonly kind: 'price' | 'pricing_rule' | 'item_disabled' | 'customer' | 'tax_template';
  readonly item_code: string | null;
  readonly doctype: string;
  readonly name: string;
  /** The value the signed record carries; null when the change is only "modified after". */
  readonly at_sale: string | null;
  readonly now: string;
  readonly message: string;
}

type Rec = Readonly<Record<string, unknown>>;
interface Cached {
  readonly modified: string;
  readonly data: Rec;
}

/**
 * The pulled documents a report reads, each parsed once per run: 10,000 sales name a few
 * hundred distinct items, rules, customers and templates.
 */
export class DocCache {
  private readonly memo = new Map<string, Cached | null>();
  private readonly lists = new Map<string, (Cached & { readonly name: string })[]>();
  constructor(readonly reads: ConflictReads) {}

  /** Every pulled document of a doctype, with its name (read and parsed once per run). */
  all(doctype: string): readonly (Cached & { readonly name: string })[] {
    let hit = this.lists.get(doctype);
    if (!hit) {
      hit = this.reads.docsOf(doctype).map((row) => ({
        name: row.name,
        modified: row.modified,
        data: parseJsonWith(cachedDocSchema(doctype), row.data, `store ${doctype} ${row.name}`),
      }));
      this.lists.set(doctype, hit);
    }
    return hit;
  }

  get(doctype: string, name: string): Cached | null {
    const key = `${doctype}\u0000${name}`;
    let hit = this.memo.get(key);
    if (hit === undefined) {
      const row = this.reads.doc(doctype, name);
      hit = row
        ? {
            modified: row.modified,
            data: parseJsonWith(cachedDocSchema(doctype), row.data, `store ${doctype} ${name}`),
          }
        : null;
      this.memo.set(key, hit);
    }
    return hit;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A cached copy drops zeros and blanks (catalog.ts `compact`): missing reads as 0. */
const on = (v: unknown): boolean => v === 1 || v === true;
const rows = (v: unknown): Rec[] =>
  Array.isArray(v) ? v.filter((r): r is Rec => typeof r === 'object' && r !== null) : [];

/** Each priced row's Item Price at sale against the one the store holds now. */
export function priceFindings({ inv }: Sale, docs: DocCache): Finding[] {
  const out: Finding[] = [];
  const priceList = docs.get('Price List', inv.selling_price_list);
  const uomIndependent = on(priceList?.data['price_not_uom_dependent']);
  for (const row of inv.items) {
    if (on(row.is_free_item) || setsRate(row.pricing_rules, docs)) continue;
    const atSale = toDec(row.price_list_rate);
    const query = {
      customer: inv.customer,
      postingDate: inv.posting_date,
      uom: row.uom,
      stockUom: row.stock_uom ?? row.uom,
      qty: toDec(row.qty),
      conversionFactor: row.conversion_factor == null ? toDec(1) : toDec(row.conversion_factor),
      uomIndependent,
    };
    let now = priceNow({
      ...query,
      rows: docs.reads.prices(row.item_code, inv.selling_price_list),
    });
    const variantOf = str(docs.get('Item', row.item_code)?.data['variant_of']);
    if (now === null && variantOf) {
      now = priceNow({ ...query, rows: docs.reads.prices(variantOf, inv.selling_price_list) });
    }
    // A line sold without a list price (an open price) had nothing to change.
    if (now === null ? atSale.isZero() : now.equals(atSale)) continue;
    const was = figure(atSale);
    const is = now === null ? 'no price' : figure(now);
    out.push({
      kind: 'price',
      item_code: row.item_code,
      doctype: 'Item Price',
      name: inv.selling_price_list,
      at_sale: was,
      now: is,
      message:
        now === null
          ? `${row.item_code} was sold at the list price ${was} (${inv.selling_price_list}); ERPNext now has no price for it`
          : `${row.item_code} was sold at the list price ${was} (${inv.selling_price_list}); ERPNext's price is now ${is}`,
    });
  }
  return out;
}

/**
 * A 'Rate' rule with a rate overrides the row's price_list_rate (`apply_price_discount_rule`,
 * erpnext/accounts/doctype/pricing_rule/pricing_rule.py): the Item Price did not price it.
 */
function setsRate(rules: string | null | undefined, docs: DocCache): boolean {
  return ruleNames(rules).some((name) => {
    const rule = docs.get('Pricing Rule', name)?.data;
    return rule?.['rate_or_discount'] === 'Rate' && !toDec(rule['rate']).isZero();
  });
}

/** Every rule the sale applied that is now deleted, disabled or modified after the sale. */
export function ruleFindings({ inv, stamp }: Sale, docs: DocCache): Finding[] {
  const applied = new Map<string, string | null>(); // rule + item → item (null: whole invoice)
  for (const row of inv.items) {
    for (const rule of ruleNames(row.pricing_rules))
      applied.set(`${rule}\u0000${row.item_code}`, row.item_code);
  }
  for (const r of inv.pricing_rules ?? []) {
    const item = r.item_code ? r.item_code : null;
    applied.set(`${r.pricing_rule}\u0000${item ?? ''}`, item);
  }
  const out: Finding[] = [];
  for (const [key, item] of applied) {
    const name = key.split('\u0000')[0] ?? '';
    const doc = docs.get('Pricing Rule', name);
    const title = str(doc?.data['title']);
    const label = title ? `${name} (${title})` : name;
    const base = { kind: 'pricing_rule', item_code: item, doctype: 'Pricing Rule', name } as const;
    const on_ = item ? ` on ${item}` : '';
    if (!doc) {
      out.push({
        ...base,
        at_sale: 'applied',
        now: 'deleted',
        message: `Pricing rule ${label} applied${on_} at sale has since been deleted in ERPNext`,
      });
    } else if (on(doc.data['disable'])) {
      out.push({
        ...base,
        at_sale: 'applied',
        now: 'disabled',
        message: `Pricing rule ${label} applied${on_} at sale is now disabled in ERPNext`,
      });
    } else if (changedSince(doc.modified, stamp)) {
      out.push({
        ...base,
        at_sale: null,
        now: `modified ${doc.modified}`,
        message: `Pricing rule ${label} applied${on_} at sale was modified in ERPNext at ${doc.modified}, after the sale`,
      });
    }
  }
  return dedupe(out);
}

/** Items sold that ERPNext has since disabled or deleted. */
export function itemFindings({ inv }: Sale, docs: DocCache): Finding[] {
  const out: Finding[] = [];
  for (const code of new Set(inv.items.map((r) => r.item_code))) {
    const doc = docs.get('Item', code);
    if (doc && !on(doc.data['disabled'])) continue;
    const now = doc ? 'disabled' : 'deleted';
    out.push({
      kind: 'item_disabled',
      item_code: code,
      doctype: 'Item',
      name: code,
      at_sale: 'enabled',
      now,
      message: `Item ${code} was on sale then; it is now ${now} in ERPNext`,
    });
  }
  return out;
}

/** The customer's group or loyalty program now different, or the customer changed at all. */
export function customerFindings({ inv, stamp }: Sale, docs: DocCache): Finding[] {
  let name = inv.customer;
  const local = docs.reads.localCustomer(name);
  if (local === '') return []; // created at the till and not in ERPNext yet: nothing to compare
  if (local !== undefined) name = local;
  const doc = docs.get('Customer', name);
  const base = { kind: 'customer', item_code: null, doctype: 'Customer', name } as const;
  if (!doc) {
    return [
      {
        ...base,
        at_sale: inv.customer,
        now: 'deleted',
        message: `Customer ${name} has since been deleted in ERPNext`,
      },
    ];
  }
  const out: Finding[] = [];
  const fields = [
    ['customer_group', 'customer group', inv.customer_group],
    ['loyalty_program', 'loyalty program', inv.loyalty_program],
  ] as const;
  for (const [field, label, was] of fields) {
    if (was == null) continue; // the record did not carry it
    const is = str(doc.data[field]);
    if (is === was) continue;
    out.push({
      ...base,
      at_sale: was,
      now: is,
      message: `Customer ${name}'s ${label} was ${was || '(none)'} at sale; it is now ${is || '(none)'}`,
    });
  }
  if (out.length === 0 && on(doc.data['disabled'])) {
    out.push({
      ...base,
      at_sale: 'enabled',
      now: 'disabled',
      message: `Customer ${name} is now disabled in ERPNext`,
    });
  } else if (out.length === 0 && local === undefined && changedSince(doc.modified, stamp)) {
    // Not for a customer created at the till: its ERPNext record was made after the sale by the
    // push, and ERPNext saves it again on insert (the primary contact's db_set), so its
    // `modified` says nothing; a changed group or loyalty program is still reported above.
    out.push({
      ...base,
      at_sale: null,
      now: `modified ${doc.modified}`,
      message: `Customer ${name} was modified in ERPNext at ${doc.modified}, after the sale`,
    });
  }
  return out;
}

/** The sale's tax template and its rows' item tax templates: gone, disabled, or changed. */
export function taxFindings({ inv, stamp }: Sale, docs: DocCache): Finding[] {
  const out: Finding[] = [];
  if (inv.taxes_and_charges) {
    const atSale = (inv.taxes ?? []).map((t) => `${t.account_head} ${percent(t.rate)}`).join(', ');
    const found = templateFinding(
      docs.get('Sales Taxes and Charges Template', inv.taxes_and_charges),
      (d) =>
        rows(d['taxes'])
          .map((t) => `${str(t['account_head'])} ${percent(t['rate'])}`)
          .join(', '),
      atSale,
      stamp,
    );
    if (found) {
      out.push({
        kind: 'tax_template',
        item_code: null,
        doctype: 'Sales Taxes and Charges Template',
        name: inv.taxes_and_charges,
        at_sale: found.at_sale,
        now: found.now,
        message: `Tax template ${inv.taxes_and_charges}: ${found.what}`,
      });
    }
  }
  const seen = new Set<string>();
  for (const row of inv.items) {
    const name = row.item_tax_template;
    if (!name || seen.has(`${name}\u0000${row.item_code}`)) continue;
    seen.add(`${name}\u0000${row.item_code}`);
    const found = templateFinding(
      docs.get('Item Tax Template', name),
      (d) =>
        rows(d['taxes'])
          .map((t) => `${str(t['tax_type'])} ${percent(t['tax_rate'])}`)
          .join(', '),
      itemTaxRates(row.item_tax_rate),
      stamp,
    );
    if (found) {
      out.push({
        kind: 'tax_template',
        item_code: row.item_code,
        doctype: 'Item Tax Template',
        name,
        at_sale: found.at_sale,
        now: found.now,
        message: `Item tax template ${name} on ${row.item_code}: ${found.what}`,
      });
    }
  }
  return out;
}

const rateMap = z.record(z.string(), z.union([z.number(), z.string()]));

/** The row's `item_tax_rate` JSON as `account rate%, …` in the template's order. */
function itemTaxRates(text: string | null | undefined): string {
  if (!text) return '';
  return Object.entries(parseJsonWith(rateMap, text, 'item_tax_rate'))
    .map(([account, rate]) => `${account} ${percent(rate)}`)
    .join(', ');
}

function templateFinding(
  doc: Cached | null,
  ratesNow: (data: Rec) => string,
  atSale: string,
  stamp: string,
): { at_sale: string; now: string; what: string } | null {
  if (!doc) return { at_sale: atSale, now: 'deleted', what: 'deleted in ERPNext since the sale' };
  if (on(doc.data['disabled'])) {
    return { at_sale: atSale, now: 'disabled', what: 'disabled in ERPNext since the sale' };
  }
  const now = ratesNow(doc.data);
  if (now !== atSale) {
    return { at_sale: atSale, now, what: `rates were ${atSale} at sale; they are now ${now}` };
  }
  if (changedSince(doc.modified, stamp)) {
    return {
      at_sale: atSale,
      now,
      what: `modified in ERPNext at ${doc.modified}, after the sale (same rates)`,
    };
  }
  return null;
}

/** A rule reported for an item and for the invoice's own list of the same item, once. */
function dedupe(found: Finding[]): Finding[] {
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.name}\u0000${f.item_code ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
