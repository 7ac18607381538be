import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syncLoop } from '../../src/cli/sync-loop.js';
import { Faults } from '../../src/sim/faults.js';
import {
  CASHIER,
  MANAGER,
  cli,
  cliJson,
  makeTemplate,
  query,
  sellArgs,
} from '../pos/till-fixture.js';
import type { RunningSim } from './sim-site.js';
import { list, pointAt, sellShift, simWithFields } from './push-fixture.js';

/** `outpost sync --push --once`, `review`, `status` through the CLI, against the simulator. */

type Json = Record<string, unknown>;

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

let sims: RunningSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const up = async (faults?: Faults) => {
  const sim = await simWithFields(faults);
  sims.push(sim);
  return sim;
};

const pushOnce = (dir: string) => cli(['sync', '--data', dir, '--push', '--once', '--json']);
const asManager = ['--cashier', MANAGER.id, '--pin', MANAGER.pin];
const seqOf = (dir: string, uuid: unknown): number | undefined =>
  query<{ seq: number }>(dir, 'SELECT seq FROM outbox WHERE uuid = ?', uuid)[0]?.seq;
const STOCK_REASON =
  'ERPNext does not hold enough stock of an item of this sale: receive or transfer the stock in ERPNext, then retry';

describe('outpost sync --push --once', () => {
  it('pos_invoice: the shift goes as opening, POS Invoices and a consolidated closing; exit 0', async () => {
    const dir = template.copy();
    const shift = await sellShift(dir, { redeem: false });
    const sim = await up();
    pointAt(dir, sim, 'pos_invoice');
    const r = await pushOnce(dir);
    expect([r.code, r.err.includes('Error')]).toEqual([0, false]);
    const out = JSON.parse(r.out) as { pushed: { documents: Json[] }; left: Json };
    expect(out.pushed.documents.map((d) => d['doctype'])).toEqual([
      'POS Opening Entry',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Invoice',
      'POS Closing Entry',
    ]);
    expect(out.left).toMatchObject({ pending: 0, in_review: 0, closings_consolidating: 0 });
    const sold = [...shift.sales, shift.returned, shift.exchange.return, shift.exchange.sale];
    expect(list(sim, 'POS Invoice', [['outpost_uuid', 'is', 'set']])).toHaveLength(sold.length);
    const status = await cliJson<{ push: Json; pending_pushes: number }>([
      'status',
      '--data',
      dir,
      '--json',
    ]);
    expect(status.pending_pushes).toBe(0);
    expect(status.push).toMatchObject({
      pending: 0,
      in_review: 0,
      customers_pending: 0,
      conflicts: 0,
      resolved: 0,
      last_push: { run: { result: 'ok', pushed: 11, rejected: 0, error: null } },
    });
  }, 120_000);

  it('sales_invoice: a stock shortage goes to review while later sales flow; retry after the stock is fixed; resolve is journaled', async () => {
    const dir = template.copy();
    const first = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
    // ERPNext's Bin holds 40 of SKU-0000006 in Store North: the till sells 45 offline.
    const short = await cliJson(sellArgs(dir, '--item', 'SKU-0000006:45'));
    const later = await cliJson(sellArgs(dir, '--item', 'SKU-0000003:2'));
    const alsoShort = await cliJson(sellArgs(dir, '--item', 'SKU-0000007:500'));
    const sim = await up();
    pointAt(dir, sim, 'sales_invoice');

    const r = await pushOnce(dir);
    // What waits in review needs a person: not a reason to fail the run.
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as {
      pushed: { documents: Json[]; to_review: Json[] };
      left: Json;
    };
    expect(out.pushed.documents.map((d) => d['uuid'])).toEqual([
      // The shift's opening: nothing to send in sales_invoice mode.
      expect.any(String),
      first['uuid'],
      later['uuid'],
    ]);
    expect(out.pushed.to_review).toEqual([
      { seq: seqOf(dir, short['uuid']), uuid: short['uuid'], reason: STOCK_REASON },
      {
        seq: seqOf(dir, alsoShort['uuid']),
        uuid: alsoShort['uuid'],
        reason: STOCK_REASON,
      },
    ]);
    expect(out.left).toMatchObject({ pending: 0, in_review: 2, retry_at: null });

    const review = await cliJson<{ review: Json[] }>(['review', '--data', dir, '--json']);
    expect(
      review.review.map((i) => [
        i['kind'],
        i['doctype'],
        i['invoice_no'],
        i['uuid'],
        i['reason'],
        i['actions'],
      ]),
    ).toEqual([
      [
        'document',
        'Sales Invoice',
        short['invoice_no'],
        short['uuid'],
        `${STOCK_REASON} (its draft Sales Invoice ACC-SINV-2026-00002 was deleted from ERPNext)`,
        ['retry', 'resolve'],
      ],
      [
        'document',
        'Sales Invoice',
        alsoShort['invoice_no'],
        alsoShort['uuid'],
        `${STOCK_REASON} (its draft Sales Invoice ACC-SINV-2026-00004 was deleted from ERPNext)`,
        ['retry', 'resolve'],
      ],
    ]);
    // No sale is left parked as a draft: the refused drafts are gone, a copy of each kept in
    // ERPNext's Deleted Documents.
    expect(list(sim, 'Sales Invoice', [['docstatus', '=', 0]], ['name'])).toEqual([]);
    expect(
      list(sim, 'Deleted Document', [['deleted_doctype', '=', 'Sales Invoice']], ['deleted_name'])
        .map((d) => d['deleted_name'])
        .sort(),
    ).toEqual(['ACC-SINV-2026-00002', 'ACC-SINV-2026-00004']);
    expect(String(review.review[0]?.['erpnext_message'])).toMatch(/SKU-0000006/);
    const [shortId, alsoShortId] = review.review.map((i) => String(i['id']));

    // Only a manager decides.
    const cashier = await cli([
      'review',
      'retry',
      shortId!,
      '--data',
      dir,
      '--cashier',
      CASHIER.id,
      '--pin',
      CASHIER.pin,
    ]);
    expect([cashier.code, JSON.parse(cashier.out)]).toEqual([
      1,
      {
        error: {
          kind: 'NotPermitted',
          message: `${CASHIER.id} is not a manager: only a manager may retry or resolve what ERPNext refused`,
          field: 'cashier',
        },
      },
    ]);

    // HQ receives the stock; the manager retries, and the next push sends it.
    const bin = list(
      sim,
      'Bin',
      [
        ['item_code', '=', 'SKU-0000006'],
        ['warehouse', '=', 'Store North - ODR'],
      ],
      ['name'],
    );
    expect(
      sim.call('PUT', `/api/resource/Bin/${String(bin[0]?.['name'])}`, { actual_qty: 100 }).status,
    ).toBe(200);
    const retried = await cliJson([
      'review',
      'retry',
      shortId!,
      '--data',
      dir,
      ...asManager,
      '--note',
      'stock received',
      '--json',
    ]);
    expect(retried).toMatchObject({
      id: shortId,
      action: 'retry',
      uuid: short['uuid'],
      state: 'pending',
    });
    const again = await pushOnce(dir);
    expect(again.code).toBe(0);
    expect(
      (JSON.parse(again.out) as { pushed: { documents: Json[] } }).pushed.documents.map(
        (d) => d['uuid'],
      ),
    ).toEqual([short['uuid']]);
    expect(
      list(sim, 'Sales Invoice', [['outpost_si_uuid', '=', short['uuid']]], ['name', 'docstatus']),
    ).toEqual([{ name: 'ACC-SINV-2026-00005', docstatus: 1 }]);

    // The other was settled by hand at HQ: resolved, journaled, never pushed.
    const noNote = await cli(['review', 'resolve', alsoShortId!, '--data', dir, ...asManager]);
    expect(JSON.parse(noNote.out)).toMatchObject({
      error: { kind: 'InvalidInput', field: 'note' },
    });
    await cliJson([
      'review',
      'resolve',
      alsoShortId!,
      '--data',
      dir,
      ...asManager,
      '--note',
      'posted by hand as ACC-SINV-0099',
      '--json',
    ]);
    const events = query<{ body: string }>(
      dir,
      "SELECT body FROM journal WHERE type = 'event' AND body LIKE '%push_review_%' ORDER BY seq",
    ).map((row) => JSON.parse(row.body) as Json);
    expect(
      events.map((e) => [e['event'], (e['review'] as Json)['uuid'], e['note'], e['manager']]),
    ).toEqual([
      [
        'push_review_retried',
        short['uuid'],
        'stock received',
        { id: MANAGER.id, name: MANAGER.name },
      ],
      [
        'push_review_resolved',
        alsoShort['uuid'],
        'posted by hand as ACC-SINV-0099',
        { id: MANAGER.id, name: MANAGER.name },
      ],
    ]);
    expect(query(dir, 'SELECT id, status, closed_by, note FROM push_review ORDER BY id')).toEqual([
      { id: Number(shortId), status: 'retried', closed_by: MANAGER.id, note: 'stock received' },
      {
        id: Number(alsoShortId),
        status: 'resolved',
        closed_by: MANAGER.id,
        note: 'posted by hand as ACC-SINV-0099',
      },
    ]);
    expect((await cli(['verify', '--data', dir])).code).toBe(0);
    expect((await pushOnce(dir)).code).toBe(0);
    // Never submitted, and no draft of it left in ERPNext.
    expect(
      list(sim, 'Sales Invoice', [['outpost_si_uuid', '=', alsoShort['uuid']]], ['docstatus']),
    ).toEqual([]);
    const status = await cliJson<{ push: Json }>(['status', '--data', dir, '--json']);
    expect(status.push).toMatchObject({ pending: 0, in_review: 0, resolved: 1, conflicts: 0 });
    expect((await cliJson<{ review: Json[] }>(['review', '--data', dir, '--json'])).review).toEqual(
      [],
    );
  }, 120_000);

  it("exits 4 when ERPNext is down, 5 while it fails, 0 once drained; a new customer holds its invoice, which then names ERPNext's customer", async () => {
    const dir = template.copy();
    const customer = (
      await cliJson<{ customer: Json }>([
        'customer',
        'add',
        '--data',
        dir,
        '--json',
        '--name',
        'Zed Quill',
        '--group',
        'Gold',
      ])
    ).customer;
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1', '--customer', 'Zed Quill'));

    // The simulator is stopped: nothing answers.
    const down = await pushOnce(dir);
    expect(down.code).toBe(4);
    expect(JSON.parse(down.out)).toMatchObject({
      online: false,
      left: { pending: 2, customers_pending: 1 },
    });
    expect(down.err).toMatch(/store sells offline/);

    const faults = new Faults();
    const sim = await up(faults);
    pointAt(dir, sim, 'sales_invoice');
    // HQ created a Zed Quill meanwhile (no phone, no e-mail: not the same person to Outpost).
    expect(
      sim.call('POST', '/api/resource/Customer', {
        customer_name: 'Zed Quill',
        customer_type: 'Individual',
        customer_group: 'Individual',
        territory: 'United States',
      }).status,
    ).toBe(200);
    faults.set({ failRate: 1, seed: 3 });
    const failing = await pushOnce(dir);
    expect(failing.code).toBe(5);
    const left = (JSON.parse(failing.out) as { left: Json }).left;
    // The customer failed (503) and stays pending; its invoice waits for it, unsent. The
    // shift's opening needs nothing sent in sales_invoice mode.
    expect(left).toMatchObject({ pending: 1, customers_pending: 1, blocked: 1, retry_error: null });
    expect(query(dir, 'SELECT state, attempts FROM customer_local')).toEqual([
      { state: 'pending', attempts: 1 },
    ]);
    expect(list(sim, 'Sales Invoice', [['outpost_si_uuid', 'is', 'set']])).toEqual([]);

    faults.set({ failRate: 0 });
    const drained = await pushOnce(dir);
    expect(drained.code).toBe(0);
    const out = JSON.parse(drained.out) as { pushed: Json };
    expect(out.pushed).toMatchObject({ customers: 1, customers_matched: 0 });
    const [erpName] = query<{ erpnext_name: string }>(
      dir,
      'SELECT erpnext_name FROM customer_local',
    ).map((c) => c.erpnext_name);
    // ERPNext renamed the second Zed Quill; the invoice carries ERPNext's name.
    expect(erpName).toBe('Zed Quill - 1');
    expect(
      list(
        sim,
        'Sales Invoice',
        [['outpost_si_uuid', '=', sale['uuid']]],
        ['customer', 'docstatus'],
      ),
    ).toEqual([{ customer: 'Zed Quill - 1', docstatus: 1 }]);
    expect(customer['name']).toBe('Zed Quill');
  }, 120_000);

  it('without --once: pushes a sale within the 2 s poll, and exits 0 on a stop signal', async () => {
    const dir = template.copy();
    const sim = await up();
    pointAt(dir, sim, 'sales_invoice');
    const stop = new AbortController();
    let err = '';
    const running = syncLoop(
      dir,
      { pull: false, push: true },
      { stdout: () => {}, stderr: (t) => (err += t) },
      stop.signal,
    );
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
    const there = () =>
      list(sim, 'Sales Invoice', [['outpost_si_uuid', '=', sale['uuid']]], ['docstatus']);
    const deadline = Date.now() + 5_000;
    while (there().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    expect(await running).toBe(0);
    expect(there()).toEqual([{ docstatus: 1 }]);
    expect(err).toMatch(/stopping after the request in flight/);
    expect(query(dir, "SELECT count(*) AS n FROM push_job WHERE state != 'done'")).toEqual([
      { n: 0 },
    ]);
  }, 60_000);
});
