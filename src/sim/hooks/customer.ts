import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr } from '../doc.js';
import { dbSet, insertDoc } from '../document.js';
import type { HookRegistry } from '../hooks.js';
import { getList } from '../query.js';

/** Frappe's parse_full_name: first word, last word, and whatever lies between. */
function parseFullName(full: string): [string, string | undefined, string | undefined] {
  const parts = full.trim().split(/\s+/);
  const first = parts[0] ?? '';
  if (parts.length === 1) return [first, undefined, undefined];
  const last = parts[parts.length - 1];
  const middle = parts.length > 2 ? parts.slice(1, -1).join(' ') : undefined;
  return [first, middle, last];
}

/** MariaDB's CAST(s AS UNSIGNED): the leading digits, 0 when there are none. */
const unsigned = (s: string): number => Number(/^\d*/.exec(s.trim())?.[0] || 0);

/**
 * Customer.get_customer_name (erpnext/selling/doctype/customer/customer.py): a customer_name
 * already taken as a name becomes "<name> - N", N one above the highest number that ends a name
 * like "%<name> - %", with a yellow note. Not an error: a retried insert makes a second customer.
 */
function customerName(ctx: SiteContext, name: string): string {
  if (!ctx.db.exists('Customer', name)) return name;
  const like = getList(ctx, {
    doctype: 'Customer',
    fields: ['name'],
    filters: [['name', 'like', `%${name} - %`]],
    pageLength: 0,
  });
  const highest = Math.max(0, ...like.map((r) => unsigned(cstr(r['name']).split(' ').pop() ?? '')));
  const renamed = `${name} - ${highest + 1}`;
  ctx.messages?.push({
    message: `Changed customer name to '${renamed}' as '${name}' already exists.`,
    title: 'Note',
    indicator: 'yellow',
  });
  return renamed;
}

/**
 * ERPNext's Customer controller, the framework-visible part: named by "Customer Name" (the
 * recorded site's Selling Settings), and a primary Contact made from mobile_no / email_id.
 */
export function registerCustomerHooks(hooks: HookRegistry): void {
  hooks.register('Customer', {
    autoname: (doc: Doc, ctx) => {
      if (!doc['customer_name']) return undefined;
      return customerName(ctx, cstr(doc['customer_name']).trim());
    },
    afterInsert: (doc, ctx) => {
      if (doc['customer_primary_contact'] || !(doc['mobile_no'] || doc['email_id'])) return;
      const contact: Doc = {
        is_primary_contact: 1,
        links: [{ link_doctype: 'Customer', link_name: doc['name'] }],
        email_ids: doc['email_id'] ? [{ email_id: doc['email_id'], is_primary: 1 }] : [],
        phone_nos: doc['mobile_no'] ? [{ phone: doc['mobile_no'], is_primary_mobile_no: 1 }] : [],
      };
      if (doc['customer_type'] === 'Individual') {
        const [first, middle, last] = parseFullName(cstr(doc['customer_name']));
        Object.assign(contact, { first_name: first, middle_name: middle, last_name: last });
      } else {
        contact['company_name'] = doc['customer_name'];
      }
      const made = insertDoc(ctx, 'Contact', contact, { ignorePermissions: true });
      dbSet(ctx, 'Customer', doc, { customer_primary_contact: made['name'] });
    },
  });
}
