import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ErpDoc } from '../../src/erpnext/client.js';
import { UnreachableError } from '../../src/erpnext/errors.js';
import { askHighWater } from '../../src/sync/anchor.js';
import type { PushClient } from '../../src/sync/push/types.js';
import { query } from '../pos/till-fixture.js';
import type { RunningSim } from './sim-site.js';
import { client, list, openTill, pointAt, pushSuite, sellShift, worker } from './push-fixture.js';

type Json = Record<string, unknown>;

const suite = pushSuite();
const ANCHOR = 'Outpost Shift Anchor';

/**
 * The simulator's own client, with every insert tried noted in order; `dropAnchor` makes the first
 * anchor insert reach ERPNext and its answer get lost, as a cut connection does.
 */
function watched(sim: RunningSim, dropAnchor = false): PushClient & { inserts: string[] } {
  const erp = client(sim);
  const inserts: string[] = [];
  let dropped = false;
  const insert = async (doctype: string, doc: ErpDoc): Promise<ErpDoc> => {
    inserts.push(doctype);
    const saved = await erp.insert(doctype, doc);
    if (dropAnchor && doctype === ANCHOR && !dropped) {
      dropped = true;
      throw new UnreachableError(sim.url, 'socket hang up');
    }
    return saved;
  };
  return Object.assign(Object.create(erp) as PushClient, {
    inserts,
    insert,
    insertMany: async (docs: readonly ErpDoc[]) => {
      inserts.push(...docs.map((d) => String(d['doctype'])));
      return erp.insertMany(docs);
    },
  });
}

/** The shift's Z report as the journal holds it. */
const zRecord = (dir: string) =>
  query<{
    seq: number;
    uuid: string;
    key_id: string;
    header: string;
    body: string;
    hash: string;
    signature: string;
  }>(
    dir,
    "SELECT seq, uuid, key_id, header, body, hash, signature FROM journal WHERE type = 'shift_close'",
  )[0];

const shiftUuid = (dir: string): string =>
  String(query<{ uuid: string }>(dir, 'SELECT uuid FROM shift')[0]?.uuid);

/** Drains `dir`'s outbox into `sim`; what was rejected, by uuid. */
async function drain(dir: string, erp: PushClient): Promise<string[]> {
  const till = openTill(dir);
  try {
    const passes = await worker(till, erp, 'sales_invoice').drain({ wait: true });
    return passes.flatMap((p) => p.rejected.map((r) => r.uuid));
  } finally {
    till.close();
  }
}

async function pushShift(dropAnchor: boolean, redeem = true) {
  const dir = suite.copy();
  await sellShift(dir, { redeem });
  const sim = await suite.open();
  pointAt(dir, sim, 'sales_invoice');
  const erp = watched(sim, dropAnchor);
  expect(await drain(dir, erp)).toEqual([]);
  return { dir, sim, erp };
}

