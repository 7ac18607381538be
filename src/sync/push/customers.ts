import { z } from 'zod';
import { readAnswer } from '../../erpnext/answers.js';
import type { ErpClient, ErpDoc, Filter } from '../../erpnext/client.js';
import { CUSTOMER_UUID_FIELD } from '../../erpnext/custom-fields.js';
import { FrappeError, UnreachableError } from '../../erpnext/errors.js';
import { parseWith } from '../../core/index.js';
import { classify } from './classify.js';
import { JournalError, readVerifiedRecord, type VerifiedRead } from '../../journal/index.js';
import {
  countLocalCustomers,
  pendingLocalCustomers,
  phoneDigits,
  phoneLikePattern,
  recordAttempt,
  recordErpnextName,
  recordReview,
  sameEmail,
  samePhone,
  type LocalCustomer,
} from '../../store/customers-local.js';
import type { Db } from '../../store/db.js';

export interface PushCustomersOptions {
  /**
   * The terminal's registered keys (and its id): each customer's signed journal record is
   * verified before it is sent, and ERPNext gets what was signed.
   */
  readonly journal: VerifiedRead;
  /** At most this many customers in one run (default 1000). */
  readonly limit?: number;
}

export interface PushCustomersResult {
  /** Inserted now, or found already inserted by an earlier attempt whose answer was lost. */
  readonly pushed: number;
  /** Matched by phone or e-mail to a customer ERPNext already had: nothing inserted. */
  readonly matched: number;
  /** Refused by ERPNext in this run, now waiting in review with its message. */
  readonly review: number;
  /** Still waiting after this run (a retryable failure, or not reached). */
  readonly pending: number;
}

const NameRow = z.looseObject({ name: z.string().min(1, 'must not be blank') });
const ContactRow = z.looseObject({
  name: z.string().min(1, 'must not be blank'),
  mobile_no: z.string().nullish(),
  email_id: z.string().nullish(),
});

/** The body of the `event` record `addCustomer` (src/pos/customers.ts) signs. */
const SignedCustomer = z.strictObject({
  uuid: z.string(),
  name: z.string(),
  customer_name: z.string(),
  mobile_no: z.string(),
  email_id: z.string(),
  customer_group: z.string(),
  territory: z.string(),
  loyalty_program: z.string(),
});
const CustomerAdded = z.looseObject({
  event: z.literal('customer_added'),
  customer: SignedCustomer,
});
type Signed = z.output<typeof SignedCustomer>;

/** How many same-ending phone numbers or same e-mails are worth comparing. */
const CANDIDATES = 50;

/**
 * Sends the customers created at this till to ERPNext, oldest first, each exactly once:
 *
 * 1. one already carrying its uuid (the unique Custom Field `outpost_customer_uuid`) is the
 *    same customer, inserted by an attempt whose answer was lost: recorded, not sent again;
 * 2. else an enabled customer with the same phone or e-mail is the same person: recorded as
 *    that customer, nothing inserted (a second record for one person is what a retailer's
 *    back office must not get);
 * 3. else inserted with the uuid set; a 417 UniqueValidationError means it is there already
 *    (lost answer, racing run): fetched by uuid and recorded.
 *
 * ERPNext's name is taken from its answer, never assumed: a second "Ann Lee" is silently stored
 * as "Ann Lee - 1" [recording 226]. Each answer is recorded in its own short transaction after
 * the HTTP call; none is held across one. Unreachable ERPNext stops the run (everything left
 * stays pending); another retryable failure (5xx, 408, 409, 429, 401, a lock wait, a garbled
 * answer: `classify`, shared with the invoice stream) leaves that customer pending and goes on;
 * a refusal (validation, permission) puts it in review with ERPNext's message, never blocking
 * the customers after it.
 */
export async function pushCustomers(
  db: Db,
  client: ErpClient,
  opts: PushCustomersOptions,
): Promise<PushCustomersResult> {
  let pushed = 0;
  let matched = 0;
  let review = 0;
  for (const c of pendingLocalCustomers(db, opts.limit ?? 1000)) {
    let signed: Signed;
    try {
      signed = signedCustomer(db, c, opts.journal);
    } catch (e) {
      if (!(e instanceof JournalError)) throw e;
      // Never sent: a person must look at a record that fails its signature or its copy.
      recordReview(db, c.uuid, e.message);
      review += 1;
      continue;
    }
    try {
      const outcome = await pushOne(client, signed);
      recordErpnextName(db, c.uuid, outcome.name);
      if (outcome.how === 'matched') matched += 1;
      else pushed += 1;
    } catch (e) {
      // The push's one classifier (classify.ts): a local fault (database, defect) is rethrown.
      const verdict = classify(e);
      if (verdict.kind === 'retryable') {
        recordAttempt(db, c.uuid, errorText(e, verdict.message));
        // Nothing after it would get through either: everything left stays pending.
        if (e instanceof UnreachableError) break;
      } else {
        recordReview(db, c.uuid, errorText(e, verdict.message));
        review += 1;
      }
    }
  }
  return { pushed, matched, review, pending: countLocalCustomers(db, 'pending') };
}

