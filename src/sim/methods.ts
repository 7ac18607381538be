import { checkPassword, createSession, endSession, fullName } from './auth.js';
import { cstr } from './doc.js';
import { asDict } from './doc-shape.js';
import { getDoc } from './document.js';
import { FrappeError } from './errors.js';
import { parseJsonArg } from './filters.js';
import type { MethodCall, MethodDef } from './method-types.js';
import { message } from './method-types.js';
import { writeMethods } from './methods-write.js';
import { requireListPermission, requirePermission } from './permissions.js';
import { pageOf } from './page.js';
import { getCount, getList } from './query.js';
import { sessionCookies } from './response.js';

const str = (v: unknown): string => cstr(v);

/** frappe.client.get_list's argument handling, shared by v1 lists and the method. */
function listFromArgs(call: MethodCall, doctype: string, args: Record<string, unknown>) {
  requireListPermission(call.ctx, call.ctx.meta.require(doctype), args['parent']);
  return getList(call.ctx, {
    doctype,
    fields: args['fields'],
    filters: args['filters'],
    orFilters: args['or_filters'],
    orderBy: args['order_by'] === undefined ? undefined : str(args['order_by']),
    groupBy: args['group_by'] === undefined ? undefined : str(args['group_by']),
    // get_list's signature has only limit_start / limit_page_length; other keys are dropped.
    // A null page length is Python's None: no limit, unlike an absent one (default 20).
    ...pageOf(
      args['limit_page_length'] === undefined ? 20 : args['limit_page_length'],
      args['limit_start'],
    ),
  });
}

/** Frappe's session and read methods the simulator serves (writes: methods-write.ts). */
export function frameworkMethods(): Map<string, MethodDef> {
  const m = new Map<string, MethodDef>(writeMethods());
  m.set('ping', { allowGuest: true, run: () => message('pong') });
  m.set('frappe.auth.get_logged_user', { run: (c) => message(c.principal.user) });
  m.set('login', {
    allowGuest: true,
    run: (c) => {
      const usr = str(c.args['usr']);
      const user = c.ctx.db.get('User', usr) ? usr : undefined;
      if (!user || !checkPassword(c.ctx.db, user, str(c.args['pwd']))) {
        throw new FrappeError('AuthenticationError', 401, '', {
          detail: '',
          extra: { message: 'Invalid login credentials' },
        });
      }
      const sid = createSession(c.ctx.db, user);
      const name = fullName(c.ctx.db, user);
      return {
        body: { message: 'Logged In', home_page: '/app/home', full_name: name },
        cookies: sessionCookies(sid, user, name),
      };
    },
  });
  m.set('logout', {
    allowGuest: true,
    run: (c) => {
      if (c.principal.sid) endSession(c.ctx.db, c.principal.sid);
      return {
        body: { message: 'No App', home_page: '/login', full_name: 'Guest' },
        cookies: sessionCookies('Guest', 'Guest', 'Guest'),
      };
    },
  });
  m.set('frappe.client.get_list', {
    run: (c) => message(listFromArgs(c, str(c.args['doctype']), { ...c.args })),
  });
  m.set('frappe.client.get_count', {
    run: (c) => {
      const doctype = str(c.args['doctype']);
      requirePermission(c.ctx, c.ctx.meta.require(doctype), 'read');
      return message(getCount(c.ctx, { doctype, filters: c.args['filters'] }));
    },
  });
  m.set('frappe.client.get_value', {
    run: (c) => {
      const doctype = str(c.args['doctype']);
      requirePermission(c.ctx, c.ctx.meta.require(doctype), 'read');
      const raw = parseJsonArg(c.args['fieldname'] ?? 'name');
      const fields = Array.isArray(raw) ? raw : [raw];
      const filters = parseJsonArg(c.args['filters']);
      const where = typeof filters === 'string' ? { name: filters } : filters;
      const rows = getList(c.ctx, { doctype, fields, filters: where, pageLength: 1 });
      return message(rows[0] ?? {});
    },
  });
  m.set('frappe.client.get_single_value', {
    run: (c) => {
      const doctype = str(c.args['doctype']);
      const meta = c.ctx.meta.require(doctype);
      requirePermission(c.ctx, meta, 'read');
      return message(c.ctx.db.get(doctype, doctype)?.data[str(c.args['field'])] ?? null);
    },
  });
  m.set('frappe.client.get', {
    run: (c) => {
      const doctype = str(c.args['doctype']);
      const meta = c.ctx.meta.require(doctype);
      requirePermission(c.ctx, meta, 'read');
      return message(asDict(c.ctx, meta, getDoc(c.ctx, doctype, str(c.args['name'])), false));
    },
  });
  return m;
}
