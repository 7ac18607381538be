import type { SiteContext } from './context.js';
import type { Doc } from './doc.js';
import { omit } from './doc.js';
import { decodeSegment } from './decode.js';
import { asDict } from './doc-shape.js';
import { deleteDoc } from './delete.js';
import { getDoc, insertDoc, saveDoc } from './document.js';
import { internalError } from './errors.js';
import type { RequestArgs } from './form-dict.js';
import type { SimRequest, SimResponse } from './http-types.js';
import type { DocMeta } from './meta.js';
import type { MethodReply } from './method-types.js';
import { pageOf } from './page.js';
import { requireListPermission, requirePermission } from './permissions.js';
import { getCount, getList } from './query.js';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const ok = (data: unknown, status = 200): SimResponse => ({
  status,
  headers: JSON_HEADERS,
  body: { data },
});

/**
 * Frappe v15's API v2 (`/api/v2/document|doctype|method`): same documents, `{data}` replies,
 * `limit`/`start` paging, and POST keeps a client-chosen `name`. Every route reads
 * `frappe.form_dict` as is: unlike v1, a form field `data` is not unwrapped.
 */
export function handleV2(
  route: string,
  req: SimRequest,
  ctx: SiteContext,
  args: RequestArgs,
  callMethod: (name: string, args: Doc) => MethodReply,
  allDoctypes: () => Iterable<DocMeta>,
): SimResponse {
  const method = req.method.toUpperCase();
  if (route.startsWith('method/')) {
    const reply = callMethod(decodeSegment(route.slice('method/'.length)), args.formDict);
    return ok(reply.body['message'], reply.status);
  }
  const query = args.formDict;
  const count = /^doctype\/([^/]+)\/count\/?$/.exec(route);
  if (count?.[1]) {
    const doctype = decodeSegment(count[1]);
    requirePermission(ctx, ctx.meta.require(doctype), 'read');
    return ok(getCount(ctx, { doctype, filters: query['filters'] }));
  }
  const m = /^document\/([^/]+)(?:\/(.+?))?\/?$/.exec(route);
  if (!m?.[1]) throw internalError('NotFound', `404 Not Found: ${route}`, 'werkzeug.exceptions');
  const doctype = decodeSegment(m[1]);
  const meta = ctx.meta.require(doctype);
  const name = m[2] === undefined ? undefined : decodeSegment(m[2]);
  if (name === undefined) {
    if (method === 'GET') {
      requireListPermission(ctx, meta, query['parent']);
      return ok(
        getList(ctx, {
          doctype,
          fields: query['fields'],
          filters: query['filters'],
          orFilters: query['or_filters'],
          orderBy: typeof query['order_by'] === 'string' ? query['order_by'] : undefined,
          groupBy: typeof query['group_by'] === 'string' ? query['group_by'] : undefined,
          // v15 ignores `start` (recording 120); `limit_page_length = form_dict.limit or 20`.
          ...pageOf(query['limit'] || 20, query['limit_start']),
        }),
      );
    }
    const data = omit(query, 'doctype');
    return ok(asDict(ctx, meta, insertDoc(ctx, doctype, data, { keepName: true }), true));
  }
  if (method === 'GET') {
    const doc = getDoc(ctx, doctype, name);
    requirePermission(ctx, meta, 'read');
    return ok(asDict(ctx, meta, doc, true));
  }
  if (method === 'DELETE') {
    deleteDoc(ctx, doctype, name, allDoctypes());
    return ok('ok', 202);
  }
  return ok(asDict(ctx, meta, saveDoc(ctx, doctype, name, omit(query, 'flags')), true));
}
