import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { receiptCode } from '../../src/journal/index.js';
import { getDoc, list, pointAt, pushSuite, registerTillKey } from '../sync/push-fixture.js';
import { serve, written } from '../server/node-fixture.js';
import {
  CASHIER,
  MANAGER,
  asCashier,
  cli,
  cliJson,
  query,
  sellArgs,
  shiftArgs,
} from '../pos/till-fixture.js';

type Json = Record<string, unknown>;

const suite = pushSuite();
const envelope = (out: string): Json => (JSON.parse(out) as { error: Json }).error;

/**
 * Another store on the same ERPNext: its own store id, and its till a terminal of its own name
 * (ERPNext tells terminals apart by name: a chain names each once).
 */
async function otherStore(dir: string): Promise<void> {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
  writeFileSync(file, JSON.stringify({ ...config, store: 'SOUTH' }));
  const { code } = (
    await cliJson<{ pairing: { code: string } }>(['terminal', 'pair', '--data', dir])
  ).pairing;
  await cliJson(
    ['terminal', 'approve', code, '--data', dir, '--cashier', MANAGER.id].concat([
      '--pin',
      MANAGER.pin,
      '--terminal',
      'S1',
    ]),
  );
}

const returnArgs = (dir: string, receipt: string, ...items: string[]) => [
  'return',
  '--data',
  dir,
  '--cashier',
  CASHIER.id,
  '--pin',
  CASHIER.pin,
  '--terminal',
  'S1',
  '--invoice',
  receipt,
  ...items.flatMap((i) => ['--item', i]),
];

/** Closes `terminal`'s shift counting what its X report expects. */
async function closeShift(dir: string, terminal: string): Promise<void> {
  const x = (
    await cliJson<{ x_report: { expected: Record<string, string> } }>([
      'shift',
      'x',
      '--data',
      dir,
      '--terminal',
      terminal,
    ])
  ).x_report;
  // A shift of refunds only opened without a float expects less than nothing: none counted.
  const counts = Object.entries(x.expected).flatMap(([m, a]) => [
    '--count',
    `${m}:${a.startsWith('-') ? '0' : a}`,
  ]);
  await cliJson(shiftArgs(dir, 'close', '--terminal', terminal, ...counts));
}

const DOCTYPE = { pos_invoice: 'POS Invoice', sales_invoice: 'Sales Invoice' } as const;
const LINK = { pos_invoice: 'pos_invoice_item', sales_invoice: 'sales_invoice_item' } as const;

