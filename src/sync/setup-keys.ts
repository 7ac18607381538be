import { z } from 'zod';
import type { ErpClient, ErpDoc } from '../erpnext/client.js';
import { readAnswer } from '../erpnext/answers.js';
import { notFound, type DoctypeDefinition, type Difference } from './setup-doctypes.js';

/**
 * Where HQ reads the terminals' public keys: a custom DocType (setup-doctypes.ts), one record
 * per key, named by its key_id. `set_only_once` keeps a registered key from being edited in the
 * form; `track_changes` keeps a Version of any other edit.
 *
 * The times are ISO 8601 UTC text, as the journal writes them: a Frappe Datetime is a naive
 * site-local time and would lose the instant.
 */
export const KEY_DOCTYPE = 'Outpost Terminal Key';

const once = { reqd: 1, set_only_once: 1, in_list_view: 1 } as const;

export const KEY_DOCTYPE_DEFINITION: DoctypeDefinition = {
  name: KEY_DOCTYPE,
  module: 'Custom',
  custom: 1,
  autoname: 'field:key_id',
  naming_rule: 'By fieldname',
  track_changes: 1,
  description:
    'Public keys of Outpost terminals, written by `outpost erpnext-setup`; `outpost audit` verifies receipts and journals against them.',
  fields: [
    { fieldname: 'terminal', label: 'Terminal', fieldtype: 'Data', ...once },
    { fieldname: 'key_id', label: 'Key ID', fieldtype: 'Data', unique: 1, ...once },
    { fieldname: 'alg', label: 'Algorithm', fieldtype: 'Data', reqd: 1, set_only_once: 1 },
    {
      fieldname: 'public_key',
      label: 'Public Key (raw, base64)',
      fieldtype: 'Data',
      reqd: 1,
      set_only_once: 1,
    },
    { fieldname: 'registered_at', label: 'Registered At (UTC)', fieldtype: 'Data' },
    { fieldname: 'retired_at', label: 'Retired At (UTC)', fieldtype: 'Data' },
  ],
  // DocPerm defaults write, create and delete to 1 (docperm.json): each is stated.
  permissions: [
    { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 },
    // The sync user (Accounts Manager for ignore_pricing_rule) registers a rotated key itself.
    { role: 'Accounts Manager', read: 1, write: 0, create: 1, delete: 0 },
    { role: 'Auditor', read: 1, write: 0, create: 0, delete: 0 },
  ],
};

/** A terminal key known locally, as it must stand in ERPNext. */
export interface LocalKey {
  readonly terminal: string;
  readonly key_id: string;
  readonly alg: 'Ed25519';
  /** Base64 of the 32 raw bytes. */
  readonly public_key: string;
  /** When a key_rotation record retired it (ISO 8601 UTC), else null. */
  readonly retired_at: string | null;
}

export interface KeyPlan {
  readonly to_register: readonly LocalKey[];
  /** Registered, but retired since: retired_at is set on them. */
  readonly to_retire: readonly LocalKey[];
  readonly ok: readonly string[];
  readonly conflicting: readonly {
    key_id: string;
    differences: readonly Difference[];
    fix: string;
  }[];
}

const KeyAnswer = z.looseObject({
  terminal: z.string().nullable().optional(),
  key_id: z.string(),
  public_key: z.string().nullable().optional(),
  retired_at: z.string().nullable().optional(),
});

/** Each local key against its record (named by key_id); a missing DocType means none is there. */
export async function planKeys(erp: ErpClient, keys: readonly LocalKey[]): Promise<KeyPlan> {
  const plan = {
    to_register: [] as LocalKey[],
    to_retire: [] as LocalKey[],
    ok: [] as string[],
    conflicting: [] as KeyPlan['conflicting'][number][],
  };
  for (const key of keys) {
    let raw: ErpDoc;
    try {
      raw = await erp.get(KEY_DOCTYPE, key.key_id);
    } catch (e) {
      if (notFound(e)) {
        plan.to_register.push(key);
        continue;
      }
      throw e;
    }
    const found = readAnswer(KeyAnswer, raw, `${KEY_DOCTYPE} ${key.key_id}`);
    const differences: Difference[] = [];
    for (const p of ['terminal', 'public_key'] as const) {
      if ((found[p] ?? null) !== key[p])
        differences.push({ property: p, expected: key[p], found: found[p] ?? null });
    }
    const retired = found.retired_at ?? null;
    if (retired !== null && key.retired_at !== null && retired !== key.retired_at) {
      differences.push({ property: 'retired_at', expected: key.retired_at, found: retired });
    }
    if (differences.length > 0) {
      plan.conflicting.push({
        key_id: key.key_id,
        differences,
        fix: `the record ${KEY_DOCTYPE} ${key.key_id} does not hold this terminal's key: find out who changed it (its Version history), then delete it and run outpost erpnext-setup again`,
      });
    } else if (retired === null && key.retired_at !== null) plan.to_retire.push(key);
    else plan.ok.push(key.key_id);
  }
  return plan;
}

/** One key record; `registeredAt` is this run's time (ISO 8601 UTC). */
export async function registerKey(
  erp: ErpClient,
  key: LocalKey,
  registeredAt: string,
): Promise<void> {
  await erp.insert(KEY_DOCTYPE, {
    terminal: key.terminal,
    key_id: key.key_id,
    alg: key.alg,
    public_key: key.public_key,
    registered_at: registeredAt,
    ...(key.retired_at === null ? {} : { retired_at: key.retired_at }),
  });
}

/** Marks a registered key retired, as its key_rotation record says. */
export async function retireKey(erp: ErpClient, key: LocalKey): Promise<void> {
  await erp.call('frappe.client.set_value', {
    doctype: KEY_DOCTYPE,
    name: key.key_id,
    fieldname: 'retired_at',
    value: key.retired_at,
  });
}
