import type { SiteContext } from './context.js';
import { decodeSegment } from './decode.js';
import type { Doc } from './doc.js';
import { FrappeError } from './errors.js';
import { requestFormData, type RequestArgs } from './form-dict.js';
import type { SimRequest, SimResponse } from './http-types.js';
import type { DocMeta } from './meta.js';
import type { MethodReply } from './method-types.js';
import { docResource, listResource } from './resource.js';
import { sessionCookies } from './response.js';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** Werkzeug's 404 for a path no rule matches. */
export const routeNotFound = (path: string): FrappeError =>
  new FrappeError('NotFound', 404, `404 Not Found: ${path}`, { module: 'werkzeug.exceptions' });

/**
 * API v1 (`/api/` and `/api/v1/`): `method/<dotted.path>` replies `{message}` (its kwargs are
 * form_dict), `resource/<doctype>[/<name>]` replies `{data}`; insert and update take the
 * document from `get_request_form_data` (a form POST's `data` field, or the JSON body).
 */
export function handleV1(
  route: string,
  req: SimRequest,
  ctx: SiteContext,
  args: RequestArgs,
  callMethod: (name: string, args: Doc) => MethodReply,
  allDoctypes: () => Iterable<DocMeta>,
  hasSession: boolean,
): SimResponse {
  const method = req.method.toUpperCase();
  // Frappe answers a sessionless request with Guest cookies.
  const cookies = hasSession ? {} : { 'set-cookie': sessionCookies('Guest', 'Guest', 'Guest') };
  if (route.startsWith('method/')) {
    const reply = callMethod(decodeSegment(route.slice('method/'.length)), args.formDict);
    const headers = {
      ...JSON_HEADERS,
      ...cookies,
      ...(reply.cookies ? { 'set-cookie': reply.cookies } : {}),
    };
    return { status: reply.status ?? 200, headers, body: reply.body };
  }
  const m = /^resource\/([^/]+)(?:\/(.+?))?\/?$/.exec(route);
  if (!m?.[1]) throw routeNotFound(req.path);
  const doctype = decodeSegment(m[1]);
  const name = m[2] === undefined ? undefined : decodeSegment(m[2]);
  const reply =
    name === undefined && method === 'GET'
      ? listResource(ctx, doctype, args.formDict)
      : docResource(ctx, method, doctype, name, () => requestFormData(args), allDoctypes);
  const queued = ctx.messages ?? [];
  const messages =
    queued.length > 0
      ? { _server_messages: JSON.stringify(queued.map((q) => JSON.stringify(q))) }
      : {};
  return {
    status: reply.status,
    headers: { ...JSON_HEADERS, ...cookies },
    body: { data: reply.data, ...messages },
  };
}
