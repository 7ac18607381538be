import type { SiteContext } from './context.js';
import { FrappeError, printedMessage, throwError } from './errors.js';
import type { DocMeta } from './meta.js';

type PermType = 'read' | 'write' | 'create' | 'submit' | 'cancel' | 'delete';

/** Role-based DocPerm check; Administrator may do anything, as in Frappe. */
function hasPermission(ctx: SiteContext, meta: DocMeta, ptype: PermType): boolean {
  if (ctx.user === 'Administrator' || ctx.roles.has('Administrator')) return true;
  return meta.permissions.some((p) => ctx.roles.has(p.role) && p.rights.has(ptype));
}

/** Frappe's frappe.has_permission(throw=True) failure for a doctype (403). */
export function requirePermission(ctx: SiteContext, meta: DocMeta, ptype: PermType): void {
  if (hasPermission(ctx, meta, ptype)) return;
  if (ptype === 'read' || ctx.user === 'Guest') {
    throw new FrappeError('PermissionError', 403, '', {
      detail: '',
      messages: [
        printedMessage(
          `User <strong>${ctx.user}</strong> does not have doctype access via role permission for document <strong>${meta.name}</strong>`,
        ),
      ],
      extra: { _error_message: `No permission for ${meta.name}` },
    });
  }
  throw throwError('PermissionError', `No permission for ${meta.name}`);
}

/**
 * Read permission for a list. A child doctype is listed only through a real parent named in
 * `parent` that the user may read (Frappe's check_parent_permission); otherwise a bare 403.
 */
export function requireListPermission(ctx: SiteContext, meta: DocMeta, parent: unknown): void {
  if (!meta.istable) return requirePermission(ctx, meta, 'read');
  const parentMeta = typeof parent === 'string' ? ctx.meta.get(parent) : undefined;
  const holds = parentMeta?.fields.some(
    (f) => f.options === meta.name && /^Table/.test(f.fieldtype),
  );
  if (!parentMeta || !holds || !hasPermission(ctx, parentMeta, 'read')) {
    throw new FrappeError('PermissionError', 403, '', { detail: '' });
  }
}
