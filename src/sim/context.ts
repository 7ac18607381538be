import type { SimDb } from './db.js';
import type { ServerMessage } from './errors.js';
import type { HookRegistry } from './hooks.js';
import type { MetaRegistry } from './meta.js';
import type { SiteTime } from './site-time.js';

/** Everything one request's document operations need; built per request, never global. */
export interface SiteContext {
  readonly db: SimDb;
  readonly meta: MetaRegistry;
  readonly time: SiteTime;
  readonly hooks: HookRegistry;
  /** The session user ("Guest" when unauthenticated). */
  readonly user: string;
  readonly roles: ReadonlySet<string>;
  /** Messages queued with msgprint during the request; a successful reply carries them. */
  readonly messages?: ServerMessage[];
}