/**
 * The customer as its journal record signed it, the record verified (hashes, signature, links)
 * and the customer_local row checked against it field by field: an edited row is refused, not
 * pushed. JournalError `Tampered` naming the seq otherwise.
 */
function signedCustomer(db: Db, c: LocalCustomer, journal: VerifiedRead): Signed {
  const record = readVerifiedRecord(db, c.seq, journal);
  const tampered = (what: string) =>
    new JournalError('Tampered', `customer ${c.uuid}: ${what} (journal seq ${c.seq})`, {
      seq: c.seq,
    });
  let body: z.output<typeof CustomerAdded>;
  try {
    body = parseWith(CustomerAdded, record.body, `journal seq ${c.seq} body`);
  } catch (e) {
    throw tampered(`not a customer_added record: ${(e as Error).message}`);
  }
  if (record.header.uuid !== c.uuid) throw tampered(`the record's uuid is ${record.header.uuid}`);
  for (const [field, value] of Object.entries(body.customer)) {
    if (c[field as keyof Signed] !== value) {
      throw tampered(`customer_local.${field} differs from the signed record`);
    }
  }
  return body.customer;
}

async function pushOne(
  client: ErpClient,
  c: Signed,
): Promise<{ name: string; how: 'found' | 'matched' | 'inserted' }> {
  const found = await byUuid(client, c.uuid);
  if (found) return { name: found, how: 'found' };
  const same = await byContact(client, c);
  if (same) return { name: same, how: 'matched' };
  try {
    const doc = await client.insert('Customer', customerDoc(c));
    return { name: readAnswer(NameRow, doc, 'new Customer').name, how: 'inserted' };
  } catch (e) {
    if (e instanceof FrappeError && e.excType === 'UniqueValidationError') {
      const there = await byUuid(client, c.uuid);
      if (there) return { name: there, how: 'found' };
    }
    throw e;
  }
}

/** The Customer as ERPNext receives it: what the till signed, and the uuid that keys it. */
function customerDoc(c: Signed): ErpDoc {
  return {
    customer_name: c.customer_name,
    customer_type: 'Individual',
    customer_group: c.customer_group,
    ...(c.territory ? { territory: c.territory } : {}),
    ...(c.mobile_no ? { mobile_no: c.mobile_no } : {}),
    ...(c.email_id ? { email_id: c.email_id } : {}),
    // Explicit, so ERPNext keeps the program the till's sales already earned points in.
    ...(c.loyalty_program ? { loyalty_program: c.loyalty_program } : {}),
    [CUSTOMER_UUID_FIELD]: c.uuid,
  };
}

async function byUuid(client: ErpClient, uuid: string): Promise<string | undefined> {
  const rows = readAnswer(
    z.array(NameRow),
    await client.list('Customer', {
      fields: ['name'],
      filters: [[CUSTOMER_UUID_FIELD, '=', uuid]],
      limit_page_length: 2,
    }),
    `Customer by ${CUSTOMER_UUID_FIELD}`,
  );
  return rows[0]?.name;
}

/**
 * An enabled ERPNext customer with the same phone (any spelling: candidates by their last 7
 * digits, then compared digit for digit) or e-mail (case aside); one with both wins, then the
 * phone, then the e-mail, the oldest first. Customer.mobile_no and email_id are those of the
 * primary Contact (fetch_from), which is what ERPNext fills them from on insert [050].
 */
async function byContact(client: ErpClient, c: Signed): Promise<string | undefined> {
  const or: Filter[] = [];
  if (phoneDigits(c.mobile_no).length >= 7) {
    or.push(['mobile_no', 'like', phoneLikePattern(c.mobile_no)]);
  }
  if (c.email_id) or.push(['email_id', '=', c.email_id]);
  if (or.length === 0) return undefined;
  const rows = readAnswer(
    z.array(ContactRow),
    await client.list('Customer', {
      fields: ['name', 'mobile_no', 'email_id'],
      filters: [['disabled', '=', 0]],
      or_filters: or,
      order_by: 'creation asc',
      limit_page_length: CANDIDATES,
    }),
    'Customer by phone or e-mail',
  );
  const score = (r: z.output<typeof ContactRow>): number =>
    (c.mobile_no && samePhone(r.mobile_no ?? '', c.mobile_no) ? 2 : 0) +
    (c.email_id && sameEmail(r.email_id ?? '', c.email_id) ? 1 : 0);
  let best: { name: string; score: number } | undefined;
  for (const r of rows) {
    const s = score(r);
    if (s > 0 && (!best || s > best.score)) best = { name: r.name, score: s };
  }
  return best?.name;
}

/** ERPNext's words as kept on the row: its exception type and status first, when it gave one. */
const errorText = (e: unknown, fallback: string): string =>
  e instanceof FrappeError ? `${e.excType} (${e.status}): ${e.message}` : fallback;
