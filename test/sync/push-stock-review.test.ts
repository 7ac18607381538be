import { describe, expect, it } from 'vitest';
import { cli, cliJson, MANAGER, query, sellArgs } from '../pos/till-fixture.js';
import { list, pointAt, pushSuite } from './push-fixture.js';

/**
 * Issue 11: "A stock-shortage rejection lands in the review queue while later sales keep
 * flowing", in pos_invoice mode (push-cli.test.ts has it for sales_invoice). ERPNext checks a
 * POS Invoice's stock when it is submitted (POSInvoice.validate_stock_availablility,
 * erpnext/accounts/doctype/pos_invoice/pos_invoice.py; the draft saves, the profile does not
 * validate stock on save): the sale goes to review with ERPNext's words, the sales after it
 * are submitted; the refused draft is deleted (no sale parked as a draft), and once HQ has
 * the stock a manager's retry inserts and submits it, once.
 */

type Json = Record<string, unknown>;

const suite = pushSuite();
const pushOnce = (dir: string) => cli(['sync', '--data', dir, '--push', '--once', '--json']);
const STOCK_REASON =
  'ERPNext does not hold enough stock of an item of this sale: receive or transfer the stock in ERPNext, then retry';
const uuidsOf = (docs: Json[]) => docs.map((d) => d['uuid']);
/** The refused sale's draft: the second of the batch of three drafts. */
const DRAFT = 'ACC-PSINV-2026-00002';

describe('a stock shortage in pos_invoice mode', () => {
  it('goes to review with ERPNext message while later sales are submitted; its draft is deleted; a retry submits it once', async () => {
    const dir = suite.copy();
    const first = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:1'));
    // ERPNext's Bin holds 40 of SKU-0000006 in Store North: the till sells 45 offline.
    const short = await cliJson(sellArgs(dir, '--item', 'SKU-0000006:45'));
    const later = await cliJson(sellArgs(dir, '--item', 'SKU-0000003:2'));
    const opening = query<{ uuid: string }>(
      dir,
      "SELECT uuid FROM outbox WHERE doctype = 'POS Opening Entry'",
    );
    const sim = await suite.open();
    pointAt(dir, sim, 'pos_invoice');

    const r = await pushOnce(dir);
    // What waits in review needs a person: not a reason to fail the run.
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as {
      pushed: { documents: Json[]; to_review: Json[] };
      left: Json;
    };
    expect(uuidsOf(out.pushed.documents)).toEqual([opening[0]?.uuid, first['uuid'], later['uuid']]);
    const shortSeq = query<{ seq: number }>(
      dir,
      'SELECT seq FROM outbox WHERE uuid = ?',
      short['uuid'],
    )[0]?.seq;
    expect(out.pushed.to_review).toEqual([
      { seq: shortSeq, uuid: short['uuid'], reason: STOCK_REASON },
    ]);
    expect([out.left['pending'], out.left['in_review'], out.left['retry_at']]).toEqual([
      0,
      1,
      null,
    ]);
    const invoices = () =>
      list(sim, 'POS Invoice', [['outpost_uuid', 'is', 'set']], ['outpost_uuid', 'docstatus'])
        .map((d) => [d['outpost_uuid'], d['docstatus']])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const sorted = (rows: unknown[][]) =>
      rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    // The others are submitted; the refused sale's draft is deleted (ERPNext keeps a copy).
    expect(invoices()).toEqual(
      sorted([
        [first['uuid'], 1],
        [later['uuid'], 1],
      ]),
    );
    expect(
      list(sim, 'Deleted Document', [['deleted_doctype', '=', 'POS Invoice']], ['deleted_name']),
    ).toEqual([{ deleted_name: DRAFT }]);

    const review = await cliJson<{ review: Json[] }>(['review', '--data', dir, '--json']);
    expect(
      review.review.map((i) => [
        i['kind'],
        i['doctype'],
        i['invoice_no'],
        i['uuid'],
        i['erpnext_message'],
        i['exc_type'],
        i['http_status'],
        i['reason'],
        i['actions'],
      ]),
    ).toEqual([
      [
        'document',
        'POS Invoice',
        short['invoice_no'],
        short['uuid'],
        'Row #1: Stock quantity not enough for Item Code: SKU-0000006 under warehouse Store North - ODR. Available quantity 40.0.',
        'ValidationError',
        417,
        `${STOCK_REASON} (its draft POS Invoice ${DRAFT} was deleted from ERPNext)`,
        ['retry', 'resolve'],
      ],
    ]);

    // HQ receives the stock; the manager retries; the next push inserts it again and submits it.
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
    await cliJson([
      'review',
      'retry',
      String(review.review[0]?.['id']),
      '--data',
      dir,
      '--cashier',
      MANAGER.id,
      '--pin',
      MANAGER.pin,
      '--note',
      'stock received',
      '--json',
    ]);
    const again = await pushOnce(dir);
    expect(again.code, again.err).toBe(0);
    expect(
      uuidsOf((JSON.parse(again.out) as { pushed: { documents: Json[] } }).pushed.documents),
    ).toEqual([short['uuid']]);
    expect(invoices()).toEqual(
      sorted([
        [first['uuid'], 1],
        [short['uuid'], 1],
        [later['uuid'], 1],
      ]),
    );
    expect((await cliJson<{ review: Json[] }>(['review', '--data', dir, '--json'])).review).toEqual(
      [],
    );
  }, 120_000);
});
