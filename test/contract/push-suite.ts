import { afterAll, beforeAll } from 'vitest';
import { message, rows } from './frappe-body.js';
import { removeAll, setUpPushSite, type PushSite } from './push-site.js';
import { Frappe, openTarget, type Target } from './target.js';

/** One push-path contract file's target, site and clean-up, set up around its tests. */
export interface PushSuite {
  readonly api: Frappe;
  readonly target: Target;
  /** Documents to remove afterwards, in creation order (removed newest first). */
  readonly created: { doctype: string; name: string }[];
  /** The push site, or skip the test saying why there is none. */
  need(skip: (why: string) => void): PushSite;
}

/**
 * Register beforeAll / afterAll for a push-path contract file: open the target (the simulator,
 * or the site of OUTPOST_CONTRACT_URL / _KEY / _SECRET), set the push site up on the POS Profile
 * of OUTPOST_CONTRACT_POS_PROFILE (the simulator's first profile by default), and remove what
 * the file created afterwards. Without a profile on a remote site every test is skipped.
 */
export function pushSuite(): PushSuite {
  let target: Target | undefined;
  let api: Frappe | undefined;
  let site: PushSite | undefined;
  let skipWhy: string | undefined;
  const created: { doctype: string; name: string }[] = [];
  beforeAll(async () => {
    target = await openTarget();
    api = new Frappe(target);
    const user = String(message(await api.call('GET', '/api/method/frappe.auth.get_logged_user')));
    let profile = target.posProfile;
    if (!profile && !target.remote) {
      const first = rows(await api.list('POS Profile', { order_by: 'name asc', limit: 1 }))[0];
      profile = first ? String(first['name']) : undefined;
    }
    if (!profile) {
      skipWhy = 'OUTPOST_CONTRACT_POS_PROFILE is not set';
      return;
    }
    site = await setUpPushSite(api, profile, user, created);
  }, 120_000);
  afterAll(async () => {
    try {
      if (api) await removeAll(api, created);
    } finally {
      await target?.close();
    }
  }, 120_000);
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the push suite is not set up');
    return v;
  };
  return {
    get api() {
      return ready(api);
    },
    get target() {
      return ready(target);
    },
    created,
    need(skip) {
      if (skipWhy || !site) skip(skipWhy ?? 'no push site');
      return ready(site);
    },
  };
}
