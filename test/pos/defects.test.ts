/**
 * Defects found by trying the till as a hostile but realistic user (issue 10), each through the
 * `outpost` command as a cashier would meet it. Each case failed before its fix.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ean13CheckDigit } from '../../src/core/index.js';
import { MANAGER, asCashier, cli, cliJson, makeTemplate, query, sellArgs } from './till-fixture.js';

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

interface Refusal {
  readonly kind: string;
  readonly message: string;
  readonly field?: string;
}

/** Runs a command that must be refused; returns its error envelope. */
async function refusal(args: readonly string[]): Promise<Refusal> {
  const r = await cli(args);
  expect(r.code, r.out + r.err).not.toBe(0);
  return (JSON.parse(r.out) as { error: Refusal }).error;
}

/** What a refused sale must leave untouched. */
const footprint = (dir: string) =>
  query(
    dir,
    `SELECT (SELECT count(*) FROM journal) AS journal, (SELECT count(*) FROM outbox) AS outbox,
       (SELECT count(*) FROM stock_pending) AS stock, (SELECT count(*) FROM loyalty_pending) AS points`,
  )[0];

describe('1. quantities and amounts within ERPNext decimal(21,9) columns', () => {
  it('refuses a quantity of 21 digits, naming the line, and sells nothing', async () => {
    const dir = template.copy();
    const before = footprint(dir);
    const e = await refusal(sellArgs(dir, '--item', 'SKU-0000001:999999999999999999999'));
    expect(e).toEqual({
      kind: 'InvalidInput',
      message:
        'items[1].qty: 999999999999999999999 is too large (ERPNext keeps at most 12 digits before the point)',
      field: 'items[1].qty',
    });
    expect(footprint(dir)).toEqual(before);
  });

  it('refuses a quantity that fits but whose amount does not (qty × rate ≥ 10^12)', async () => {
    const dir = template.copy();
    const e = await refusal(sellArgs(dir, '--item', 'SKU-0000001:999999999999'));
    expect(e.kind).toBe('InvalidInput');
    expect(e.field).toBe('items[1].amount');
    expect(e.message).toBe(
      'items[1].amount: 3859999999996.14 is too large (ERPNext keeps at most 12 digits before the point)',
    );
  });

  it('refuses a price override of 13 digits', async () => {
    const dir = template.copy();
    const e = await refusal(
      sellArgs(
        dir,
        '--item',
        'SKU-0000001',
        '--rate',
        'SKU-0000001:1000000000000',
        '--manager',
        MANAGER.id,
        '--manager-pin',
        MANAGER.pin,
      ),
    );
    expect(e).toEqual({
      kind: 'InvalidInput',
      message:
        'items[1].rate: 1000000000000 is too large (ERPNext keeps at most 12 digits before the point)',
      field: 'items[1].rate',
    });
  });
  it('refuses a return without receipt whose amount does not fit', async () => {
    const dir = template.copy();
    const before = footprint(dir);
    const e = await refusal(
      asCashier('return')(
        dir,
        '--no-receipt',
        '--item',
        'SKU-0000001:999999999999',
        '--manager',
        MANAGER.id,
        '--manager-pin',
        MANAGER.pin,
      ),
    );
    expect(e).toEqual({
      kind: 'InvalidInput',
      message:
        'items[1].amount: -4289999999995.71 is too large (ERPNext keeps at most 12 digits before the point)',
      field: 'items[1].amount',
    });
    expect(footprint(dir)).toEqual(before);
  });
});

describe('2. a weighed-item label with weight 0', () => {
  it('is refused (the label carries 0 kg), not sold as 1 kg', async () => {
    const dir = template.copy();
    const before = footprint(dir);
    const e = await refusal(sellArgs(dir, '--barcode', '2100001000004'));
    expect(e).toEqual({
      kind: 'InvalidInput',
      message: 'barcode[1].qty: the label 2100001000004 carries a weight of 0',
      field: 'barcode[1].qty',
    });
    expect(footprint(dir)).toEqual(before);
  });

  it('control: the same item weighed (1.234 kg) sells that weight', async () => {
    const dir = template.copy();
    const label = `210000101234${ean13CheckDigit('210000101234')}`;
    const sale = await cliJson<{ invoice_no: string }>(sellArgs(dir, '--barcode', label));
    const body = query<{ body: string }>(
      dir,
      'SELECT body FROM journal WHERE invoice_no = ?',
      sale.invoice_no,
    )[0]!.body;
    const items = (JSON.parse(body) as { invoice: { items: { qty: number }[] } }).invoice.items;
    expect(items.map((i) => i.qty)).toEqual([1.234]);
  });
});

