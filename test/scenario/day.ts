import { cliJson, MANAGER, asCashier, sellArgs, shiftArgs } from '../pos/till-fixture.js';

/**
 * A store's day sold offline, driven through the in-process CLI as a cashier would: customers
 * created at the till, `count` sales of 1–3 plain stock items (seeded, so a failure replays), a
 * loyalty customer earning and then redeeming points, two returns, an exchange, a void, and the
 * shift closed with a cash count equal to the X report's expectation.
 */

type Json = Record<string, unknown>;

/**
 * Stock items of the demo seed with whole quantities and at least 60 on hand in Store North:
 * 200 sales of 1–3 lines of 1–2 units spread over them never run a Bin short, so any refusal
 * the push meets is a defect, not the scenario.
 */
export const POOL = [
  'SKU-0000019',
  'SKU-0000021',
  'SKU-0000022',
  'SKU-0000023',
  'SKU-0000025',
  'SKU-0000029',
  'SKU-0000030',
  'SKU-0000033',
  'SKU-0000035',
  'SKU-0000037',
  'SKU-0000038',
  'SKU-0000039',
  'SKU-0000040',
  'SKU-0000041',
  'SKU-0000042',
  'SKU-0000044',
  'SKU-0000045',
  'SKU-0000046',
  'SKU-0000047',
  'SKU-0000050',
  'SKU-0000051',
  'SKU-0000052',
  'SKU-0000053',
  'SKU-0000054',
  'SKU-0000057',
  'SKU-0000060',
  'SKU-0000063',
  'SKU-0000064',
  'SKU-0000065',
  'SKU-0000066',
] as const;

/** A member of the seed's loyalty programme. */
export const MEMBER = 'Aisha Jackson';

/** Park–Miller: the same seed sells the same day. */
export function prng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

export interface Day {
  /** Every sale as `outpost sell` printed it (the receipt), in order. */
  readonly sales: Json[];
  readonly returns: Json[];
  readonly exchange: { return: Json; sale: Json };
  readonly voided: Json;
  /** Customers created at the till, as `outpost customer add` printed them. */
  readonly customers: Json[];
  /** Every signed document the push must deliver: sales, returns, the exchange's two halves. */
  readonly documents: Json[];
  /** Units gone from the shelf per item code, net of returns, the exchange and the void. */
  readonly moved: ReadonlyMap<string, number>;
}

/** `outpost customer add` × 3, then the sales, returns, exchange, void and the closing. */
export async function sellDay(
  dir: string,
  o: { count: number; seed: number; pool?: readonly string[]; member?: string },
): Promise<Day> {
  const pool = o.pool ?? POOL;
  const member = o.member ?? MEMBER;
  const rand = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const customers: Json[] = [];
  for (const [name, phone] of [
    ['Offline Olga Petrova', '+1 555 0100 201'],
    ['Offline Omar Haddad', '+1 555 0100 202'],
    ['Offline Ines Duarte', '+1 555 0100 203'],
  ] as const) {
    const out = await cliJson<{ customer: Json }>([
      'customer',
      'add',
      '--data',
      dir,
      '--name',
      name,
      '--phone',
      phone,
      '--json',
    ]);
    customers.push(out.customer);
  }
  const sales: Json[] = [];
  const baskets: Array<Array<[string, number]>> = [];
  let redemptions = 0;
  let balance = 0;
  for (let i = 0; i < o.count; i++) {
    const lines = 1 + Math.floor(rand() * 3);
    const items = new Set<string>();
    while (items.size < lines) items.add(pick(pool));
    const basket = [...items].map((c): [string, number] => [c, 1 + Math.floor(rand() * 2)]);
    baskets.push(basket);
    const args = basket.flatMap(([c, q]) => ['--item', `${c}:${q}`]);
    if (i % 10 === 3) args.push('--customer', member);
    else if (i % 10 === 7) args.push('--customer', String(pick(customers)['name']));
    // Up to three of her visits spend 10 points (10 cents) once her receipts show she has them.
    const redeem = i % 10 === 3 && balance >= 10 && redemptions < 3;
    if (redeem) {
      args.push('--redeem', '10');
      redemptions++;
    }
    const sale = await cliJson(sellArgs(dir, ...args));
    if (i % 10 === 3) balance += Number(sale['loyalty_points_earned']) - (redeem ? 10 : 0);
    sales.push(sale);
  }
  const lineOf = (i: number): string => String(baskets[i]?.[0]?.[0]);
  // The second return takes back part of one of the member's last visits. Not an early one:
  // her redemptions spend her oldest points first, and ERPNext refuses a return against an
  // invoice whose points were since redeemed (SalesInvoice.delete_loyalty_point_entry,
  // erpnext/accounts/doctype/sales_invoice/sales_invoice.py) — that sale would wait in review.
  const returns = [
    await cliJson(
      asCashier('return')(
        dir,
        '--invoice',
        String(sales[1]?.['invoice_no']),
        '--item',
        `${lineOf(1)}:1`,
      ),
    ),
    await cliJson(
      asCashier('return')(
        dir,
        '--invoice',
        String(sales[o.count - 7]?.['invoice_no']),
        '--item',
        `${lineOf(o.count - 7)}:1`,
      ),
    ),
  ];
  const swapped = pick(pool);
  const exchange = await cliJson<{ return: Json; sale: Json }>(
    asCashier('exchange')(
      dir,
      '--invoice',
      String(sales[20]?.['invoice_no']),
      '--return',
      `${lineOf(20)}:1`,
      '--item',
      `${swapped}:1`,
    ),
  );
  const voided = await cliJson(
    asCashier('void')(
      dir,
      '--invoice',
      String(sales[o.count - 1]?.['invoice_no']),
      '--manager',
      MANAGER.id,
      '--manager-pin',
      MANAGER.pin,
      '--reason',
      'rang up the wrong basket',
    ),
  );
  const x = (
    await cliJson<{ x_report: { expected: Record<string, string> } }>(['shift', 'x', '--data', dir])
  ).x_report;
  await cliJson(
    shiftArgs(
      dir,
      'close',
      ...Object.entries(x.expected).flatMap(([m, a]) => ['--count', `${m}:${a}`]),
    ),
  );
  // What left the shelf: every basket, less what came back, the voided sale put back.
  const moved = new Map<string, number>();
  const move = (code: string, qty: number) => moved.set(code, (moved.get(code) ?? 0) + qty);
  baskets.slice(0, -1).forEach((b) => b.forEach(([c, q]) => move(c, q)));
  move(lineOf(1), -1);
  move(lineOf(o.count - 7), -1);
  move(lineOf(20), -1);
  move(swapped, 1);
  return {
    moved,
    sales,
    returns,
    exchange,
    voided,
    customers,
    documents: [...sales, ...returns, exchange.return, exchange.sale],
  };
}
