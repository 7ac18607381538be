import { Catalog } from './catalog.js';
import type { Db } from './db.js';

/**
 * Customers created at the till (table customer_local, migration 4) and their stand-in in the
 * pulled cache. A new customer is written to the cache too, as a Customer document under its
 * till name (`mirrorDoc`), so that every path that reads customers (search, `sell --customer`,
 * the engine's master data) finds it at once without knowing it is local. Once ERPNext has it,
 * ERPNext's name replaces the till name (`recordErpnextName`) and the next pull brings the
 * real record over the stand-in.
 */

export const LocalStates = { pending: 'pending', done: 'done', review: 'review' } as const;
export type LocalState = (typeof LocalStates)[keyof typeof LocalStates];

export interface LocalCustomer {
  readonly uuid: string;
  /** The name sales made here use; their signed records keep it. */
  readonly name: string;
  readonly customer_name: string;
  readonly mobile_no: string;
  readonly email_id: string;
  readonly customer_group: string;
  readonly territory: string;
  readonly loyalty_program: string;
  readonly created_at: string;
  /** The journal record of the creation. */
  readonly seq: number;
  /** ERPNext's name once pushed or matched; '' before. */
  readonly erpnext_name: string;
  readonly state: LocalState;
  readonly attempts: number;
  readonly last_error: string;
}

export type NewLocalCustomer = Omit<
  LocalCustomer,
  'erpnext_name' | 'state' | 'attempts' | 'last_error'
>;

/** What a sale's customer is in ERPNext: its own name, or not there yet. */
export type ResolvedCustomer =
  | { readonly kind: 'erpnext'; readonly name: string }
  | { readonly kind: 'pending'; readonly uuid: string; readonly state: 'pending' | 'review' };

const COLUMNS = `uuid, name, customer_name, mobile_no, email_id, customer_group, territory,
  loyalty_program, created_at, seq, erpnext_name, state, attempts, last_error`;

/** The field the stand-in carries, as ERPNext's record will once pushed (CUSTOMER_UUID_FIELD). */
const UUID_FIELD = 'outpost_customer_uuid';

/**
 * The customer a sale made here names, as ERPNext knows it. A name that is not a customer
 * created here is ERPNext's own; one created here is pending until pushed or matched, then
 * ERPNext's name (which may differ: "Ann Lee - 1", or the customer it was matched to).
 */
export function resolveCustomer(db: Db, tillName: string): ResolvedCustomer {
  const row = db
    .prepare('SELECT uuid, erpnext_name, state FROM customer_local WHERE name = ?')
    .get(tillName) as Pick<LocalCustomer, 'uuid' | 'erpnext_name' | 'state'> | undefined;
  if (!row) return { kind: 'erpnext', name: tillName };
  if (row.state === 'done') return { kind: 'erpnext', name: row.erpnext_name };
  return { kind: 'pending', uuid: row.uuid, state: row.state };
}

