import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cstr } from '../doc.js';
import { dbSet, insertDoc } from '../document.js';
import type { HookRegistry } from '../hooks.js';
import { printedMessage } from '../errors.js';

/** Frappe's parse_full_name: first word, last word, and whatever lies between. */
function parseFullName(full: string): [string, string | undefined, string | undefined] {
  const parts = full.trim().split(/\s+/);
  const first = parts[0] ?? '';
  if (parts.length === 1) return [first, undefined, undefined];
  const last = parts[parts.length - 1];
  const middle = parts.length > 2 ? parts.slice(1, -1).join(' ') : undefined;
  return [first, middle, last];
}

/**
 * Customer.get_customer_name (erpnext/selling/doctype/customer/customer.py): a taken name
 * (MariaDB compares case-insensitively) becomes "<name> - <n>", n one more than the largest
 * number ending a name LIKE '%<name> - %', with a yellow note, not an error [226].
 */
function customerName(doc: Doc, ctx: SiteContext): string {
  const wanted = cstr(doc['customer_name']).trim();
  const sql = ctx.db.sql;
  const taken = sql
    .prepare("SELECT 1 FROM docs WHERE doctype = 'Customer' AND name = ? COLLATE NOCASE")
    .get(wanted);
  if (!taken) return wanted;
  const names = sql
    .prepare("SELECT name FROM docs WHERE doctype = 'Customer' AND name LIKE ?")
    .pluck()
    .all(`%${wanted} - %`) as string[];
  const count = Math.max(
    0,
    ...names.map((n) => Number(/^\d+/.exec(n.slice(n.lastIndexOf(' ') + 1))?.[0] ?? 0)),
  );
  const renamed = `${wanted} - ${count + 1}`;
  ctx.messages?.push({
    ...printedMessage(
      `Changed customer name to '${renamed}' as '${wanted}' already exists.`,
      'Note',
    ),
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
    autoname: (doc: Doc, ctx) => (doc['customer_name'] ? customerName(doc, ctx) : undefined),
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
