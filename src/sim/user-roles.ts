import { cstr } from './doc.js';
import { internalError } from './errors.js';
import type { MethodDef } from './method-types.js';
import { message } from './method-types.js';

/** frappe.permissions.AUTOMATIC_ROLES. */
const AUTOMATIC = new Set(['Guest', 'All', 'Desk User', 'Administrator']);

/**
 * `frappe.core.doctype.user.user.get_roles` (whitelisted for any logged-in user, no permission
 * check on `uid`): frappe.permissions.get_roles — every Role for Administrator; otherwise the
 * user's Has Role rows minus the automatic roles, then All and Guest, and Desk User for a
 * System User. A call without `uid` is the KeyError of `frappe.form_dict["uid"]`.
 */
export function userRoleMethods(): Map<string, MethodDef> {
  const m = new Map<string, MethodDef>();
  m.set('frappe.core.doctype.user.user.get_roles', {
    run: ({ ctx, args }) => {
      if (!('uid' in args)) throw internalError('KeyError', "'uid'", '');
      const uid = cstr(args['uid']);
      if (uid === 'Guest' || uid === '') return message(['Guest']);
      // A real site holds the automatic roles as Role records too (Frappe installs them).
      if (uid === 'Administrator')
        return message([...new Set([...ctx.db.names('Role'), ...AUTOMATIC])]);
      const roles = ctx.db.sql
        .prepare<[string], { role: string | null }>(
          `SELECT json_extract(data, '$.role') AS role FROM docs
           WHERE doctype = 'Has Role' AND parent = ? AND parenttype = 'User' ORDER BY idx`,
        )
        .all(uid)
        .map((r) => cstr(r.role))
        .filter((r) => r !== '' && !AUTOMATIC.has(r));
      const user = ctx.db.get('User', uid)?.data;
      const system = cstr(user?.['user_type'] ?? 'System User') === 'System User';
      return message([...roles, 'All', 'Guest', ...(system ? ['Desk User'] : [])]);
    },
  });
  return m;
}
