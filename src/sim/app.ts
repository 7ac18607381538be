import type { Principal } from './auth.js';
import { authenticate, issueCsrfToken } from './auth.js';
import type { Clock } from './clock.js';
import type { SiteContext } from './context.js';
import { registerCustomDocTypeHooks, syncCustomDocTypes } from './custom-doctype.js';
import { registerCustomFieldHooks, syncCustomFields } from './custom-fields.js';
import type { SimDb } from './db.js';
import type { Doc } from './doc.js';
import type { ServerMessage } from './errors.js';
import { FrappeError, internalError, thrownMessage } from './errors.js';
import { readRequestArgs } from './form-dict.js';
import { erpnextMethods, registerErpnext, runBackgroundJobs } from './erpnext/index.js';
import { HookRegistry } from './hooks.js';
import { registerFrameworkHooks } from './hooks/index.js';
import type { SimRequest, SimResponse } from './http-types.js';
import type { DocMeta } from './meta.js';
import { MetaRegistry, parseDocType } from './meta.js';
import { callMethod } from './method-call.js';
import type { MethodDef, MethodReply } from './method-types.js';
import { frameworkMethods } from './methods.js';
import { errorBody, errorBodyV2, sessionCookies } from './response.js';
import { doctypeJson } from './schema/index.js';
import { SiteTime } from './site-time.js';
import { userRoleMethods } from './user-roles.js';
import { handleV1, routeNotFound } from './v1.js';
import { handleV2 } from './v2.js';

/** Site settings the simulator needs. */
interface SimConfig {
  /** The site's time zone (System Settings.time_zone); timestamps are naive in it. */
  readonly timeZone: string;
}

export interface AppDeps {
  readonly db: SimDb;
  readonly clock: Clock;
  readonly config: SimConfig;
  /** Extra per-doctype hooks (business logic) on top of the framework's own. */
  readonly register?: (hooks: HookRegistry) => void;
  /** Extra whitelisted methods, e.g. ERPNext's erpnext.accounts.… endpoints. */
  readonly methods?: ReadonlyMap<string, MethodDef>;
}

/** The simulator: an in-process Frappe site. `handle` serves one HTTP exchange. */
export interface SimApp {
  readonly db: SimDb;
  readonly meta: MetaRegistry;
  readonly hooks: HookRegistry;
  readonly time: SiteTime;
  handle(req: SimRequest): SimResponse;
  /** A context acting as `user` with every right (Administrator roles): seeding and tests. */
  contextFor(user: string): SiteContext;
}

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function lowerHeaders(h: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * An error the simulator did not shape itself, as Frappe would name it: a database failure is
 * what pymysql raises on a real site (OperationalError), never SQLite's own class name.
 */
function unexpected(e: unknown): FrappeError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'SqliteError') {
    return internalError('OperationalError', `(0, ${JSON.stringify(message)})`, 'pymysql.err');
  }
  return internalError(e instanceof Error ? e.name : 'Exception', message, '');
}

/** Build a simulator over an open database. */
export function createApp(deps: AppDeps): SimApp {
  const { db } = deps;
  const meta = new MetaRegistry(doctypeJson.map((j) => parseDocType(j as Record<string, unknown>)));
  const time = new SiteTime(deps.clock, deps.config.timeZone);
  const hooks = new HookRegistry();
  registerCustomFieldHooks(hooks);
  registerCustomDocTypeHooks(hooks);
  registerFrameworkHooks(hooks);
  // ERPNext's POS/stock controllers are part of every site, as on a real bench.
  registerErpnext(hooks);
  deps.register?.(hooks);
  const methods = new Map([
    ...frameworkMethods(),
    ...userRoleMethods(),
    ...erpnextMethods(),
    ...(deps.methods ?? []),
  ]);
  syncCustomDocTypes(db, meta);
  syncCustomFields(db, meta);
  // Writes after a restart must sort after everything stored (keyset cursors rely on it).
  const latest = db.sql
    .prepare<[], { m: string | null }>('SELECT max(modified) AS m FROM docs')
    .get()?.m;
  if (latest) time.observe(latest);

  const contextFor = (user: string, roles: ReadonlySet<string> = new Set()): SiteContext => ({
    db,
    meta,
    time,
    hooks,
    user,
    roles,
    messages: [],
  });

  const call = (name: string, req: SimRequest, p: Principal, args: Doc): MethodReply =>
    callMethod(methods, name, {
      ctx: contextFor(p.user, p.roles),
      args,
      principal: p,
      httpMethod: req.method,
      allDoctypes: () => meta.all(),
    });

  function handle(req: SimRequest): SimResponse {
    const headers = lowerHeaders(req.headers);
    const path = req.path.split('?')[0] ?? '';
    const v2 = path.startsWith('/api/v2/');
    let principal: Principal | undefined;
    // What msgprint queued before a failure: Frappe's error reply carries the whole message log.
    let queued: readonly ServerMessage[] = [];
    try {
      principal = authenticate(db, headers);
      const p = principal;
      if (path === '/app' || path.startsWith('/app/')) {
        // The desk boot page hands the browser its CSRF token, as Frappe's does.
        const token = p.sid ? issueCsrfToken(db, p.sid) : '';
        const html = `<script>frappe.csrf_token = "${token}";</script>`;
        return { status: 200, headers: { 'content-type': 'text/html' }, body: html };
      }
      const method = req.method.toUpperCase();
      if (
        p.sid &&
        p.csrfToken &&
        !SAFE.has(method) &&
        headers['x-frappe-csrf-token'] !== p.csrfToken
      ) {
        throw new FrappeError('CSRFTokenError', 400, 'Invalid Request', {
          messages: [thrownMessage('Invalid Request')],
          detail: null,
        });
      }
      // One request = one transaction: any throw below rolls every write back.
      if (!path.startsWith('/api/')) throw routeNotFound(path);
      runBackgroundJobs(contextFor('Administrator', new Set(['Administrator'])), (job) =>
        db.transaction(job),
      );
      const ctx = contextFor(p.user, p.roles);
      queued = ctx.messages ?? [];
      const run = (name: string, args: Doc): MethodReply => call(name, req, p, args);
      const all = (): Iterable<DocMeta> => meta.all();
      const args = readRequestArgs(req.body, headers['content-type'], req.query ?? {});
      return db.transaction(() =>
        v2
          ? handleV2(path.slice('/api/v2/'.length), req, ctx, args, run, all)
          : handleV1(path.replace(/^\/api\/(v1\/)?/, ''), req, ctx, args, run, all, !!p.sid),
      );
    } catch (e) {
      syncCustomDocTypes(db, meta);
      syncCustomFields(db, meta);
      // Writes after a restart must sort after everything stored (keyset cursors rely on it).
      const latest = db.sql
        .prepare<[], { m: string | null }>('SELECT max(modified) AS m FROM docs')
        .get()?.m;
      if (latest) time.observe(latest);
      const err = e instanceof FrappeError ? e : unexpected(e);
      const cookies = principal?.sid
        ? {}
        : { 'set-cookie': sessionCookies('Guest', 'Guest', 'Guest') };
      return {
        status: err.status,
        headers: { ...JSON_HEADERS, ...cookies },
        body: v2 ? errorBodyV2(err) : errorBody(err, queued),
      };
    }
  }

  return {
    db,
    meta,
    hooks,
    time,
    handle,
    contextFor: (user) => contextFor(user, new Set(['Administrator'])),
  };
}