export function localCustomerByUuid(db: Db, uuid: string): LocalCustomer | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM customer_local WHERE uuid = ?`).get(uuid) as
    LocalCustomer | undefined;
}

/** Local customers by till name (for marking search hits as not yet in ERPNext). */
export function localCustomersByName(db: Db, names: readonly string[]): Map<string, LocalCustomer> {
  const out = new Map<string, LocalCustomer>();
  // A store opened read-only is not migrated: one from before migration 4 has no such table.
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customer_local'")
    .get();
  if (!table) return out;
  const one = db.prepare(`SELECT ${COLUMNS} FROM customer_local WHERE name = ?`);
  for (const n of names) {
    const row = one.get(n) as LocalCustomer | undefined;
    if (row) out.set(n, row);
  }
  return out;
}

/** Customers still to push, in creation (journal) order. */
export function pendingLocalCustomers(db: Db, limit = 1000): LocalCustomer[] {
  return db
    .prepare(`SELECT ${COLUMNS} FROM customer_local WHERE state = 'pending' ORDER BY seq LIMIT ?`)
    .all(limit) as LocalCustomer[];
}

export function countLocalCustomers(db: Db, state: LocalState): number {
  return db
    .prepare('SELECT count(*) FROM customer_local WHERE state = ?')
    .pluck()
    .get(state) as number;
}

/** The Customer document that stands in for a local one in the pulled cache. */
export function mirrorDoc(
  c: NewLocalCustomer,
  name: string,
  modified: string,
): Record<string, unknown> {
  return {
    name,
    modified,
    docstatus: 0,
    customer_name: c.customer_name,
    customer_type: 'Individual',
    customer_group: c.customer_group,
    territory: c.territory,
    mobile_no: c.mobile_no,
    email_id: c.email_id,
    loyalty_program: c.loyalty_program,
    disabled: 0,
    [UUID_FIELD]: c.uuid,
  };
}

/**
 * Records a new local customer and its stand-in in the cache. The caller's transaction also
 * holds the journal record (`seq`), so the three commit together. `modified` is the creation
 * time as Frappe writes it: a Deleted Document of an older customer of the same name does not
 * remove the stand-in (the pull keeps what was written after the deletion).
 */
export function insertLocalCustomer(db: Db, c: NewLocalCustomer, modified: string): void {
  db.prepare(
    `INSERT INTO customer_local (uuid, name, customer_name, mobile_no, email_id, customer_group,
       territory, loyalty_program, created_at, seq)
     VALUES (@uuid, @name, @customer_name, @mobile_no, @email_id, @customer_group, @territory,
       @loyalty_program, @created_at, @seq)`,
  ).run(c);
  new Catalog(db).apply('Customer', mirrorDoc(c, c.name, modified));
}

/**
 * The name ERPNext would give a new customer called `customerName` (Selling Settings "Customer
 * Name"), against the customers this store knows: the name itself when free, else
 * "<name> - <n>" with n one more than the largest number ending a name that contains
 * "<name> - ". ERPNext's Customer.get_customer_name
 * (erpnext/selling/doctype/customer/customer.py) does exactly that, case-insensitively (MariaDB's
 * collation) and with `%` and `_` in the name left as LIKE wildcards; the last space-separated
 * word is cast to a number (leading digits, else 0). The store cannot see customers ERPNext made
 * since the last pull, so ERPNext may still choose another name on push: its answer wins.
 */
export function freeCustomerName(db: Db, customerName: string): string {
  if (!nameTaken(db, customerName)) return customerName;
  const like = db
    .prepare(
      `SELECT name FROM doc WHERE doctype = 'Customer' AND name LIKE @p
       UNION SELECT name FROM customer_local WHERE name LIKE @p
       UNION SELECT erpnext_name FROM customer_local WHERE erpnext_name LIKE @p`,
    )
    .pluck()
    .all({ p: `%${customerName} - %` }) as string[];
  let count = 0;
  for (const n of like) {
    const digits = /^\d+/.exec(n.slice(n.lastIndexOf(' ') + 1));
    if (digits) count = Math.max(count, Number(digits[0]));
  }
  // ERPNext would then fail on a taken name (DuplicateEntryError); the till takes the next.
  let next = count + 1;
  while (nameTaken(db, `${customerName} - ${next}`)) next += 1;
  return `${customerName} - ${next}`;
}

function nameTaken(db: Db, name: string): boolean {
  return (
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM doc WHERE doctype = 'Customer' AND name = @n COLLATE NOCASE)
           OR EXISTS (SELECT 1 FROM customer_local
             WHERE name = @n COLLATE NOCASE OR erpnext_name = @n COLLATE NOCASE)`,
      )
      .pluck()
      .get({ n: name }) === 1
  );
}

/** The digits of a phone number, the way two spellings of one number are compared. */
export const phoneDigits = (phone: string): string => phone.replace(/\D/g, '');

/**
 * One phone number written two ways: the same digits, or one the other's ending once a country
 * or trunk prefix is dropped ("+1 555 200 0000" and "555-200-0000"). Fewer than 7 digits never
 * match (an extension, a typo).
 */
export function samePhone(a: string, b: string): boolean {
  const x = phoneDigits(a);
  const y = phoneDigits(b);
  if (x.length < 7 || y.length < 7) return false;
  return x.length >= y.length ? x.endsWith(y) : y.endsWith(x);
}

export const sameEmail = (a: string, b: string): boolean =>
  a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A LIKE pattern that finds every spelling of a phone number by its last 7 digits, whatever
 * separators sit between them (candidates only: `samePhone` decides).
 */
export function phoneLikePattern(phone: string): string {
  const tail = phoneDigits(phone).slice(-7);
  return `%${[...tail].join('%')}`;
}

/**
 * An enabled customer this store knows (pulled, or created here) with the same phone or e-mail,
 * or undefined: a second record for one person is what the issue forbids.
 */
