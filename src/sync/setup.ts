import type { ErpClient } from '../erpnext/client.js';
import { FrappeError, UnreachableError } from '../erpnext/errors.js';
import { SetupError } from './preflight.js';
import { fieldName, installField, planFields, type FieldConflict } from './setup-fields.js';
import { ANCHOR_DOCTYPE_DEFINITION } from './setup-anchor.js';
import {
  createDoctype,
  planDoctype,
  type Difference,
  type DoctypeDefinition,
  type DoctypeStatus,
} from './setup-doctypes.js';
import {
  KEY_DOCTYPE,
  KEY_DOCTYPE_DEFINITION,
  planKeys,
  registerKey,
  retireKey,
  type KeyPlan,
  type LocalKey,
} from './setup-keys.js';
import { checkRoles, SETUP_ROLE, type RoleReport } from './setup-roles.js';

/**
 * `outpost erpnext-setup`: what Outpost keeps in ERPNext, checked and (unless a dry run)
 * installed. Idempotent: what is there as specified is left alone, what is missing is created,
 * what is there but different is reported with its fix and never changed.
 */
export interface SetupOptions {
  readonly dryRun: boolean;
  /** The terminal's keys, oldest first (setup-local-keys.ts). */
  readonly keys: readonly LocalKey[];
  /** Check this user's roles instead of the key's own (setup run with an administrator's key). */
  readonly checkUser?: string;
  /** This run's time, for registered_at. */
  readonly now: () => Date;
}

export interface Problem {
  readonly problem: 'custom_field' | 'doctype' | 'key' | 'roles' | 'permissions';
  readonly message: string;
  readonly fix: string;
}

export interface SetupReport {
  readonly dry_run: boolean;
  /** The user the API key acts as (who writes). */
  readonly user: string;
  readonly custom_fields: {
    readonly to_create: readonly string[];
    readonly ok: readonly string[];
    readonly conflicting: readonly FieldConflict[];
    readonly created: readonly string[];
  } | null;
  /** The key registry, then the shift anchors (sales_invoice mode). */
  readonly doctypes: readonly (DoctypeStatus & { readonly created: boolean })[] | null;
  readonly keys: {
    readonly to_register: readonly string[];
    readonly to_retire: readonly string[];
    readonly ok: readonly string[];
    readonly conflicting: KeyPlan['conflicting'];
    readonly registered: readonly string[];
    readonly retired: readonly string[];
  } | null;
  readonly roles: RoleReport;
  readonly problems: readonly Problem[];
  /** Nothing to fix: every field, both DocTypes and every key as specified, no role missing. */
  readonly ok: boolean;
}

/** The key's user; what a failure to ask means, as `outpost init` says it. */
async function whoAmI(erp: ErpClient): Promise<string> {
  try {
    const user = await erp.loggedUser();
    if (user && user !== 'Guest') return user;
  } catch (e) {
    if (e instanceof UnreachableError) {
      throw new SetupError(
        'unreachable',
        `ERPNext does not answer at ${erp.baseUrl} (${e.reason})`,
        'check erpnext_url in config.json and that the server is up',
      );
    }
    if (!(e instanceof FrappeError) || (e.status !== 401 && e.status !== 403)) throw e;
  }
  throw new SetupError(
    'credentials',
    'ERPNext refused the API key and secret',
    'in ERPNext open the user (User > Settings > API Access), click "Generate Keys", and set OUTPOST_API_KEY and OUTPOST_API_SECRET or the secrets file',
  );
}

const describe = (differences: readonly Difference[]): string =>
  differences
    .map((d) => `${d.property} is ${String(d.found)}, expected ${String(d.expected)}`)
    .join('; ');

const denied = (e: unknown): boolean => e instanceof FrappeError && e.status === 403;

/** The custom DocTypes setup keeps, in the order they are created. */
const DOCTYPES: readonly DoctypeDefinition[] = [KEY_DOCTYPE_DEFINITION, ANCHOR_DOCTYPE_DEFINITION];