describe.each(['pos_invoice', 'sales_invoice'] as const)(
  "a return against another store's receipt (%s)",
  (mode: PostingMode) => {
    it("is checked against ERPNext, priced at the original's rates, pushed with return_against; refused offline", async () => {
      const sim = await suite.open();
      const north = suite.copy();
      const south = suite.copy();
      await otherStore(south);
      pointAt(north, sim, mode);
      pointAt(south, sim, mode);
      const doctype = DOCTYPE[mode];

      // North sells one of A and two of B; South sells one of A (its own receipt, for the
      // price a return of one A refunds: the same rate and tax).
      const sale = await cliJson(
        sellArgs(north, '--item', 'SKU-0000001:1', '--item', 'SKU-0000003:2'),
      );
      const one = await cliJson(sellArgs(north, '--item', 'SKU-0000003:1'));
      const pushed = await cli(['sync', '--data', north, '--push', '--once', '--json']);
      expect(pushed.code, pushed.out + pushed.err).toBe(0);
      const [original] = list(
        sim,
        doctype,
        [
          [
            mode === 'pos_invoice' ? 'outpost_receipt_no' : 'outpost_si_receipt_no',
            '=',
            sale['invoice_no'],
          ],
        ],
        ['name'],
      );
      const name = String(original?.['name']);
      const rows = (getDoc(sim, doctype, name)['items'] as Json[]).map((r) => String(r['name']));

      // South takes back one B: refunded what North's one-B sale cost, to the original mode.
      const back = await cliJson(returnArgs(south, String(sale['invoice_no']), 'SKU-0000003:1'));
      expect(back).toMatchObject({
        kind: 'return',
        invoice_no: 'SOUTH-S1-2026-000001',
        return_against: name,
        grand_total: `-${String(one['grand_total'])}`,
        refunds: [{ mode: 'Cash', amount: `-${String(one['grand_total'])}` }],
        original: {
          doctype,
          name,
          receipt_no: sale['invoice_no'],
          signature: 'key_unknown',
          consolidated_invoice: null,
        },
      });
      // More than is left is refused before anything is written.
      const before = query<{ n: number }>(south, 'SELECT count(*) AS n FROM journal')[0]?.n;
      const over = await cli(returnArgs(south, String(sale['invoice_no']), 'SKU-0000003:2'));
      expect(envelope(over.out), over.out).toEqual({
        kind: 'ReturnRefused',
        field: 'items[1]',
        message: 'items[1]: only 1 more of SKU-0000003 can be returned',
      });
      expect(query<{ n: number }>(south, 'SELECT count(*) AS n FROM journal')[0]?.n).toBe(before);

      // The push: a return of the original's doctype, against its name and row.
      const sent = await cli(['sync', '--data', south, '--push', '--once', '--json']);
      expect(sent.code, sent.out + sent.err).toBe(0);
      const uuidField = mode === 'pos_invoice' ? 'outpost_uuid' : 'outpost_si_uuid';
      const [ret] = list(sim, doctype, [[uuidField, '=', back['uuid']]], ['name']);
      const doc = getDoc(sim, doctype, String(ret?.['name']));
      expect(doc).toMatchObject({ is_return: 1, docstatus: 1, return_against: name });
      expect(
        (doc['items'] as Json[]).map((r) => [r['item_code'], r['qty'], r[LINK[mode]]]),
      ).toEqual([['SKU-0000003', -1, rows[1]]]);

      // ERPNext's submitted return is counted once (not again with South's own record); with
      // North's key registered the original's signature is verified.
      await registerTillKey(sim, north);
      const over2 = await cli(returnArgs(south, String(sale['invoice_no']), 'SKU-0000003:2'));
      expect(envelope(over2.out)['message']).toBe(
        'items[1]: only 1 more of SKU-0000003 can be returned',
      );
      const rest = await cliJson(returnArgs(south, String(sale['invoice_no'])));
      expect(rest).toMatchObject({
        invoice_no: 'SOUTH-S1-2026-000002',
        original: { signature: 'verified', signature_note: null },
      });
      const sent2 = await cli(['sync', '--data', south, '--push', '--once', '--json']);
      expect(sent2.code, sent2.out + sent2.err).toBe(0);
      const returns = list(sim, doctype, [['return_against', '=', name]], ['name', 'docstatus']);
      expect(returns.map((r) => r['docstatus'])).toEqual([1, 1]);

      if (mode === 'pos_invoice') {
        // South's closing merges its returns only once North's sale is consolidated: it waits.
        await closeShift(south, 'S1');
        const waiting = await cli(['sync', '--data', south, '--push', '--once', '--json']);
        const report = JSON.parse(waiting.out) as { left: { blocked: number } };
        expect(report.left.blocked, waiting.out).toBe(1);
        expect(list(sim, 'POS Closing Entry', [], ['name'])).toEqual([]);
        await closeShift(north, 'T1');
        const northClosed = await cli(['sync', '--data', north, '--push', '--once', '--json']);
        expect(northClosed.code, northClosed.out + northClosed.err).toBe(0);
        expect(getDoc(sim, doctype, name)['status']).toBe('Consolidated');
        const southClosed = await cli(['sync', '--data', south, '--push', '--once', '--json']);
        expect(southClosed.code, southClosed.out + southClosed.err).toBe(0);
        const mine = list(sim, 'POS Invoice', [['return_against', '=', name]], ['status']);
        expect(mine.map((r) => r['status'])).toEqual(['Consolidated', 'Consolidated']);
      }

      // Offline: the other store's sale cannot be checked.
      await sim.close();
      const offline = await cli(returnArgs(south, String(one['invoice_no'])));
      expect(envelope(offline.out)).toMatchObject({ kind: 'ReturnRefused', field: 'invoice' });
      expect(String(envelope(offline.out)['message'])).toMatch(
        new RegExp(
          `^invoice: ${String(one['invoice_no'])} is not a sale of this store, and ERPNext does not answer`,
        ),
      );
    }, 180_000);
  },
);