export function customerWithContact(
  db: Db,
  contact: { mobile_no: string; email_id: string },
): { name: string; field: 'mobile_no' | 'email_id' } | undefined {
  const rows = db
    .prepare(
      `SELECT name, mobile_no, email_id FROM customer
       WHERE disabled = 0 AND ((@phone <> '' AND mobile_no LIKE @phone)
         OR (@email <> '' AND email_id = @email COLLATE NOCASE))
       ORDER BY name`,
    )
    .all({
      phone: phoneDigits(contact.mobile_no).length >= 7 ? phoneLikePattern(contact.mobile_no) : '',
      email: contact.email_id.trim(),
    }) as { name: string; mobile_no: string; email_id: string }[];
  for (const r of rows) {
    if (contact.mobile_no && samePhone(r.mobile_no, contact.mobile_no)) {
      return { name: r.name, field: 'mobile_no' };
    }
  }
  for (const r of rows) {
    if (sameEmail(r.email_id, contact.email_id)) return { name: r.name, field: 'email_id' };
  }
  return undefined;
}

/**
 * ERPNext has the customer as `erpnextName`: recorded in one short transaction, after the HTTP
 * call that learnt it. Sales made here keep the till name in their signed records; the push
 * sends ERPNext's (`resolveCustomer`). When the names differ, search stops showing the till
 * name (its cached document stays, for returns and exchanges of sales that name it), ERPNext's
 * name is shown instead with the local data until the next pull brings the real record, and
 * the points booked locally move to ERPNext's name (where ERPNext will book them). Recording
 * the same answer twice changes nothing.
 */
export function recordErpnextName(db: Db, uuid: string, erpnextName: string): void {
  db.transaction(() => {
    const c = localCustomerByUuid(db, uuid);
    if (!c) throw new Error(`customer_local: no customer ${uuid}`);
    if (c.state === 'done' && c.erpnext_name === erpnextName) return;
    db.prepare(
      `UPDATE customer_local SET erpnext_name = ?, state = 'done', last_error = '' WHERE uuid = ?`,
    ).run(erpnextName, uuid);
    if (erpnextName === c.name) return;
    if (isStandIn(db, c.name, uuid)) {
      const id = db.prepare('SELECT id FROM customer WHERE name = ?').pluck().get(c.name);
      if (id !== undefined) db.prepare('DELETE FROM customer_fts WHERE rowid = ?').run(id);
      db.prepare('DELETE FROM customer WHERE name = ?').run(c.name);
    }
    const known = db
      .prepare("SELECT 1 FROM doc WHERE doctype = 'Customer' AND name = ?")
      .get(erpnextName);
    // Blank `modified`: whatever the pull brings under this name replaces it.
    if (!known) new Catalog(db).apply('Customer', mirrorDoc(c, erpnextName, ''));
    db.prepare('UPDATE loyalty_pending SET customer = ? WHERE customer = ?').run(
      erpnextName,
      c.name,
    );
  })();
}

/** True when the cached Customer `name` is still the stand-in written for local `uuid`. */
function isStandIn(db: Db, name: string, uuid: string): boolean {
  return (
    db
      .prepare(
        `SELECT json_extract(data, '$.${UUID_FIELD}') FROM doc WHERE doctype = 'Customer' AND name = ?`,
      )
      .pluck()
      .get(name) === uuid
  );
}

/** A push attempt that may succeed later (network, 5xx...): counted, the reason kept. */
export function recordAttempt(db: Db, uuid: string, error: string): void {
  db.prepare(
    "UPDATE customer_local SET attempts = attempts + 1, last_error = ? WHERE uuid = ? AND state = 'pending'",
  ).run(error, uuid);
}

/** ERPNext refused the customer (validation): it waits for a person, with ERPNext's message. */
export function recordReview(db: Db, uuid: string, error: string): void {
  db.prepare(
    "UPDATE customer_local SET attempts = attempts + 1, last_error = ?, state = 'review' WHERE uuid = ? AND state = 'pending'",
  ).run(error, uuid);
}

/**
 * Puts a customer in review back in the queue (a person fixed the cause in ERPNext, e.g. the
 * group it needs exists again); true when it was in review.
 */
export function requeueLocalCustomer(db: Db, uuid: string): boolean {
  return (
    db
      .prepare("UPDATE customer_local SET state = 'pending' WHERE uuid = ? AND state = 'review'")
      .run(uuid).changes === 1
  );
}
