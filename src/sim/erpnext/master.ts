import type { MasterInput } from '../../core/index.js';
import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, rowsOf } from '../doc.js';
import { findDocs, readDoc } from './store.js';

/** Every document of a small master doctype (groups, templates, rules). */
const all = (ctx: SiteContext, doctype: string): Doc[] => findDocs(ctx, doctype, []);

/**
 * The pricing engine's master data for one invoice, read from the site: only the records the
 * invoice can reach (its customer, profile, items and their prices, rules, templates, loyalty),
 * so pricing stays cheap on a million-item catalog.
 */
export function masterFor(ctx: SiteContext, doctype: string, doc: Doc): MasterInput {
  const codes = new Set(rowsOf(doc, 'items').map((r) => cstr(r['item_code'])));
  const bundles = findDocs(ctx, 'Product Bundle', [['new_item_code', 'in', [...codes]]]);
  for (const b of bundles) for (const r of rowsOf(b, 'items')) codes.add(cstr(r['item_code']));
  const rules = findDocs(ctx, 'Pricing Rule', [['disable', '=', 0]]);
  for (const r of rules) {
    if (cstr(r['free_item'])) codes.add(cstr(r['free_item']));
    for (const row of rowsOf(r, 'items')) codes.add(cstr(row['item_code']));
  }
  const itemCodes = [...codes].filter(Boolean);
  const customer = readDoc(ctx, 'Customer', cstr(doc['customer']));
  const program = cstr(doc['loyalty_program']) || cstr(customer?.['loyalty_program']);
  const one = (dt: string, name: string): Doc[] => {
    const d = readDoc(ctx, dt, name);
    return d ? [d] : [];
  };
  const profile = one('POS Profile', cstr(doc['pos_profile']));
  // AccountsController.is_rounded_total_disabled: a doctype with a disable_rounded_total field
  // of its own (Sales Invoice) uses it; POS Invoice has none, so Global Defaults decides.
  const ownFlag = ctx.meta.get(doctype)?.fieldMap.has('disable_rounded_total') ?? false;
  return {
    ...(ownFlag ? { system: { disable_rounded_total: cint(doc['disable_rounded_total']) } } : {}),
    // The engine derives precision and rounding from these as ERPNext does (core siteSettings):
    // disable_rounded_total from Global Defaults, never from System Settings or the profile.
    'System Settings': one('System Settings', 'System Settings'),
    'Global Defaults': one('Global Defaults', 'Global Defaults'),
    'POS Profile': profile,
    Company: one('Company', cstr(profile[0]?.['company']) || cstr(doc['company'])),
    Customer: customer ? [customer] : [],
    'Customer Group': all(ctx, 'Customer Group'),
    Territory: all(ctx, 'Territory'),
    'Item Group': all(ctx, 'Item Group'),
    Brand: all(ctx, 'Brand'),
    Item: findDocs(ctx, 'Item', [['name', 'in', itemCodes]]),
    'Item Price': findDocs(ctx, 'Item Price', [['item_code', 'in', itemCodes]]),
    'Pricing Rule': rules,
    'Product Bundle': bundles,
    'Item Tax Template': all(ctx, 'Item Tax Template'),
    'Sales Taxes and Charges Template': all(ctx, 'Sales Taxes and Charges Template'),
    'Mode of Payment': all(ctx, 'Mode of Payment'),
    Currency: all(ctx, 'Currency'),
    'Price List': all(ctx, 'Price List'),
    UOM: all(ctx, 'UOM'),
    'Coupon Code': all(ctx, 'Coupon Code'),
    'Loyalty Program': program ? one('Loyalty Program', program) : [],
    'Loyalty Point Entry': customer
      ? findDocs(ctx, 'Loyalty Point Entry', [['customer', '=', cstr(customer['name'])]])
      : [],
  };
}