describe('3. a payment with more decimals than the currency', () => {
  it.each(['4.375', '4.384'])('Cash:%s is refused naming the payment', async (amount) => {
    const dir = template.copy();
    const before = footprint(dir);
    const e = await refusal(sellArgs(dir, '--item', 'SKU-0000001', '--pay', `Cash:${amount}`));
    expect(e).toEqual({
      kind: 'InvalidInput',
      message: `payments[1].amount: ${amount} has more than 2 decimals (the currency's precision)`,
      field: 'payments[1].amount',
    });
    expect(footprint(dir)).toEqual(before);
  });

  it('control: Cash:4.38 pays the 4.38 due', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001', '--pay', 'Cash:4.38'));
    expect(sale).toMatchObject({
      rounded_total: '4.38',
      paid_amount: '4.38',
      change_amount: '0.00',
    });
  });
});

describe('4. redeeming points for a customer in no loyalty program', () => {
  it('is refused as ERPNext refuses it, and nothing is booked', async () => {
    const dir = template.copy();
    const before = footprint(dir);
    const e = await refusal(sellArgs(dir, '--item', 'SKU-0000001', '--redeem', '5'));
    expect(e).toEqual({
      kind: 'InvoiceRefused',
      message: "redeem: Customer isn't enrolled in any Loyalty Program (Walk-in Customer)",
      field: 'redeem',
    });
    expect(footprint(dir)).toEqual(before);
  });
});

describe('5. a price override for an item not in the cart', () => {
  it('is refused naming the item', async () => {
    const dir = template.copy();
    const before = footprint(dir);
    const e = await refusal(sellArgs(dir, '--item', 'SKU-0000001', '--rate', 'SKU-0000002:0.10'));
    expect(e).toEqual({
      kind: 'InvalidInput',
      message: '--rate: SKU-0000002 is not an item of this cart',
      field: '--rate',
    });
    expect(footprint(dir)).toEqual(before);
  });
});

describe('8. a print that fails does not count as issued', () => {
  const receiptArgs = asCashier('receipt');
  const copies = (dir: string, invoiceNo: string) =>
    query<{ copy: number }>(
      dir,
      "SELECT json_extract(body, '$.copy') AS copy FROM journal WHERE type = 'reprint' AND json_extract(body, '$.invoice_no') = ? ORDER BY seq",
      invoiceNo,
    ).map((r) => r.copy);

  it.each([
    [
      'a network printer that refuses the connection',
      ['--format', 'escpos', '--out', 'tcp://127.0.0.1:9'],
    ],
    ['an unwritable path', ['--format', 'text', '--out', '/nonexistent-outpost-dir/receipt.txt']],
  ])('%s: the next print is the original', async (_, how) => {
    const dir = template.copy();
    const sale = await cliJson<{ invoice_no: string }>(sellArgs(dir, '--item', 'SKU-0000001'));
    const failed = await cli(receiptArgs(dir, sale.invoice_no, ...how)).catch((e: unknown) => e);
    expect(failed).not.toMatchObject({ code: 0 });
    const out = join(mkdtempSync(join(tmpdir(), 'outpost-receipt-')), 'r.txt');
    const printed = await cli(receiptArgs(dir, sale.invoice_no, '--format', 'text', '--out', out));
    expect(printed.code, printed.out + printed.err).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(sale.invoice_no);
    expect(text).not.toContain('COPY');
    // Both issues journaled (the failed one cancelled by a print_failed event), both copy 0.
    expect(copies(dir, sale.invoice_no)).toEqual([0, 0]);
    const failures = query<{ reason: string; copy: number }>(
      dir,
      "SELECT json_extract(body, '$.reason') AS reason, json_extract(body, '$.copy') AS copy FROM journal WHERE type = 'event' AND json_extract(body, '$.event') = 'print_failed'",
    );
    expect(failures.map((f) => f.copy)).toEqual([0]);
    // The next print is a copy: COPY 1.
    const again = await cli(
      receiptArgs(
        dir,
        sale.invoice_no,
        '--format',
        'text',
        '--manager',
        'maya',
        '--manager-pin',
        '9876',
      ),
    );
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('COPY 1');
  });
});