export async function runSetup(erp: ErpClient, opts: SetupOptions): Promise<SetupReport> {
  const user = await whoAmI(erp);
  const checked = opts.checkUser ?? user;
  const roles = await checkRoles(erp, checked);
  const problems: Problem[] = [];
  if (roles.missing.length > 0) {
    problems.push({
      problem: 'roles',
      message: `user ${checked} lacks ${roles.missing.map((m) => m.role).join(', ')} (roles.missing says what each is for)`,
      fix: `in ERPNext open User ${checked} > Roles and add them`,
    });
  }
  const report = (rest: Pick<SetupReport, 'custom_fields' | 'doctypes' | 'keys'>): SetupReport => ({
    dry_run: opts.dryRun,
    user,
    ...rest,
    roles,
    problems,
    ok: problems.length === 0,
  });

  let fields, keys;
  const doctypes: DoctypeStatus[] = [];
  try {
    fields = await planFields(erp);
    for (const def of DOCTYPES) doctypes.push(await planDoctype(erp, def));
    keys = await planKeys(erp, opts.keys);
  } catch (e) {
    if (!denied(e)) throw e;
    problems.push({
      problem: 'permissions',
      message: `user ${user} may not read Custom Fields and DocTypes (${(e as FrappeError).message})`,
      fix: `run outpost erpnext-setup with the key of an Administrator or a ${SETUP_ROLE} (OUTPOST_API_KEY / OUTPOST_API_SECRET), adding --user ${checked} to check the sync user's roles`,
    });
    return report({ custom_fields: null, doctypes: null, keys: null });
  }

  const created: string[] = [];
  const conflicting = [...fields.conflicting];
  const registered: string[] = [];
  const retired: string[] = [];
  const createdDoctypes = new Set<string>();
  const keyDoctype = doctypes.find((d) => d.name === KEY_DOCTYPE);
  if (!opts.dryRun) {
    for (const spec of fields.to_create) {
      const r = await installField(erp, spec);
      if (r === 'created') created.push(fieldName(spec));
      else if (r !== 'ok') conflicting.push(r);
    }
    for (const [i, def] of DOCTYPES.entries()) {
      if (doctypes[i]?.status !== 'to_create') continue;
      await createDoctype(erp, def);
      createdDoctypes.add(def.name);
    }
    if (keyDoctype?.status !== 'conflicting') {
      const at = opts.now().toISOString();
      for (const key of keys.to_register) {
        await registerKey(erp, key, at);
        registered.push(key.key_id);
      }
      for (const key of keys.to_retire) {
        await retireKey(erp, key);
        retired.push(key.key_id);
      }
    }
  }

  for (const c of conflicting) {
    problems.push({
      problem: 'custom_field',
      message: c.refused
        ? `Custom Field ${c.name} could not be created: ${c.refused}`
        : `Custom Field ${c.name} differs: ${describe(c.differences)}`,
      fix: c.fix,
    });
  }
  for (const d of doctypes) {
    if (d.status !== 'conflicting') continue;
    const consequence =
      d.name === KEY_DOCTYPE
        ? 'no key was registered'
        : 'the shift anchors of the sales_invoice mode cannot be pushed reliably until it is fixed';
    problems.push({
      problem: 'doctype',
      message: `DocType ${d.name} differs: ${describe(d.differences)}; ${consequence}`,
      fix: d.fix,
    });
  }
  for (const c of keys.conflicting) {
    problems.push({
      problem: 'key',
      message: `${KEY_DOCTYPE} ${c.key_id} differs: ${describe(c.differences)}`,
      fix: c.fix,
    });
  }
  return report({
    custom_fields: {
      to_create: fields.to_create.map(fieldName),
      ok: fields.ok,
      conflicting,
      created,
    },
    doctypes: doctypes.map((d) => ({ ...d, created: createdDoctypes.has(d.name) })),
    keys: {
      to_register: keys.to_register.map((k) => k.key_id),
      to_retire: keys.to_retire.map((k) => k.key_id),
      ok: keys.ok,
      conflicting: keys.conflicting,
      registered,
      retired,
    },
  });
}