describe("a return against another store's receipt over the store node's API", () => {
  it('POST /api/returns at a paired terminal of another store: 201 against ERPNext; over-return 422; nothing written', async () => {
    const sim = await suite.open();
    const north = suite.copy();
    const south = suite.copy();
    pointAt(north, sim, 'sales_invoice');
    pointAt(south, sim, 'sales_invoice');
    const file = join(south, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
    writeFileSync(file, JSON.stringify({ ...config, store: 'SOUTH' }));
    const sale = await cliJson(sellArgs(north, '--item', 'SKU-0000003:2'));
    const pushed = await cli(['sync', '--data', north, '--push', '--once', '--json']);
    expect(pushed.code, pushed.out + pushed.err).toBe(0);
    const [original] = list(
      sim,
      'Sales Invoice',
      [['outpost_si_receipt_no', '=', sale['invoice_no']]],
      ['name'],
    );

    const s = await serve(south);
    try {
      const { token, terminal } = await s.pairDevice('S1');
      expect(terminal).toBe('S1');
      const session = await s.login(CASHIER.id, CASHIER.pin, token);
      const body = {
        return_against: sale['invoice_no'],
        items: [{ item_code: 'SKU-0000003', qty: '1' }],
      };
      const ret = await s.api('POST', '/api/returns', { session, device: token, body });
      const answer = (await ret.json()) as Json;
      expect(ret.status, JSON.stringify(answer)).toBe(201);
      expect(answer).toMatchObject({
        kind: 'return',
        invoice_no: 'SOUTH-S1-2026-000001',
        return_against: original?.['name'],
        original: { doctype: 'Sales Invoice', receipt_no: sale['invoice_no'] },
      });
      const rows = written(south);
      const over = await s.api('POST', '/api/returns', {
        session,
        device: token,
        body: { ...body, items: [{ item_code: 'SKU-0000003', qty: '2' }] },
      });
      expect(over.status).toBe(422);
      expect(await over.json()).toEqual({
        error: {
          kind: 'ReturnRefused',
          field: 'items[1]',
          message: 'items[1]: only 1 more of SKU-0000003 can be returned',
        },
      });
      expect(written(south)).toEqual(rows);
    } finally {
      await s.close();
    }
  }, 120_000);

  it("POST /api/exchanges and a return by check code against another store's receipt: the return against ERPNext's original, the new sale to its customer, both pushed; the CLI does the same; offline refused", async () => {
    const sim = await suite.open();
    const north = suite.copy();
    const south = suite.copy();
    pointAt(north, sim, 'sales_invoice');
    pointAt(south, sim, 'sales_invoice');
    await otherStore(south);
    // North's receipt (three of B), and what one A and one B cost (the same catalog at South).
    const sale = await cliJson(sellArgs(north, '--item', 'SKU-0000003:3'));
    const oneA = await cliJson(sellArgs(north, '--item', 'SKU-0000001:1'));
    const oneB = await cliJson(sellArgs(north, '--item', 'SKU-0000003:1'));
    const pushed = await cli(['sync', '--data', north, '--push', '--once', '--json']);
    expect(pushed.code, pushed.out + pushed.err).toBe(0);
    const [original] = list(
      sim,
      'Sales Invoice',
      [['outpost_si_receipt_no', '=', sale['invoice_no']]],
      ['name', 'customer'],
    );
    const name = String(original?.['name']);
    const cents = (v: unknown) => Math.round(Number(v) * 100);
    const money = (c: number) => (c / 100).toFixed(2);
    const [a, b] = [cents(oneA['grand_total']), cents(oneB['grand_total'])];
    // South's own T1 makes the same three sales: its chain then holds the same places
    // (T1/seq) as North's receipts, with other hashes.
    for (const items of [['SKU-0000003:3'], ['SKU-0000001:1'], ['SKU-0000003:1']]) {
      await cliJson(sellArgs(south, '--terminal', 'T1', ...items.flatMap((i) => ['--item', i])));
    }
    const placeOf = (dir: string, invoiceNo: unknown) =>
      query<{ terminal: string; chain_seq: number; hash: string }>(
        dir,
        `SELECT terminal, chain_seq, hash FROM journal WHERE invoice_no = '${String(invoiceNo)}'`,
      )[0];
    const northB = placeOf(north, oneB['invoice_no']);
    const southSame = query<{ hash: string }>(
      south,
      `SELECT hash FROM journal WHERE terminal = 'T1' AND chain_seq = ${northB?.chain_seq ?? 0}`,
    )[0];
    expect(southSame?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(southSame?.hash).not.toBe(northB?.hash);
    const northBCode = receiptCode('T1', northB?.chain_seq ?? 0, northB?.hash ?? '').payload;
    const [originalB] = list(
      sim,
      'Sales Invoice',
      [['outpost_si_receipt_no', '=', oneB['invoice_no']]],
      ['name'],
    );

    const s = await serve(south);
    try {
      const { token } = await s.pairDevice('S2');
      const session = await s.login(CASHIER.id, CASHIER.pin, token);
      const body = {
        return_against: sale['invoice_no'],
        return_items: [{ item_code: 'SKU-0000003', qty: '1' }],
        items: [{ item_code: 'SKU-0000001', qty: '1' }],
      };
      const r = await s.api('POST', '/api/exchanges', { session, device: token, body });
      const ex = (await r.json()) as Json;
      expect(r.status, JSON.stringify(ex)).toBe(201);
      expect(ex).toMatchObject({
        return: {
          kind: 'return',
          invoice_no: 'SOUTH-S2-2026-000001',
          return_against: name,
          grand_total: `-${money(b)}`,
          original: { doctype: 'Sales Invoice', name, receipt_no: sale['invoice_no'] },
        },
        sale: { invoice_no: 'SOUTH-S2-2026-000002', grand_total: money(a) },
        credit: money(Math.min(a, b)),
        difference: money(a - b),
      });
      const ret = ex['return'] as Json;
      const neu = ex['sale'] as Json;

      // North's one-B receipt by its QR's check code: South's T1/seq is another sale, so
      // ERPNext is asked, and the hash pushed with North's invoice picks it.
      const byCode = await s.api('POST', '/api/returns', {
        session,
        device: token,
        body: { return_against: northBCode },
      });
      const back = (await byCode.json()) as Json;
      expect(byCode.status, JSON.stringify(back)).toBe(201);
      expect(back).toMatchObject({
        return_against: originalB?.['name'],
        grand_total: `-${money(b)}`,
        original: { receipt_no: oneB['invoice_no'] },
      });
      // A made-up code (one character off) names nothing, here or in ERPNext.
      const wrong = northBCode.slice(0, -1) + (northBCode.endsWith('0') ? '1' : '0');
      const none = await s.api('POST', '/api/returns', {
        session,
        device: token,
        body: { return_against: wrong },
      });
      expect(none.status).toBe(404);
      expect(((await none.json()) as { error: Json }).error['message']).toMatch(
        /^invoice: the check code T1\/\d+\/\w+ does not match this store's record T1\/\d+; ERPNext holds no Sales Invoice of terminal T1, seq \d+ whose record hash gives \w+$/,
      );

      // The CLI's exchange at S1 asks ERPNext the same way: another B for a B.
      const cliEx = await cliJson(
        asCashier('exchange')(
          south,
          '--terminal',
          'S1',
          '--invoice',
          String(sale['invoice_no']),
          '--return',
          'SKU-0000003:1',
          '--item',
          'SKU-0000003:1',
        ),
      );
      expect(cliEx).toMatchObject({
        return: { return_against: name, grand_total: `-${money(b)}` },
        credit: money(b),
        difference: '0.00',
      });
      // Three came, two went back: only one more can.
      const over = await s.api('POST', '/api/exchanges', {
        session,
        device: token,
        body: { ...body, return_items: [{ item_code: 'SKU-0000003', qty: '2' }] },
      });
      expect(over.status).toBe(422);
      expect(((await over.json()) as { error: Json }).error).toMatchObject({
        kind: 'ReturnRefused',
        message: 'items[1]: only 1 more of SKU-0000003 can be returned',
      });

      // Pushed: a return against North's invoice and its row, and a new invoice to its customer.
      const sent = await cli(['sync', '--data', south, '--push', '--once', '--json']);
      expect(sent.code, sent.out + sent.err).toBe(0);
      const [retDoc] = list(
        sim,
        'Sales Invoice',
        [['outpost_si_uuid', '=', ret['uuid']]],
        ['name'],
      );
      expect(getDoc(sim, 'Sales Invoice', String(retDoc?.['name']))).toMatchObject({
        is_return: 1,
        docstatus: 1,
        return_against: name,
        grand_total: -b / 100,
      });
      const [newDoc] = list(
        sim,
        'Sales Invoice',
        [['outpost_si_uuid', '=', neu['uuid']]],
        ['name'],
      );
      expect(getDoc(sim, 'Sales Invoice', String(newDoc?.['name']))).toMatchObject({
        is_return: 0,
        docstatus: 1,
        customer: original?.['customer'],
        grand_total: a / 100,
      });
    } finally {
      await s.close();
    }
    // ERPNext gone: another store's receipt cannot be checked, nothing written.
    await sim.close();
    const before = query<{ n: number }>(south, 'SELECT count(*) AS n FROM journal')[0]?.n;
    const offline = await cli(
      asCashier('exchange')(
        south,
        '--terminal',
        'S1',
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000003:1',
        '--item',
        'SKU-0000001:1',
      ),
    );
    expect(envelope(offline.out)).toMatchObject({ kind: 'ReturnRefused', field: 'invoice' });
    expect(query<{ n: number }>(south, 'SELECT count(*) AS n FROM journal')[0]?.n).toBe(before);
  }, 180_000);
});