describe('push in sales_invoice mode: the shift anchor', () => {
  it('sends one Outpost Shift Anchor with the Z report, after every document of the shift', async () => {
    const { dir, sim, erp } = await pushShift(false);
    const z = zRecord(dir);
    if (!z) throw new Error('no Z report');
    const zBody = JSON.parse(z.body) as { first_seq: number; perpetual_grand_total: string };
    const uuid = shiftUuid(dir);
    const closing = query<{ payload: string }>(
      dir,
      "SELECT payload FROM outbox WHERE doctype = 'POS Closing Entry'",
    )[0];
    const end = String((JSON.parse(closing?.payload ?? '{}') as Json)['period_end_date']);
    const opening = query<{ payload: string }>(
      dir,
      "SELECT payload FROM outbox WHERE doctype = 'POS Opening Entry'",
    )[0];
    const start = String((JSON.parse(opening?.payload ?? '{}') as Json)['period_start_date']);

    const anchors = list(sim, ANCHOR, [], ['*']);
    expect(anchors).toHaveLength(1);
    expect(anchors[0]).toMatchObject({
      name: uuid,
      shift_uuid: uuid,
      terminal: 'T1',
      first_seq: zBody.first_seq,
      last_seq: z.seq,
      head_hash: z.hash,
      perpetual_grand_total: zBody.perpetual_grand_total,
      signed_header: z.header,
      signed_body: z.body,
      signature: z.signature,
      key_id: z.key_id,
      period_start_date: start,
      posting_date: end.slice(0, 10),
      docstatus: 0,
    });
    expect(String(anchors[0]?.['posting_time']).padStart(8, '0')).toBe(end.slice(11, 19));
    // 8 Sales Invoices (the void cancels one), then the anchor, last.
    expect(erp.inserts).toEqual([...Array<string>(8).fill('Sales Invoice'), ANCHOR]);
    expect(
      query(dir, 'SELECT state, remote_doctype, remote_name FROM push_job WHERE uuid = ?', z.uuid),
    ).toEqual([{ state: 'done', remote_doctype: ANCHOR, remote_name: uuid }]);
    // ERPNext's high-water mark for the terminal is the Z report, past the last invoice.
    const receipt = query<{ invoice_no: string }>(
      dir,
      'SELECT invoice_no FROM journal WHERE invoice_no IS NOT NULL ORDER BY seq DESC LIMIT 1',
    )[0]?.invoice_no;
    const keyIds = query<{ k: string }>(dir, 'SELECT DISTINCT key_id AS k FROM journal').map(
      (r) => r.k,
    );
    const store = String(receipt).slice(0, String(receipt).indexOf('-T1-'));
    expect(
      await askHighWater(client(sim), 'T1', '2026-12-07T00:00:00.000Z', { store, keyIds }),
    ).toEqual({
      seq: z.seq,
      hash: z.hash,
      doctype: ANCHOR,
      name: uuid,
      receipt_no: receipt,
      checked_at: '2026-12-07T00:00:00.000Z',
    });
  }, 120_000);

  it('an anchor whose answer was lost is looked up, not sent twice', async () => {
    const { dir, sim, erp } = await pushShift(true);
    const z = zRecord(dir);
    const uuid = shiftUuid(dir);
    expect(erp.inserts.filter((d) => d === ANCHOR)).toEqual([ANCHOR]);
    expect(list(sim, ANCHOR, [], ['name', 'last_seq'])).toEqual([{ name: uuid, last_seq: z?.seq }]);
    expect(query(dir, 'SELECT state, attempts FROM push_job WHERE uuid = ?', z?.uuid)).toEqual([
      { state: 'done', attempts: 2 },
    ]);
  }, 120_000);

  it('a restored copy of the store pushing the same shift again: the 409 on the name means it is there', async () => {
    // No redemption: ERPNext checks the points before the uuid, and they are spent by then.
    const { dir, sim } = await pushShift(false, false);
    const copy = join(mkdtempSync(join(tmpdir(), 'outpost-anchor-')), 'store');
    cpSync(dir, copy, { recursive: true });
    // The copy's push bookkeeping is from before the push, as a restored backup's would be.
    const db = new Database(join(copy, 'store.db'));
    try {
      db.exec(
        "UPDATE push_job SET state = 'pending', remote_doctype = '', remote_name = '', attempts = 0",
      );
    } finally {
      db.close();
    }
    const erp = watched(sim);
    const review = 'SELECT uuid, message FROM push_review';
    expect(await drain(copy, erp), JSON.stringify(query(copy, review))).toEqual([]);
    const z = zRecord(copy);
    expect(list(sim, ANCHOR, [], ['name'])).toEqual([{ name: shiftUuid(dir) }]);
    expect(erp.inserts.filter((d) => d === ANCHOR)).toEqual([ANCHOR]);
    expect(
      query(
        copy,
        'SELECT state, remote_doctype, remote_name FROM push_job WHERE uuid = ?',
        z?.uuid,
      ),
    ).toEqual([{ state: 'done', remote_doctype: ANCHOR, remote_name: shiftUuid(dir) }]);
  }, 120_000);

  it("a record under the shift's uuid that is not its Z report goes to review, untouched", async () => {
    const dir = suite.copy();
    await sellShift(dir);
    const sim = await suite.open();
    pointAt(dir, sim, 'sales_invoice');
    const uuid = shiftUuid(dir);
    const z = zRecord(dir);
    const forged = sim.call('POST', `/api/resource/${ANCHOR}`, {
      shift_uuid: uuid,
      terminal: 'T1',
      first_seq: 1,
      last_seq: z?.seq,
      head_hash: '0'.repeat(64),
      perpetual_grand_total: '0',
      signed_header: '{}',
      signed_body: '{}',
      signature: 'x',
      key_id: 'x',
      period_start_date: '2026-01-01 00:00:00',
      posting_date: '2026-01-01',
      posting_time: '00:00:00',
    });
    expect(forged.status).toBe(200);
    expect(await drain(dir, watched(sim))).toEqual([z?.uuid]);
    expect(
      query(dir, "SELECT message FROM push_review WHERE uuid = ? AND status = 'open'", z?.uuid),
    ).toEqual([
      {
        message: `${ANCHOR} ${uuid} holds head hash ${'0'.repeat(64)} at seq ${String(z?.seq)}, this shift's Z report ${String(z?.hash)} at seq ${String(z?.seq)}`,
      },
    ]);
    expect(list(sim, ANCHOR, [], ['name', 'head_hash'])).toEqual([
      { name: uuid, head_hash: '0'.repeat(64) },
    ]);
  }, 120_000);
});
