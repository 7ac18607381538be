import { beforeAll, describe, expect, it } from 'vitest';
import {
  asCashier,
  cli,
  cliJson,
  makeTemplate,
  pushDocument,
  query,
  sellArgs,
} from './till-fixture.js';

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

type Json = Record<string, unknown>;

const exchangeArgs = asCashier('exchange');

/** The signed body of the journal record behind an invoice number. */
const bodyOf = (dir: string, invoiceNo: unknown): Json => {
  const row = query<{ body: string }>(
    dir,
    'SELECT body FROM journal WHERE invoice_no = ?',
    invoiceNo,
  )[0];
  return JSON.parse(row?.body ?? 'null') as Json;
};

/** The X report's expected money per mode (float included). */
const expected = async (dir: string): Promise<Record<string, string>> =>
  ((await cliJson<{ x_report: Json }>(['shift', 'x', '--data', dir])).x_report['expected'] ??
    {}) as Record<string, string>;

const due = async (dir: string, ...cart: string[]): Promise<number> =>
  Number((await cliJson(['quote', '--data', dir, ...cart]))['rounded_total']);

const money = (n: number): string => n.toFixed(2);

describe('exchanges', () => {
  it('swaps goods paid by card for dearer ones: the return credits the sale through cash, the customer pays the difference', async () => {
    const dir = template.copy();
    // Worked by hand from the demo seed, Reduced Rate (State 2 %) on both: one milk 4.29, too
    // few for its quantity rule, + 0.0858 -> 0.09 = 4.38; four sourdough 21.96 (two free loaves
    // at 0) + 0.4392 -> 0.44 = 22.40. The customer pays 22.40 - 4.38 = 18.02 more.
    const oldDue = 4.38;
    const newDue = 22.4;
    expect(await due(dir, '--item', 'SKU-0000001:1')).toBe(oldDue);
    expect(await due(dir, '--item', 'SKU-0000002:4')).toBe(newDue);
    const sale = await cliJson(
      sellArgs(dir, '--item', 'SKU-0000001:1', '--pay', `Credit Card:${money(oldDue)}`),
    );
    const drawerBefore = await expected(dir);

    const ex = await cliJson<{
      exchange_id: string;
      return: Json;
      sale: Json;
      credit: string;
      difference: string;
    }>(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000001:1',
        '--item',
        'SKU-0000002:4',
      ),
    );
    expect(ex.credit).toBe('4.38');
    expect(ex.difference).toBe('18.02');
    // Nothing goes back to the card: the whole return is the credit, in cash.
    expect(ex.return['refunds']).toEqual([{ mode: 'Cash', amount: `-${money(oldDue)}` }]);
    expect(ex.return['return_against']).toBe(sale['invoice_no']);
    expect(ex.sale['grand_total']).toBe(money(newDue));
    expect(ex.sale['paid_amount']).toBe(money(newDue));
    expect(ex.sale['seq']).toBeGreaterThan(Number(ex.return['seq']));

    // Both records are signed with the exchange's id; the sale names its return.
    const ret = bodyOf(dir, ex.return['invoice_no']);
    const neu = bodyOf(dir, ex.sale['invoice_no']);
    expect(ret['exchange']).toEqual({ id: ex.exchange_id, credit: money(oldDue) });
    expect(neu['exchange']).toEqual({
      id: ex.exchange_id,
      return_invoice: ex.return['invoice_no'],
    });
    expect(ret['money_per_mode']).toEqual({ Cash: `-${money(oldDue)}` });
    expect(neu['money_per_mode']).toEqual({ Cash: money(newDue) });

    // The drawer takes only the difference; ERPNext gets a return and a sale.
    const drawerAfter = await expected(dir);
    // The opening float 100.00 (the sale went on the card) + 18.02.
    expect(drawerBefore['Cash']).toBe('100.00');
    expect(drawerAfter['Cash']).toBe('118.02');
    expect(drawerAfter['Credit Card']).toBe(drawerBefore['Credit Card']);
    const outbox = query<{ doctype: string }>(
      dir,
      'SELECT doctype FROM outbox WHERE seq >= ? ORDER BY seq',
      ex.return['seq'],
    );
    expect(outbox.map((o) => o.doctype)).toEqual(['POS Invoice', 'POS Invoice']);
    // What ERPNext will get: a return against the receipt, refunded in cash, and a sale paid in
    // cash (the credit and the difference), as its own POS would record an exchange.
    expect(pushDocument(dir, ex.return['uuid'])).toMatchObject({
      is_return: 1,
      return_against: sale['invoice_no'],
      payments: [{ mode_of_payment: 'Cash', amount: -oldDue }],
      outpost_invoice_no: ex.return['invoice_no'],
    });
    expect(pushDocument(dir, ex.sale['uuid'])).toMatchObject({
      is_return: 0,
      customer: sale['customer'],
      payments: [{ mode_of_payment: 'Cash', amount: newDue }],
      outpost_invoice_no: ex.sale['invoice_no'],
    });
    // The new sale's receipt names the return it replaces.
    const receipt = await cli([
      'receipt',
      '--data',
      dir,
      String(ex.sale['invoice_no']),
      '--format',
      'text',
    ]);
    expect(receipt.out).toMatch(
      new RegExp(`Exchange for return\\s+${String(ex.return['invoice_no'])}`),
    );
    expect((await cli(['verify', '--data', dir])).code).toBe(0);
  });

  it('swaps for cheaper goods: what the new goods do not use goes back to the card it came from', async () => {
    const dir = template.copy();
    const oldDue = await due(dir, '--item', 'SKU-0000002:4');
    const newDue = await due(dir, '--item', 'SKU-0000001:1');
    const sale = await cliJson(
      sellArgs(dir, '--item', 'SKU-0000002:4', '--pay', `Credit Card:${money(oldDue)}`),
    );
    // Paying on top is refused: nothing is owed.
    const extra = await cli(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000002:4',
        '--item',
        'SKU-0000001:1',
        '--pay',
        'Cash:5.00',
      ),
    );
    expect(extra.code).not.toBe(0);
    expect(JSON.parse(extra.out)).toMatchObject({ error: { field: 'payments' } });
    const ex = await cliJson<{ return: Json; sale: Json; credit: string; difference: string }>(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000002:4',
        '--item',
        'SKU-0000001:1',
      ),
    );
    expect(ex.credit).toBe(money(newDue));
    expect(ex.difference).toBe(money(newDue - oldDue));
    expect(ex.return['refunds']).toEqual([
      { mode: 'Credit Card', amount: `-${money(oldDue - newDue)}` },
      { mode: 'Cash', amount: `-${money(newDue)}` },
    ]);
    expect(ex.sale['paid_amount']).toBe(money(newDue));
    expect((await cli(['verify', '--data', dir])).code).toBe(0);
  });

  it('writes nothing when either part is refused', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    const count = () => query<{ n: number }>(dir, 'SELECT count(*) AS n FROM journal')[0]?.n ?? 0;
    const before = count();
    // The new goods are refused (unknown item) after the return part was priced.
    const bad = await cli(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000001:1',
        '--item',
        'NO-SUCH-ITEM',
      ),
    );
    expect(bad.code).not.toBe(0);
    expect(JSON.parse(bad.out)).toHaveProperty('error');
    // The sale part is refused after the return part was written: too little paid for the
    // difference. The return must go with it.
    const short = await cli(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000001:1',
        '--item',
        'SKU-0000002:40',
        '--pay',
        'Credit Card:0.01',
      ),
    );
    expect(JSON.parse(short.out)).toMatchObject({ error: { kind: 'PaymentRefused' } });
    // The return part is refused (more than was sold).
    const tooMany = await cli(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000001:3',
        '--item',
        'SKU-0000002',
      ),
    );
    expect(JSON.parse(tooMany.out)).toMatchObject({ error: { kind: 'ReturnRefused' } });
    // A cashier's login record may be journaled; no return, sale, number or outbox row is.
    expect(
      query(dir, "SELECT seq FROM journal WHERE type IN ('sale', 'return') AND seq > ?", before),
    ).toEqual([]);
    expect(query(dir, 'SELECT seq FROM outbox WHERE seq > ?', before)).toEqual([]);
    expect(count()).toBeLessThanOrEqual(before + 1);
    // And the whole of the receipt can still be exchanged.
    const ok = await cliJson<{ return: Json }>(
      exchangeArgs(
        dir,
        '--invoice',
        String(sale['invoice_no']),
        '--return',
        'SKU-0000001:2',
        '--item',
        'SKU-0000002',
      ),
    );
    expect(ok.return['return_against']).toBe(sale['invoice_no']);
  });
});
