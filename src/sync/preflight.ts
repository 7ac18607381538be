import { FrappeError, UnreachableError } from '../erpnext/errors.js';
import type { ErpClient, ErpDoc } from '../erpnext/client.js';
import { PULL_PLAN } from './plan.js';
import { readAnswer } from '../erpnext/answers.js';
import { PosProfileSchema } from '../store/erp-docs.js';

/** A setup problem with what is wrong and how to fix it, for `outpost init`. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
  constructor(
    readonly problem: 'unreachable' | 'credentials' | 'permissions' | 'pos_profile',
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** Which stock role grants read on each doctype in a standard ERPNext v15 (per its doctype JSON). */
const ROLE_HINT: Record<string, string> = {
  'Item Price': 'Sales Master Manager',
  'Pricing Rule': 'Sales Manager',
  'Deleted Document': 'System Manager',
  'Loyalty Program': 'System Manager',
  'Loyalty Point Entry': 'Accounts User',
  'POS Profile': 'Accounts User',
  'Sales Taxes and Charges Template': 'Accounts User',
  'Item Tax Template': 'Accounts User',
  Bin: 'Stock User',
  'System Settings': 'System Manager',
  'Global Defaults': 'System Manager',
};

/**
 * Checks, in order, that ERPNext answers, that the key works, that the user may read every
 * doctype the pull needs (by trying: roles can be customized, so asking is the only sure test),
 * and that the POS Profile exists. Returns the user and the profile.
 */
export async function preflight(
  erp: ErpClient,
  posProfile: string,
): Promise<{ user: string; profile: ErpDoc }> {
  let user: string;
  try {
    user = await erp.loggedUser();
  } catch (e) {
    if (e instanceof UnreachableError) {
      throw new SetupError(
        'unreachable',
        `ERPNext does not answer at ${erp.baseUrl} (${e.reason})`,
        'check --erpnext (scheme, host and port, e.g. https://erp.example.com) and that the server is up; for a local trial run `outpost sim` and use the URL it prints',
      );
    }
    if (e instanceof FrappeError && (e.status === 401 || e.status === 403)) {
      throw new SetupError(
        'credentials',
        `ERPNext refused the API key and secret (${e.status} ${e.excType})`,
        'in ERPNext open the sync user (User > Settings > API Access), click "Generate Keys", and pass the key as --api-key and the secret as --api-secret',
      );
    }
    if (e instanceof FrappeError) {
      throw new SetupError(
        'unreachable',
        `ERPNext at ${erp.baseUrl} answered ${e.status} ${e.excType}: ${e.message}`,
        'check that --erpnext points at the ERPNext site itself',
      );
    }
    throw e;
  }
  if (user === 'Guest' || !user) {
    throw new SetupError(
      'credentials',
      'the credentials act as Guest',
      'pass the API key and secret of a real user',
    );
  }

  const denied: string[] = [];
  const singles = new Set(PULL_PLAN.filter((p) => p.single).map((p) => p.doctype));
  for (const doctype of [...PULL_PLAN.map((p) => p.doctype), 'Deleted Document']) {
    try {
      if (singles.has(doctype)) await erp.get(doctype, doctype);
      else await erp.list(doctype, { fields: ['name'], limit_page_length: 1 });
    } catch (e) {
      if (e instanceof FrappeError && e.status === 403) denied.push(doctype);
      else throw e;
    }
  }
  if (denied.length > 0) {
    const hints = denied.map((d) => `${d}${ROLE_HINT[d] ? ` (e.g. role ${ROLE_HINT[d]})` : ''}`);
    throw new SetupError(
      'permissions',
      `user ${user} may not read: ${hints.join(', ')}`,
      `in ERPNext give ${user} a role with read permission on those doctypes (Role Permissions Manager), or create an "Outpost Sync" role with read on every doctype listed and assign it`,
    );
  }

  try {
    const profile = readAnswer(
      PosProfileSchema,
      await erp.get('POS Profile', posProfile),
      `POS Profile ${posProfile}`,
    );
    if (profile.disabled === 1) {
      throw new SetupError(
        'pos_profile',
        `POS Profile ${posProfile} is disabled`,
        'enable it in ERPNext or pass another --pos-profile',
      );
    }
    return { user, profile };
  } catch (e) {
    if (e instanceof FrappeError && e.status === 404) {
      const names = await erp
        .list('POS Profile', { fields: ['name'], limit_page_length: 0 })
        .catch(() => []);
      throw new SetupError(
        'pos_profile',
        `POS Profile ${JSON.stringify(posProfile)} does not exist in ERPNext`,
        names.length
          ? `pass one of: ${names.map((n) => String(n['name'])).join(', ')}`
          : 'create a POS Profile in ERPNext (Accounts > POS Profile) for this store and terminal',
      );
    }
    throw e;
  }
}
