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
 * The simulator's own client, with every insert noted in order; `dropAnchor` makes the first
 * anchor insert reach ERPNext and its answer get lost, as a cut connection does.
 */
function watched(sim: RunningSim, dropAnchor = false): PushClient & { inserts: string[] } {
  const erp = client(sim);
  const inserts: string[] = [];
  let dropped = false;
  const insert = async (doctype: string, doc: ErpDoc): Promise<ErpDoc> => {
    const saved = await erp.insert(doctype, doc);
    inserts.push(doctype);
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
      const names = await erp.insertMany(docs);
      inserts.push(...docs.map((d) => String(d['doctype'])));
      return names;
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

async function pushShift(dropAnchor: boolean) {
  const dir = suite.copy();
  await sellShift(dir);
  const sim = await suite.open();
  pointAt(dir, sim, 'sales_invoice');
  const erp = watched(sim, dropAnchor);
  const till = openTill(dir);
  try {
    const passes = await worker(till, erp, 'sales_invoice').drain({ wait: true });
    expect(passes.flatMap((p) => p.rejected)).toEqual([]);
  } finally {
    till.close();
  }
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
    expect(await askHighWater(client(sim), 'T1', '2026-12-07T00:00:00.000Z')).toEqual({
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
});
