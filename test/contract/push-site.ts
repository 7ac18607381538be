import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { data, message, rows, type Row } from './frappe-body.js';
import type { Frappe } from './target.js';

/**
 * What the push-path contract tests set up on the target site, each under a name no other run
 * uses: unique uuid Custom Fields (the same fieldname on POS Invoice and Sales Invoice, as the
 * recorder did in 210/211, and one on Customer), a non-stock item priced 20 with a 10 %
 * Pricing Rule of its own, and an open POS Opening Entry for the profile and the key's user.
 */
export interface PushSite {
  readonly run: string;
  readonly user: string;
  readonly profile: Row;
  readonly company: string;
  readonly mode: string;
  readonly priceList: string;
  readonly warehouse: string;
  /** The uuid fieldname on POS Invoice and Sales Invoice, and the one on Customer. */
  readonly saleField: string;
  readonly customerField: string;
  readonly item: string;
  readonly rule: string;
  readonly opening: string;
  /** A customer the site already has (the profile's, else any). */
  readonly customer: string;
  /** An account of type Tax of the company, if the site has one. */
  readonly taxAccount: string | undefined;
}

/** A string field's value, '' when it is unset. */
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export const uuid = (run: string): string => `OCT-${run}-${randomBytes(6).toString('hex')}`;

/** Create what the push tests need; every created document goes to `created` for cleanup. */
export async function setUpPushSite(
  api: Frappe,
  profileName: string,
  user: string,
  created: { doctype: string; name: string }[],
): Promise<PushSite> {
  const run = randomBytes(3).toString('hex').toLowerCase();
  const profile = data(await api.get('POS Profile', profileName));
  const company = String(profile['company']);
  const mode = String((profile['payments'] as Row[])[0]?.['mode_of_payment']);
  const priceList = String(profile['selling_price_list']);
  const saleField = `outpost_ct_${run}_sale_uuid`;
  const customerField = `outpost_ct_${run}_cust_uuid`;
  for (const [dt, fieldname] of [
    ['POS Invoice', saleField],
    ['Sales Invoice', saleField],
    ['Customer', customerField],
  ] as const) {
    const made = data(
      await api.insert('Custom Field', {
        dt,
        fieldname,
        label: `Outpost CT ${run} ${dt === 'Customer' ? 'Customer' : 'Sale'} UUID`,
        fieldtype: 'Data',
        unique: 1,
        insert_after: dt === 'Customer' ? 'customer_name' : 'customer',
      }),
    );
    created.push({ doctype: 'Custom Field', name: String(made['name']) });
  }
  const item = `OCT-${run.toUpperCase()}-PUSH`;
  data(
    await api.insert('Item', {
      item_code: item,
      item_name: item,
      item_group: await taxFreeGroup(api),
      stock_uom: 'Nos',
      is_stock_item: 0,
    }),
  );
  created.push({ doctype: 'Item', name: item });
  const price = data(
    await api.insert('Item Price', {
      item_code: item,
      price_list: priceList,
      price_list_rate: 20,
      selling: 1,
    }),
  );
  created.push({ doctype: 'Item Price', name: String(price['name']) });
  const rule = data(
    await api.insert('Pricing Rule', {
      title: `Outpost CT ${run} 10%`,
      apply_on: 'Item Code',
      items: [{ item_code: item }],
      selling: 1,
      company,
      price_or_product_discount: 'Price',
      rate_or_discount: 'Discount Percentage',
      discount_percentage: 10,
    }),
  );
  created.push({ doctype: 'Pricing Rule', name: String(rule['name']) });
  const opening = data(
    await api.insert('POS Opening Entry', {
      period_start_date: new Date(Date.now() - 3_600_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' '),
      company,
      pos_profile: profileName,
      user,
      balance_details: [{ mode_of_payment: mode, opening_amount: 0 }],
      docstatus: 1,
    }),
  );
  created.push({ doctype: 'POS Opening Entry', name: String(opening['name']) });
  const customer =
    text(profile['customer']) || text(rows(await api.list('Customer', { limit: 1 }))[0]?.['name']);
  const tax = rows(
    await api.list('Account', {
      filters: [
        ['company', '=', company],
        ['account_type', '=', 'Tax'],
        ['is_group', '=', 0],
      ],
      limit: 1,
    }),
  )[0];
  return {
    run,
    user,
    profile,
    company,
    mode,
    priceList,
    warehouse: String(profile['warehouse']),
    saleField,
    customerField,
    item,
    rule: String(rule['name']),
    opening: String(opening['name']),
    customer,
    taxAccount: tax ? String(tax['name']) : undefined,
  };
}

