import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr, rowsOf } from '../doc.js';
import { persistDoc } from '../doc-store.js';
import { hashName } from '../naming.js';
import { binQty } from './stock.js';
import { findDocs, readDoc } from './store.js';

/** A company default account, or ERPNext's standard "<Name> - <abbr>" chart name. */
export function companyAccount(company: Doc | undefined, field: string, standard: string): string {
  const set = cstr(company?.[field]);
  if (set) return set;
  return company ? `${standard} - ${cstr(company['abbr'])}` : '';
}

/** The Item Default row of an item for a company. */
function itemDefault(item: Doc | undefined, company: string): Doc | undefined {
  return rowsOf(item ?? {}, 'item_defaults').find((r) => cstr(r['company']) === company);
}

/** Party details (set_missing_lead_customer_details): contact, debit_to, loyalty program. */
export function setPartyDetails(ctx: SiteContext, doc: Doc, company: Doc | undefined): void {
  const customer = readDoc(ctx, 'Customer', cstr(doc['customer']));
  if (!customer) return;
  doc['customer_name'] ||= customer['customer_name'];
  doc['title'] ||= doc['customer_name'];
  doc['territory'] ||= customer['territory'];
  doc['customer_group'] ||= customer['customer_group'];
  doc['loyalty_program'] ||= cstr(customer['loyalty_program']) || undefined;
  doc['language'] ||= cstr(customer['language']) || 'en';
  const contactName = cstr(customer['customer_primary_contact']);
  const contact = readDoc(ctx, 'Contact', contactName);
  if (contact && !doc['contact_person']) {
    doc['contact_person'] = contactName;
    const full = [contact['first_name'], contact['middle_name'], contact['last_name']]
      .map(cstr)
      .filter(Boolean)
      .join(' ');
    doc['contact_display'] = full || cstr(contact['company_name']);
    doc['contact_mobile'] = contact['mobile_no'] || undefined;
    doc['contact_email'] = contact['email_id'] || undefined;
  }
  doc['debit_to'] ||= companyAccount(company, 'default_receivable_account', 'Debtors');
  doc['party_account_currency'] ||= company?.['default_currency'];
}

/** Item rows' accounts, cost center and projected stock (set_missing_item_details). */
export function setItemAccounts(ctx: SiteContext, doc: Doc, company: Doc | undefined): void {
  const companyName = cstr(company?.['name']);
  const profile = readDoc(ctx, 'POS Profile', cstr(doc['pos_profile']));
  const items = findDocs(ctx, 'Item', [
    ['name', 'in', rowsOf(doc, 'items').map((r) => cstr(r['item_code']))],
  ]);
  for (const row of rowsOf(doc, 'items')) {
    const item = items.find((i) => i['name'] === row['item_code']);
    const defaults = itemDefault(item, companyName);
    row['image'] ??= cstr(item?.['image']);
    row['income_account'] ||=
      cstr(defaults?.['income_account']) ||
      cstr(profile?.['income_account']) ||
      companyAccount(company, 'default_income_account', 'Sales');
    row['expense_account'] ||=
      cstr(defaults?.['expense_account']) ||
      cstr(profile?.['expense_account']) ||
      companyAccount(company, 'default_expense_account', 'Cost of Goods Sold');
    row['cost_center'] ||=
      cstr(defaults?.['selling_cost_center']) ||
      cstr(profile?.['cost_center']) ||
      companyAccount(company, 'cost_center', 'Main');
    row['warehouse'] ||= doc['set_warehouse'];
    row['actual_qty'] = binQty(ctx, cstr(row['item_code']), cstr(row['warehouse']));
  }
}

/**
 * set_default_income_account_for_item (SellingController.validate): an item without an income
 * account in its company's Item Default gets the row's; an item without such a row gets one.
 */
export function setDefaultIncomeAccounts(ctx: SiteContext, doc: Doc): void {
  const company = cstr(doc['company']);
  for (const row of rowsOf(doc, 'items')) {
    const account = cstr(row['income_account']);
    const item = account ? readDoc(ctx, 'Item', cstr(row['item_code'])) : undefined;
    if (!item) continue;
    const defaults = rowsOf(item, 'item_defaults');
    const own = defaults.find((d) => cstr(d['company']) === company);
    if (own && cstr(own['income_account'])) continue;
    const stamp = ctx.time.stamp();
    if (own) Object.assign(own, { income_account: account, modified: stamp });
    else {
      item['item_defaults'] = [
        ...defaults,
        {
          name: hashName(),
          idx: defaults.length + 1,
          company,
          income_account: account,
          owner: ctx.user,
          creation: stamp,
          modified: stamp,
          modified_by: ctx.user,
          docstatus: 0,
          parent: item['name'],
          parentfield: 'item_defaults',
          parenttype: 'Item',
        },
      ];
    }
    // A direct write to the child row, as frappe.db.set_value: the Item's own modified stays.
    persistDoc(ctx, ctx.meta.require('Item'), item, false);
  }
}
