import type { Doc } from '../doc.js';
import { cstr, rowsOf } from '../doc.js';
import type { HookRegistry } from '../hooks.js';

const fullName = (doc: Doc): string =>
  [doc['first_name'], doc['middle_name'], doc['last_name']]
    .filter((x) => x)
    .map(cstr)
    .join(' ') || cstr(doc['company_name']);

/** Frappe's Contact controller: "<full name>-<first linked party>", primary email and phones. */
export function registerContactHooks(hooks: HookRegistry): void {
  hooks.register('Contact', {
    autoname: (doc, ctx) => {
      const link = rowsOf(doc, 'links')[0];
      const base = link ? `${fullName(doc)}-${cstr(link['link_name']).trim()}` : fullName(doc);
      let name = base;
      for (let n = 1; ctx.db.exists('Contact', name); n++) name = `${base}-${n}`;
      return name;
    },
    validate: (doc) => {
      doc['full_name'] = fullName(doc);
      const email = rowsOf(doc, 'email_ids').find((r) => r['is_primary']);
      if (email) doc['email_id'] = email['email_id'];
      const mobile = rowsOf(doc, 'phone_nos').find((r) => r['is_primary_mobile_no']);
      if (mobile) doc['mobile_no'] = mobile['phone'];
      const phone = rowsOf(doc, 'phone_nos').find((r) => r['is_primary_phone']);
      if (phone) doc['phone'] = phone['phone'];
    },
  });
}
