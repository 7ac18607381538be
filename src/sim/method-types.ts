import type { Principal } from './auth.js';
import type { SiteContext } from './context.js';
import type { DocMeta } from './meta.js';

/** A call to /api/method/<name>: form_dict args (query merged with the body), as Frappe builds. */
export interface MethodCall {
  readonly ctx: SiteContext;
  readonly args: Readonly<Record<string, unknown>>;
  readonly principal: Principal;
  readonly httpMethod: string;
  readonly allDoctypes: () => Iterable<DocMeta>;
}

/** The reply body (usually `{message}`) plus any cookies to set. */
export interface MethodReply {
  readonly body: Readonly<Record<string, unknown>>;
  readonly cookies?: readonly string[];
  readonly status?: number;
}

/** A whitelisted method. `httpMethods` defaults to any; Guest may call it only if `allowGuest`. */
export interface MethodDef {
  readonly allowGuest?: boolean;
  readonly httpMethods?: readonly string[];
  readonly run: (call: MethodCall) => MethodReply;
}

export const message = (value: unknown): MethodReply => ({ body: { message: value } });