/**
 * A leaf Item Group with no Item Tax Template on it or above it, so a tax row sent at 6 % is
 * charged at 6 % (an item tax template would replace the rate); else the first leaf group.
 */
async function taxFreeGroup(api: Frappe): Promise<string | undefined> {
  const leaves = rows(await api.list('Item Group', { filters: [['is_group', '=', 0]], limit: 50 }));
  for (const leaf of leaves) {
    let name = String(leaf['name']);
    let clean = true;
    while (name && clean) {
      const group = data(await api.get('Item Group', name));
      clean = ((group['taxes'] as Row[] | undefined) ?? []).length === 0;
      name = text(group['parent_item_group']);
    }
    if (clean) return String(leaf['name']);
  }
  return leaves[0] ? String(leaves[0]['name']) : undefined;
}

/** A POS Invoice body for the push site, with `extra` (items, flags, uuid) on top. */
export function posInvoice(site: PushSite, extra: Row): Row {
  return {
    company: site.company,
    pos_profile: site.profile['name'],
    customer: site.customer,
    is_pos: 1,
    update_stock: 1,
    selling_price_list: site.priceList,
    payments: [{ mode_of_payment: site.mode, amount: 0 }],
    ...extra,
  };
}

/**
 * Insert a draft, pay it in full (the site may add its own taxes), then submit it with PUT:
 * the push path's two steps (an insert with docstatus 1 would skip before_save).
 */
export async function sell(
  api: Frappe,
  doctype: 'POS Invoice' | 'Sales Invoice',
  body: Row,
  created: { doctype: string; name: string }[],
): Promise<Row> {
  const draft = data(await api.insert(doctype, { ...body, docstatus: 0 }));
  const name = String(draft['name']);
  created.push({ doctype, name });
  const total = Number(draft['rounded_total'] || draft['grand_total']);
  const paid = Number(draft['paid_amount']);
  if (paid !== total) {
    const payments = (draft['payments'] as Row[]).map((p, i) => ({
      ...p,
      amount: i === 0 ? total : 0,
    }));
    data(await api.update(doctype, name, { payments }));
  }
  const done = data(await api.update(doctype, name, { docstatus: 1 }));
  expect(done['docstatus']).toBe(1);
  return done;
}

/** Loyalty Point Entries naming an invoice. */
export async function loyaltyEntries(api: Frappe, invoice: string): Promise<Row[]> {
  return rows(
    await api.list('Loyalty Point Entry', {
      fields: ['name', 'invoice', 'loyalty_points'],
      filters: [['invoice', '=', invoice]],
    }),
  );
}

/** The customer's current points in a loyalty program (loyalty_program must be given, 074). */
export async function loyaltyBalance(
  api: Frappe,
  customer: string,
  program: string,
  company: string,
): Promise<number> {
  const details = message(
    await api.method(
      'erpnext.accounts.doctype.loyalty_program.loyalty_program.get_loyalty_program_details_with_points',
      { customer, loyalty_program: program, company },
    ),
  ) as Row;
  return Number(details['loyalty_points']);
}

/** Best effort, newest first: cancel what is submitted, delete everything; report, never throw. */
export async function removeAll(
  api: Frappe,
  created: readonly { doctype: string; name: string }[],
): Promise<void> {
  for (const { doctype, name } of [...created].reverse()) {
    try {
      const got = await api.get(doctype, name);
      if (got.status === 404) continue;
      const docstatus = (got.body as { data?: Row } | undefined)?.data?.['docstatus'];
      if (docstatus === 1) await api.method('frappe.client.cancel', { doctype, name });
      const del = await api.delete(doctype, name);
      if (del.status !== 202) console.warn(`contract cleanup: ${doctype} ${name}: ${del.status}`);
    } catch (e) {
      console.warn(`contract cleanup: ${doctype} ${name}: ${String(e)}`);
    }
  }
}
