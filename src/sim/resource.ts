import type { SiteContext } from './context.js';
import type { Doc } from './doc.js';
import { omit } from './doc.js';
import { asDict } from './doc-shape.js';
import { getDoc, insertDoc, saveDoc } from './document.js';
import { deleteDoc } from './delete.js';
import { internalError } from './errors.js';
import type { DocMeta } from './meta.js';
import { requireListPermission, requirePermission } from './permissions.js';
import { pageOf } from './page.js';
import { getList } from './query.js';

/** What a resource route replies: `{data}` and the status (202 for delete). */
interface ResourceReply {
  readonly status: number;
  readonly data: unknown;
}

/** GET /api/resource/{dt}: v1's document_list (limit_page_length defaults to `limit` or 20). */
export function listResource(
  ctx: SiteContext,
  doctype: string,
  args: Record<string, unknown>,
): ResourceReply {
  requireListPermission(ctx, ctx.meta.require(doctype), args['parent']);
  const page = pageOf(args['limit'] || args['limit_page_length'] || 20, args['limit_start']);
  const data = getList(ctx, {
    doctype,
    fields: args['fields'],
    filters: args['filters'],
    orFilters: args['or_filters'],
    orderBy: typeof args['order_by'] === 'string' ? args['order_by'] : undefined,
    groupBy: typeof args['group_by'] === 'string' ? args['group_by'] : undefined,
    ...page,
  });
  return { status: 200, data };
}

/** Single-document routes of API v1. */
export function docResource(
  ctx: SiteContext,
  method: string,
  doctype: string,
  name: string | undefined,
  /** The document sent (read only by insert and update, as Frappe reads it lazily). */
  body: () => Doc,
  allDoctypes: () => Iterable<DocMeta>,
): ResourceReply {
  const meta = ctx.meta.require(doctype);
  if (name === undefined) {
    const data = omit(body(), 'doctype');
    return { status: 200, data: asDict(ctx, meta, insertDoc(ctx, doctype, data), true) };
  }
  switch (method) {
    case 'GET': {
      const doc = getDoc(ctx, doctype, name);
      requirePermission(ctx, meta, 'read');
      return { status: 200, data: asDict(ctx, meta, doc, true) };
    }
    case 'PUT': {
      const data = omit(body(), 'flags');
      return { status: 200, data: asDict(ctx, meta, saveDoc(ctx, doctype, name, data), true) };
    }
    case 'DELETE':
      deleteDoc(ctx, doctype, name, allDoctypes());
      return { status: 202, data: 'ok' };
    default:
      // v1 treats POST to a document URL as "run a document method" and needs run_method.
      throw internalError('KeyError', "'run_method'", '');
  }
}
