import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ean13CheckDigit } from '../../src/core/index.js';
import {
  hashCode,
  importPublicKey,
  verifyExport,
  verifyExportFile,
  verifySignature,
} from '../../src/journal/index.js';
import { decodeEscPos } from '../receipt/escpos-decoder.js';
import {
  CASHIER,
  MANAGER,
  asCashier,
  cli,
  cliJson,
  makeTemplate,
  pushDocument,
  query,
  sellArgs,
  shiftArgs,
} from './till-fixture.js';

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

type Json = Record<string, unknown>;

/** `outpost return` as the fixture's cashier. */
const returnArgs = asCashier('return');

const cashierAddArgs = (dir: string, ...rest: string[]): string[] => [
  'cashier',
  'add',
  '--data',
  dir,
  ...rest,
];

const scalar = (dir: string, sql: string, ...args: unknown[]): unknown => {
  const row = query(dir, sql, ...args)[0];
  return row ? Object.values(row)[0] : undefined;
};

/** Moves the last contact with ERPNext `hours` into the past (as if the link went down then). */
function lastContact(dir: string, hours: number): void {
  const db = new Database(join(dir, 'store.db'));
  try {
    db.prepare('UPDATE sync_state SET last_ok_at = ?').run(
      new Date(Date.now() - hours * 3_600_000).toISOString(),
    );
  } finally {
    db.close();
  }
}

/** The counts a refused command must leave untouched. */
const footprint = (dir: string) => ({
  journal: scalar(dir, 'SELECT count(*) FROM journal WHERE type IN (?, ?)', 'sale', 'return'),
  outbox: scalar(dir, 'SELECT count(*) FROM outbox'),
  series: scalar(dir, 'SELECT coalesce(sum(last_no), 0) FROM invoice_series'),
  stock: scalar(dir, 'SELECT count(*) FROM stock_pending'),
});

const weighed = (plu: string, grams: number): string => {
  const body = `21${plu}${String(grams).padStart(5, '0')}`;
  return `${body}${ean13CheckDigit(body)}`;
};

describe('a sale offline: receipt = quote for the same cart and snapshot', () => {
  it('sells with the simulator stopped; the receipt and the journal carry the quoted totals', async () => {
    const dir = template.copy();
    lastContact(dir, 2); // ERPNext unreachable for two hours: the till is offline
    const cart = [
      '--item',
      'SKU-0000001:2',
      '--barcode',
      weighed('00001', 1234), // bananas, 1.234 kg, two competing price rules
      '--item',
      'SKU-0000002:3', // sourdough: buy 2 get 1 free
      '--customer',
      'Aisha Jackson',
    ];
    const quoted = await cliJson(['quote', '--data', dir, ...cart]);
    const sale = await cliJson(sellArgs(dir, ...cart));
    expect(sale['offline']).toBe(true);
    expect(sale['snapshot_version']).toBe(quoted['snapshot_version']);
    expect(sale['grand_total']).toBe(Number(quoted['grand_total']).toFixed(2));
    expect(sale['rounded_total']).toBe(Number(quoted['rounded_total']).toFixed(2));
    expect(sale['paid_amount']).toBe(sale['rounded_total']);
    expect(sale['change_amount']).toBe('0.00');

    // The journal's invoice is the quote, field for field (payments aside: the quote has none).
    const body = JSON.parse(
      scalar(dir, 'SELECT body FROM journal WHERE invoice_no = ?', sale['invoice_no']) as string,
    ) as { invoice: Json; snapshot_version: number; cashier: Json };
    // Payments exist only on the sale (the quote shows none); the rest must be identical.
    const SALE_ONLY = new Set([
      'payments',
      'paid_amount',
      'change_amount',
      'docstatus',
      'base_paid_amount',
      'base_change_amount',
      'snapshot_version',
      'posting_time',
    ]);
    const strip = (inv: Json) =>
      Object.fromEntries(Object.entries(inv).filter(([k]) => !SALE_ONLY.has(k)));
    expect(strip(body.invoice)).toEqual(strip(quoted));
    expect(body.snapshot_version).toBe(quoted['snapshot_version']);
    expect(body.cashier).toEqual({ id: CASHIER.id, name: CASHIER.name });
    // The push sends ERPNext exactly the signed invoice, with the till's number and uuid.
    const outbox = scalar(dir, 'SELECT payload FROM outbox WHERE uuid = ?', sale['uuid']) as string;
    expect(JSON.parse(outbox)).toEqual({ from: 'journal', action: 'insert' });
    expect(pushDocument(dir, String(sale['uuid']))).toEqual({
      ...body.invoice,
      doctype: 'POS Invoice',
      outpost_invoice_no: sale['invoice_no'],
      outpost_uuid: sale['uuid'],
    });
    const items = quoted['items'] as Json[];
    // Promotions applied: milk 10% off 2 or more, the winning banana rule.
    expect(items.find((i) => i['item_code'] === 'SKU-0000001')?.['pricing_rules']).toContain(
      'PRLE-0001',
    );
    expect(items.find((i) => i['item_code'] === 'SKU-0000005')?.['pricing_rules']).toContain(
      'PRLE-0010',
    );
    expect(items.find((i) => i['item_code'] === 'SKU-0000005')?.['qty']).toBe(1.234);

    // The receipt prints the same totals, the lines and the verification QR.
    const r = await cli(['receipt', '--data', dir, String(sale['invoice_no']), '--format', 'text']);
    expect(r.code).toBe(0);
    const total = /TOTAL \w+ +(-?[\d.]+)/.exec(r.out)?.[1];
    expect(total).toBe(sale['grand_total']);
    expect(r.out).toContain(String(sale['invoice_no']));
    expect(r.out).toContain('Alice Martin');
    expect(r.out).toContain('Bananas');
    expect(r.out).toContain('Tax ID: 12-3456789');
    expect(r.out).toContain('Milk: 10% off 2 or more'); // the promotion by its title
    expect(r.out).toMatch(new RegExp(`earned\\s+${String(sale['loyalty_points_earned'])}`, 'i'));
    expect(r.out).not.toContain('COPY');
  });

  it('quote --data --invoice prices a draft POS Invoice on the same snapshot as a sale', async () => {
    const dir = template.copy();
    const draftPath = join(dir, 'draft.json');
    writeFileSync(
      draftPath,
      JSON.stringify({
        pos_profile: 'Store North - Till 1',
        customer: 'Walk-in Customer',
        items: [{ item_code: 'SKU-0000001', qty: 2 }],
        payments: [{ mode_of_payment: 'Cash', amount: 0 }],
      }),
    );
    const fromDraft = await cliJson(['quote', '--data', dir, '--invoice', draftPath]);
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    expect(Number(fromDraft['grand_total']).toFixed(2)).toBe(sale['grand_total']);
    expect(fromDraft['snapshot_version']).toBe(sale['snapshot_version']);
    const bad = await cli([
      'quote',
      '--data',
      dir,
      '--invoice',
      draftPath,
      '--item',
      'SKU-0000001',
    ]);
    expect(bad.code).toBe(2);
  });

  it('numbers sales gaplessly per terminal and year, through refusals', async () => {
    const dir = template.copy();
    const year = new Date().getUTCFullYear();
    const a = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    const refused = await cli(sellArgs(dir, '--item', 'SKU-0000001', '--pay', 'Cash:0.01'));
    expect(refused.code).toBe(1);
    const b = await cliJson(sellArgs(dir, '--item', 'SKU-0000003'));
    expect(a['invoice_no']).toMatch(new RegExp(`^STORE-NORTH-T1-(${year}|${year + 1})-000001$`));
    expect(String(b['invoice_no']).slice(-6)).toBe('000002');
    expect(Number(b['seq'])).toBe(Number(a['seq']) + 1);
  });
});

describe('refusals write nothing', () => {
  it.each([
    ['too little paid', ['--item', 'SKU-0000001:5', '--pay', 'Cash:1'], 'PaymentRefused'],
    ['change from a card', ['--item', 'SKU-0000001', '--pay', 'Credit Card:500'], 'PaymentRefused'],
    ['a mode the profile lacks', ['--item', 'SKU-0000001', '--pay', 'Bitcoin:5'], 'NotFound'],
    ['an unknown item', ['--item', 'NO-SUCH-ITEM'], 'NotFound'],
    ['an unknown barcode', ['--barcode', '4006381333931'], 'NotFound'],
    ['a misread weighed label (bad check digit)', ['--barcode', '2100001012340'], 'InvalidInput'],
    ['an unknown customer', ['--item', 'SKU-0000001', '--customer', 'Nobody'], 'NotFound'],
    [
      'a discount without a manager',
      ['--item', 'SKU-0000001', '--discount', '20'],
      'ApprovalRequired',
    ],
    [
      'a price override without a manager',
      ['--item', 'SKU-0000001', '--rate', 'SKU-0000001:0.10'],
      'ApprovalRequired',
    ],
    ['a bad quantity', ['--item', 'SKU-0000001:0'], 'InvalidInput'],
  ])('%s', async (_, args, kind) => {
    const dir = template.copy();
    const before = footprint(dir);
    const r = await cli(sellArgs(dir, ...args));
    expect(r.code).not.toBe(0);
    const err = (JSON.parse(r.out) as { error: { kind: string; message: string } }).error;
    expect(err.kind).toBe(kind);
    expect(err.message.length).toBeGreaterThan(5);
    expect(footprint(dir)).toEqual(before);
  });
});

describe('payments', () => {
  it('takes several modes and gives change from cash only', async () => {
    const dir = template.copy();
    const q = await cliJson(['quote', '--data', dir, '--item', 'SKU-0000001:3']);
    const total = Number(q['rounded_total']);
    const sale = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000001:3',
        '--pay',
        'Credit Card:1.00',
        '--pay',
        `Cash:${Math.ceil(total)}`,
      ),
    );
    expect(sale['paid_amount']).toBe((1 + Math.ceil(total)).toFixed(2));
    expect(sale['change_amount']).toBe((1 + Math.ceil(total) - total).toFixed(2));
    const body = JSON.parse(
      scalar(dir, 'SELECT body FROM journal WHERE invoice_no = ?', sale['invoice_no']) as string,
    ) as { money_per_mode: Record<string, string> };
    expect(body.money_per_mode).toEqual({
      'Credit Card': '1.00',
      Cash: (total - 1).toFixed(2),
    });
  });
});

describe('cashiers', () => {
  it('locks a cashier after five wrong PINs, journaling each failure', async () => {
    const dir = template.copy();
    for (let i = 0; i < 5; i++) {
      const r = await cli([
        'sell',
        '--data',
        dir,
        '--cashier',
        CASHIER.id,
        '--pin',
        '0000',
        '--item',
        'SKU-0000001',
      ]);
      expect(JSON.parse(r.out)).toMatchObject({ error: { kind: 'AuthenticationFailed' } });
    }
    const locked = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(JSON.parse(locked.out)).toMatchObject({ error: { kind: 'LockedOut' } });
    expect(scalar(dir, "SELECT count(*) FROM journal WHERE type = 'login_failed'")).toBe(6);
    expect(
      scalar(
        dir,
        "SELECT count(*) FROM journal WHERE type = 'event' AND body LIKE '%cashier_locked%'",
      ),
    ).toBe(1);
    // Unknown cashiers get the same answer as wrong PINs.
    const unknown = await cli([
      'sell',
      '--data',
      dir,
      '--cashier',
      'mallory',
      '--pin',
      '1234',
      '--item',
      'SKU-0000001',
    ]);
    expect(JSON.parse(unknown.out)).toMatchObject({ error: { kind: 'AuthenticationFailed' } });
  });

  it('keeps only a scrypt hash of the PIN, and refuses a duplicate id or a bad PIN', async () => {
    const dir = template.copy();
    const hash = scalar(dir, 'SELECT pin_hash FROM cashier WHERE id = ?', CASHIER.id) as string;
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain(CASHIER.pin);
    const dup = await cli(
      cashierAddArgs(dir, '--id', CASHIER.id, '--name', 'X', '--pin', '5555', '--role', 'cashier'),
    );
    expect(JSON.parse(dup.out)).toMatchObject({ error: { kind: 'InvalidInput', field: 'id' } });
    const bad = await cli(
      cashierAddArgs(dir, '--id', 'bob', '--name', 'Bob', '--pin', '12', '--role', 'cashier'),
    );
    expect(JSON.parse(bad.out)).toMatchObject({ error: { kind: 'InvalidInput', field: 'pin' } });
    const role = await cli(
      cashierAddArgs(dir, '--id', 'bob', '--name', 'Bob', '--pin', '1212', '--role', 'boss'),
    );
    expect(JSON.parse(role.out)).toMatchObject({ error: { kind: 'InvalidInput', field: 'role' } });
  });

  it('binds every sale to a journaled login of its cashier', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    const body = JSON.parse(
      scalar(dir, 'SELECT body FROM journal WHERE seq = ?', sale['seq']) as string,
    ) as { login_seq: number };
    const login = query<{ type: string; body: string }>(
      dir,
      'SELECT type, body FROM journal WHERE seq = ?',
      body.login_seq,
    )[0];
    expect(login?.type).toBe('login');
    expect(JSON.parse(login?.body ?? '{}')).toMatchObject({ cashier: { id: CASHIER.id } });
  });
});

describe('manager approvals', () => {
  it('a manager approves a discount; the override is journaled with the sale', async () => {
    const dir = template.copy();
    const plain = await cliJson(['quote', '--data', dir, '--item', 'SKU-0000001:4']);
    const sale = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000001:4',
        '--discount',
        '10',
        '--manager',
        MANAGER.id,
        '--manager-pin',
        MANAGER.pin,
      ),
    );
    expect(Number(sale['grand_total'])).toBeLessThan(Number(plain['grand_total']));
    const approvals = sale['approvals'] as number[];
    expect(approvals).toHaveLength(1);
    const override = query<{ type: string; body: string }>(
      dir,
      'SELECT type, body FROM journal WHERE seq = ?',
      approvals[0],
    )[0];
    expect(override?.type).toBe('override');
    expect(JSON.parse(override?.body ?? '{}')).toMatchObject({
      action: 'discount',
      manager: { id: MANAGER.id },
      cashier_id: CASHIER.id,
    });
  });

  it('a cashier cannot approve', async () => {
    const dir = template.copy();
    const r = await cli(
      sellArgs(
        dir,
        '--item',
        'SKU-0000001',
        '--discount',
        '10',
        '--manager',
        CASHIER.id,
        '--manager-pin',
        CASHIER.pin,
      ),
    );
    expect(JSON.parse(r.out)).toMatchObject({ error: { kind: 'NotPermitted' } });
  });

  it('a manager approves a price override', async () => {
    const dir = template.copy();
    const sale = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000001',
        '--rate',
        'SKU-0000001:0.50',
        '--manager',
        MANAGER.id,
        '--manager-pin',
        MANAGER.pin,
      ),
    );
    const body = JSON.parse(
      scalar(dir, 'SELECT body FROM journal WHERE seq = ?', sale['seq']) as string,
    ) as { invoice: { items: Json[] } };
    expect(body.invoice.items[0]?.['rate']).toBe(0.5);
  });
});

describe('offline boundaries', () => {
  it('stops selling after too long without ERPNext until a manager extends', async () => {
    const dir = template.copy();
    lastContact(dir, 100); // default limit: 72 h
    const r = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(JSON.parse(r.out)).toMatchObject({ error: { kind: 'OfflineLimit', field: 'offline' } });
    const ok = await cliJson(
      sellArgs(dir, '--item', 'SKU-0000001', '--manager', MANAGER.id, '--manager-pin', MANAGER.pin),
    );
    expect(ok['offline']).toBe(true);
    expect(ok['approvals']).toHaveLength(1);
    // The extension holds for the next sales without the manager.
    const next = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(next['approvals']).toEqual([]);
  });

  it('a manager can force the till offline (journaled), and end it', async () => {
    const dir = template.copy();
    const args = [
      'terminal',
      'offline',
      '--data',
      dir,
      '--manager',
      MANAGER.id,
      '--manager-pin',
      MANAGER.pin,
    ];
    expect((await cliJson([...args, '--hours', '2']))['forced_offline_until']).toBeTruthy();
    expect((await cliJson(sellArgs(dir, '--item', 'SKU-0000001')))['offline']).toBe(true);
    await cliJson([...args, '--hours', '0']);
    expect((await cliJson(sellArgs(dir, '--item', 'SKU-0000001')))['offline']).toBe(false);
    expect(
      scalar(
        dir,
        "SELECT count(*) FROM journal WHERE type = 'override' AND body LIKE '%force_offline%'",
      ),
    ).toBe(2);
  });

  it('accepts only cash offline by default', async () => {
    const dir = template.copy();
    lastContact(dir, 1);
    const q = await cliJson(['quote', '--data', dir, '--item', 'SKU-0000001']);
    const r = await cli(
      sellArgs(dir, '--item', 'SKU-0000001', '--pay', `Credit Card:${String(q['rounded_total'])}`),
    );
    expect(JSON.parse(r.out)).toMatchObject({ error: { kind: 'OfflineLimit', field: 'payments' } });
    // Online, the card is fine.
    lastContact(dir, 0);
    expect(
      (
        await cli(
          sellArgs(
            dir,
            '--item',
            'SKU-0000001',
            '--pay',
            `Credit Card:${String(q['rounded_total'])}`,
          ),
        )
      ).code,
    ).toBe(0);
  });
});

describe('training mode', () => {
  it('is chained and signed but numbered apart, not counted and not queued', async () => {
    const dir = template.copy();
    const t = await cliJson(sellArgs(dir, '--item', 'SKU-0000001', '--training'));
    expect(t['invoice_no']).toMatch(/^TRAIN-STORE-NORTH-T1-\d{4}-000001$/);
    expect(t['kind']).toBe('training');
    expect(scalar(dir, 'SELECT count(*) FROM outbox WHERE doctype = ?', 'POS Invoice')).toBe(0);
    expect(scalar(dir, 'SELECT count(*) FROM stock_pending')).toBe(0);
    const real = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(String(real['invoice_no']).slice(-6)).toBe('000001');
    const x = await cliJson<{ x_report: Json }>(['shift', 'x', '--data', dir]);
    expect(x.x_report['sales']).toEqual({ count: 1, grand_total: real['grand_total'] });
    expect(x.x_report['training']).toEqual({ count: 1 });
    const receipt = await cli([
      'receipt',
      '--data',
      dir,
      String(t['invoice_no']),
      '--format',
      'text',
    ]);
    expect(receipt.out).toMatch(/TRAINING/);
  });
});

describe('stock and loyalty move with the sale', () => {
  it('books local stock out for goods and bundle components, back in on return', async () => {
    const dir = template.copy();
    const stockOf = async () =>
      (await cliJson<{ stock: Json }>(['item', '--data', dir, '--code', 'SKU-0000001', '--json']))
        .stock;
    const before = await stockOf();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    expect(scalar(dir, 'SELECT qty FROM stock_pending WHERE item_code = ?', 'SKU-0000001')).toBe(
      '2',
    );
    // `outpost item` shows the stock net of the till's own unsynced sales.
    const after = await stockOf();
    expect(after['unsynced_sales_qty']).toBe(2);
    expect(after['available']).toBe(Number(before['available']) - 2);
    await cliJson(
      returnArgs(dir, '--invoice', String(sale['invoice_no']), '--item', 'SKU-0000001:1'),
    );
    expect(scalar(dir, 'SELECT qty FROM stock_pending WHERE item_code = ?', 'SKU-0000001')).toBe(
      '1',
    );
  });

  it('earns points locally, and the next sale can redeem them within the balance', async () => {
    const dir = template.copy();
    const first = await cliJson(
      sellArgs(dir, '--item', 'SKU-0000002:20', '--customer', 'Aisha Jackson'),
    );
    // Worked by hand from the demo seed: sourdough 5.49 x 20 = 109.80 (the free loaves of
    // buy-2-get-1 at 0), Bakery at the Reduced Rate, State 2 %: 2.196 -> 2.20; grand total
    // 112.00. Outpost Rewards collects 1 point per 1.00: int(112.00 / 1) = 112.
    expect(first).toMatchObject({ grand_total: '112.00', loyalty_points_earned: 112 });
    const earned = 112;
    expect(
      scalar(
        dir,
        'SELECT sum(loyalty_points) FROM loyalty_pending WHERE customer = ?',
        'Aisha Jackson',
      ),
    ).toBe(earned);
    const tooMany = await cli(
      sellArgs(
        dir,
        '--item',
        'SKU-0000002:20',
        '--customer',
        'Aisha Jackson',
        '--redeem',
        String(earned + 1),
      ),
    );
    expect(JSON.parse(tooMany.out)).toMatchObject({ error: { kind: 'InvoiceRefused' } });
    const redeem = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000002:20',
        '--customer',
        'Aisha Jackson',
        '--redeem',
        String(earned),
      ),
    );
    expect(redeem['loyalty_points_redeemed']).toBe(earned);
    // 112 points at the program's conversion factor 0.01 = 1.12. ERPNext counts the points'
    // value in paid_amount; cash covers the other 110.88.
    expect(redeem).toMatchObject({
      loyalty_amount: '1.12',
      rounded_total: '112.00',
      paid_amount: '112.00',
      change_amount: '0.00',
    });

    // Each receipt prints the balance after the sale: the customer started with none, so the
    // first leaves what it earned, the second what it earned once the first's were spent.
    const balanceOn = async (sale: Json): Promise<number> => {
      const r = await cli([
        'receipt',
        '--data',
        dir,
        String(sale['invoice_no']),
        '--format',
        'text',
      ]);
      return Number(/Balance\s+(-?\d+)/.exec(r.out)?.[1]);
    };
    expect(await balanceOn(first)).toBe(earned);
    // ERPNext's make_loyalty_point_entry earns on grand_total - cint(loyalty_amount):
    // 112.00 - cint(1.12) = 111 points (the quirk kept: 1.12 counts as 1).
    const earnedAgain = Number(redeem['loyalty_points_earned']);
    expect(earnedAgain).toBe(111);
    expect(await balanceOn(redeem)).toBe(earnedAgain);
  });
});

describe('returns', () => {
  it('returns part of a receipt at its prices, refunds to the original modes, refuses more than sold', async () => {
    const dir = template.copy();
    const q = await cliJson(['quote', '--data', dir, '--item', 'SKU-0000001:3']);
    const sale = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000001:3',
        '--pay',
        'Credit Card:1.00',
        '--pay',
        `Cash:${String(Number(q['rounded_total']) - 1)}`,
      ),
    );
    const ret = await cliJson(
      returnArgs(dir, '--invoice', String(sale['invoice_no']), '--item', 'SKU-0000001:2'),
    );
    expect(ret['return_against']).toBe(sale['invoice_no']);
    expect(String(ret['invoice_no']).slice(-6)).toBe('000002');
    // Worked by hand: milk 4.29 less the 10 % quantity rule = 3.86; 3 x 3.86 = 11.58, Dairy at
    // the Reduced Rate (State 2 %) 0.2316 -> 0.23: 11.81. Two back at the sale's rate:
    // 7.72 + 0.1544 -> 0.15 = 7.87.
    expect(q).toMatchObject({ total: 11.58, total_taxes_and_charges: 0.23, grand_total: 11.81 });
    expect(ret).toMatchObject({ grand_total: '-7.87', rounded_total: '-7.87' });
    // Card first (up to what it paid), the rest in cash.
    expect(ret['refunds']).toEqual([
      { mode: 'Credit Card', amount: '-1.00' },
      { mode: 'Cash', amount: '-6.87' }, // 7.87 - 1.00
    ]);
    const more = await cli(
      returnArgs(dir, '--invoice', String(sale['invoice_no']), '--item', 'SKU-0000001:2'),
    );
    expect(JSON.parse(more.out)).toMatchObject({ error: { kind: 'ReturnRefused' } });
    const rest = await cliJson(returnArgs(dir, '--invoice', String(sale['invoice_no'])));
    // The last one: 3.86 + 0.0772 -> 0.08 = 3.94; 7.87 + 3.94 = 11.81, the whole sale.
    expect(sale['grand_total']).toBe('11.81');
    expect(rest).toMatchObject({ grand_total: '-3.94', rounded_total: '-3.94' });
    const none = await cli(returnArgs(dir, '--invoice', String(sale['invoice_no'])));
    expect(JSON.parse(none.out)).toMatchObject({ error: { kind: 'ReturnRefused' } });
    // Not a sale of this store: another store's, which only ERPNext (gone here) could confirm.
    const unknown = await cli(returnArgs(dir, '--invoice', 'NOPE-1'));
    expect(JSON.parse(unknown.out)).toMatchObject({
      error: { kind: 'ReturnRefused', field: 'invoice' },
    });
    // The return's journal record references the original and carries negative totals.
    const rec = query<{ type: string; header: string; body: string }>(
      dir,
      'SELECT type, header, body FROM journal WHERE invoice_no = ?',
      ret['invoice_no'],
    )[0];
    expect(rec?.type).toBe('return');
    expect(
      (JSON.parse(rec?.header ?? '{}') as { totals: { grand_total: string } }).totals.grand_total,
    ).toBe(ret['grand_total']);
    expect(JSON.parse(rec?.body ?? '{}')).toMatchObject({
      return_against: sale['invoice_no'],
      against_uuid: sale['uuid'],
    });
    // Queued for ERPNext as a return POS Invoice.
    const payload = pushDocument(dir, String(ret['uuid']));
    expect(payload).toMatchObject({ is_return: 1, return_against: sale['invoice_no'] });
  });
});

describe('voids and returns by QR', () => {
  const voidArgs = (dir: string, invoice: string, ...rest: string[]) => [
    'void',
    '--data',
    dir,
    '--cashier',
    CASHIER.id,
    '--pin',
    CASHIER.pin,
    '--invoice',
    invoice,
    ...rest,
  ];

  it('a manager voids a sale of the shift: negative record, no number, stock back, ERPNext told to cancel', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    const no = String(sale['invoice_no']);
    const refused = await cli(voidArgs(dir, no));
    expect(refused.code).toBe(2); // --manager is required
    const v = await cliJson(
      voidArgs(
        dir,
        no,
        '--manager',
        MANAGER.id,
        '--manager-pin',
        MANAGER.pin,
        '--reason',
        'wrong customer',
      ),
    );
    expect(v).toMatchObject({ kind: 'void', invoice_no: null, return_against: no });
    expect(Number(v['grand_total'])).toBe(-Number(sale['grand_total']));
    expect(scalar(dir, 'SELECT qty FROM stock_pending WHERE item_code = ?', 'SKU-0000001')).toBe(
      '0',
    );
    const rec = query<{ type: string; invoice_no: string | null }>(
      dir,
      'SELECT type, invoice_no FROM journal WHERE seq = ?',
      v['seq'],
    )[0];
    expect(rec).toEqual({ type: 'void', invoice_no: null });
    const payload = pushDocument(dir, String(v['uuid']));
    expect(payload).toMatchObject({ outpost_action: 'cancel', outpost_uuid: sale['uuid'] });
    // Nothing more can be returned or voided, and the X report nets it out.
    const again = await cli(returnArgs(dir, '--invoice', no));
    expect(JSON.parse(again.out)).toMatchObject({ error: { kind: 'ReturnRefused' } });
    const x = (await cliJson<{ x_report: Json }>(['shift', 'x', '--data', dir])).x_report;
    expect(x['voids']).toEqual({ count: 1, grand_total: v['grand_total'] });
    expect(x['grand_total']).toBe('0.00');
    expect((await cli(['verify', '--data', dir])).code).toBe(0);
  });

  it('takes a return by the scanned QR of the receipt, and refuses a forged QR', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    const row = query<{ header: string; signature: string }>(
      dir,
      'SELECT header, signature FROM journal WHERE seq = ?',
      sale['seq'],
    )[0];
    const qr = `${row?.header ?? ''}.${row?.signature ?? ''}`;
    const forged = qr.replace(/"grand_total":"[\d.]+"/, '"grand_total":"999.00"');
    const bad = await cli(returnArgs(dir, '--invoice', forged));
    expect(JSON.parse(bad.out)).toMatchObject({ error: { kind: 'ReturnRefused' } });
    const ret = await cliJson(returnArgs(dir, '--invoice', qr, '--item', 'SKU-0000001:1'));
    expect(ret['return_against']).toBe(sale['invoice_no']);
  });

  it('takes a return by the receipt’s compact QR or its typed check code, and refuses a code that does not match the record', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    const row = query<{ hash: string; chain_seq: number }>(
      dir,
      'SELECT hash, chain_seq FROM journal WHERE seq = ?',
      sale['seq'],
    )[0];
    const code = hashCode(row?.hash ?? '');
    const qr = `OUTPOST/T1/${String(row?.chain_seq)}/${code}`;
    // One character off (still a valid code): another record's code, or a made-up one.
    const wrong = `${code.slice(0, 11)}${code.endsWith('0') ? '1' : '0'}`;
    const bad = await cli(
      returnArgs(dir, '--invoice', `OUTPOST/T1/${String(row?.chain_seq)}/${wrong}`),
    );
    // Either could be another store's receipt (every store may have a T1): ERPNext is asked,
    // and here it does not answer.
    const refusal = (error: { kind: string; message: string }) =>
      [error.kind, error.message.replace(/ \(cannot reach ERPNext at [^)]*\)/, '')] as const;
    const slot = `T1/${String(row?.chain_seq)}`;
    expect(
      refusal((JSON.parse(bad.out) as { error: { kind: string; message: string } }).error),
    ).toEqual([
      'ReturnRefused',
      `invoice: the check code ${slot}/${wrong} does not match this store's record ${slot}, and ERPNext does not answer: a return against another store's receipt needs ERPNext to check the original; make it once ERPNext answers`,
    ]);
    const none = await cli(returnArgs(dir, '--invoice', `OUTPOST/T1/9999/${code}`));
    expect(
      refusal((JSON.parse(none.out) as { error: { kind: string; message: string } }).error),
    ).toEqual([
      'ReturnRefused',
      "invoice: this store's journal has no record T1/9999, and ERPNext does not answer: a return against another store's receipt needs ERPNext to check the original; make it once ERPNext answers",
    ]);
    const ret = await cliJson(returnArgs(dir, '--invoice', qr, '--item', 'SKU-0000001:1'));
    expect(ret['return_against']).toBe(sale['invoice_no']);
    // The code as printed, typed by a person (the code's letters in lower case): the rest.
    const typed =
      `T1/${String(row?.chain_seq)}/${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`
        .toLowerCase()
        .replace(/^t/, 'T');
    const rest = await cliJson(returnArgs(dir, '--invoice', typed));
    expect(rest['return_against']).toBe(sale['invoice_no']);

    // An auditor checks the paper against the journal: the chain verified, the code matches.
    const human = `T1/${String(row?.chain_seq)}/${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
    const checked = await cli(['verify', '--data', dir, '--receipt', typed]);
    expect(checked.code).toBe(0);
    expect(checked.out.split('\n').at(-2)).toBe(
      `RECEIPT ${human}: matches ${String(sale['invoice_no'])} (sale), record T1/${String(row?.chain_seq)}`,
    );
    const forged = await cli([
      'verify',
      '--data',
      dir,
      '--receipt',
      `T1/${String(row?.chain_seq)}/${wrong}`,
    ]);
    expect(forged.code).toBe(1);
    expect(forged.out).toContain(
      `: DOES NOT MATCH record T1/${String(row?.chain_seq)}, ${String(sale['invoice_no'])} (sale)`,
    );
  });
});

describe('returns without a receipt', () => {
  it('need a manager, refund in cash at the list price, and bring stock back', async () => {
    const dir = template.copy();
    const base = returnArgs(dir, '--no-receipt', '--item', 'SKU-0000003:2');
    expect((await cli(base)).code).toBe(2);
    const byCashier = await cli([...base, '--manager', CASHIER.id, '--manager-pin', CASHIER.pin]);
    expect(JSON.parse(byCashier.out)).toMatchObject({ error: { kind: 'NotPermitted' } });
    const r = await cliJson([
      ...base,
      '--manager',
      MANAGER.id,
      '--manager-pin',
      MANAGER.pin,
      '--reason',
      'gift',
    ]);
    expect(Number(r['grand_total'])).toBeLessThan(0);
    expect(r['refunds']).toEqual([{ mode: 'Cash', amount: r['rounded_total'] }]);
    expect(scalar(dir, 'SELECT qty FROM stock_pending WHERE item_code = ?', 'SKU-0000003')).toBe(
      '-2',
    );
    const override = query<{ body: string }>(
      dir,
      "SELECT body FROM journal WHERE type = 'override'",
    )[0];
    expect(JSON.parse(override?.body ?? '{}')).toMatchObject({
      action: 'return_without_receipt',
      manager: { id: MANAGER.id },
    });
    const payload = pushDocument(dir, String(r['uuid']));
    expect(payload).toMatchObject({ is_return: 1 });
    expect(payload['return_against'] ?? '').toBe('');
  });
});

describe('shifts', () => {
  it('opens a shift by itself for a sale when none is open (journaled), or refuses when configured', async () => {
    const dir = template.copy();
    const again = await cli(shiftArgs(dir, 'open'));
    expect(JSON.parse(again.out)).toMatchObject({ error: { kind: 'ShiftState' } });
    await cliJson(shiftArgs(dir, 'close', '--count', 'Cash:100'));
    // Default: the first sale opens a shift with no float, marked auto.
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    const opening = query<{ body: string }>(
      dir,
      "SELECT body FROM journal WHERE type = 'shift_open' ORDER BY seq DESC LIMIT 1",
    )[0];
    expect(JSON.parse(opening?.body ?? '{}')).toMatchObject({ shift_id: 2, auto: true, float: {} });
    expect(scalar(dir, 'SELECT shift_id FROM sale WHERE seq = ?', sale['seq'])).toBe(2);
    // With auto_open_shift off, a sale needs an explicit opening.
    await cliJson(shiftArgs(dir, 'close'));
    const configPath = join(dir, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Json;
    writeFileSync(configPath, JSON.stringify({ ...config, pos: { auto_open_shift: false } }));
    const r = await cli(sellArgs(dir, '--item', 'SKU-0000001'));
    expect(JSON.parse(r.out)).toMatchObject({ error: { kind: 'ShiftState' } });
  });

  it('closes with a Z report: expected vs counted, totals per rate and mode, sealed in the journal', async () => {
    const dir = template.copy();
    const a = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2'));
    const b = await cliJson(
      sellArgs(
        dir,
        '--item',
        'SKU-0000003',
        '--pay',
        `Credit Card:${String((await cliJson(['quote', '--data', dir, '--item', 'SKU-0000003']))['rounded_total'])}`,
      ),
    );
    const cash = 100 + Number(a['rounded_total']);
    const z = (
      await cliJson<{ z_report: Json }>(
        shiftArgs(
          dir,
          'close',
          '--count',
          `Cash:${(cash - 0.5).toFixed(2)}`,
          '--count',
          `Credit Card:${String(b['rounded_total'])}`,
        ),
      )
    ).z_report;
    expect(z['expected']).toEqual({ Cash: cash.toFixed(2), 'Credit Card': b['rounded_total'] });
    expect(z['difference']).toEqual({ Cash: '-0.50', 'Credit Card': '0.00' });
    expect(z['sales']).toEqual({
      count: 2,
      grand_total: (Number(a['grand_total']) + Number(b['grand_total'])).toFixed(2),
    });
    const rec = query<{ type: string; header: string; body: string }>(
      dir,
      'SELECT type, header, body FROM journal WHERE seq = ?',
      z['z_seq'],
    )[0];
    expect(rec?.type).toBe('shift_close');
    const header = JSON.parse(rec?.header ?? '{}') as {
      prev_hash: string;
      totals: { grand_total: string };
    };
    expect(header.prev_hash).toBe(z['head_hash']);
    expect(header.totals.grand_total).toBe(z['grand_total']);
    expect(z['perpetual_grand_total']).toBe(z['grand_total']);
    expect(scalar(dir, 'SELECT count(*) FROM outbox WHERE doctype = ?', 'POS Closing Entry')).toBe(
      1,
    );
    expect((await cli(['verify', '--data', dir])).code).toBe(0);
  });
});

describe('receipts', () => {
  it('journals every print: the original once, then COPY n', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    const no = String(sale['invoice_no']);
    const first = await cli(['receipt', '--data', dir, no, '--format', 'text']);
    const second = await cli(['receipt', '--data', dir, no, '--format', 'html']);
    const third = await cli(['receipt', '--data', dir, no, '--format', 'text']);
    expect(first.out).not.toMatch(/COPY/);
    expect(second.out).toMatch(/COPY 1/);
    expect(third.out).toMatch(/COPY 2/);
    const prints = query<{ body: string }>(
      dir,
      "SELECT body FROM journal WHERE type = 'reprint' ORDER BY seq",
    );
    expect(prints.map((p) => (JSON.parse(p.body) as { copy: number }).copy)).toEqual([0, 1, 2]);
    const missing = await cli(['receipt', '--data', dir, 'NOPE-1', '--format', 'text']);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { kind: 'NotFound' } });
  });

  it('prints ESC/POS whose decoded lines and QR carry the compact check code of the signed journal record', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001:2', '--item', 'SKU-0000003'));
    const file = join(dir, 'receipt.bin');
    const r = await cli([
      'receipt',
      '--data',
      dir,
      String(sale['invoice_no']),
      '--format',
      'escpos',
      '--out',
      file,
      '--width',
      '58',
    ]);
    expect(r.code).toBe(0);
    const decoded = decodeEscPos(readFileSync(file));
    const text = decoded.lines.join('\n');
    expect(text).toContain(String(sale['invoice_no']));
    expect(text).toContain(String(sale['grand_total']));
    expect(decoded.cuts).toBe(1);
    expect(decoded.qr).toHaveLength(1);
    const payload = decoded.qr[0]?.payload ?? '';
    const row = query<{ header: string; signature: string; hash: string; chain_seq: number }>(
      dir,
      'SELECT header, signature, hash, chain_seq FROM journal WHERE seq = ?',
      sale['seq'],
    )[0];
    // The compact QR: the record's terminal and place in its chain, and 60 bits of its hash
    // (the SHA-256 of the signed header); the same code printed for people under it.
    const digest = createHash('sha256')
      .update(row?.header ?? '')
      .digest('hex');
    expect(digest).toBe(row?.hash);
    const code = hashCode(digest);
    expect(payload).toBe(`OUTPOST/T1/${String(row?.chain_seq)}/${code}`);
    expect(text).toContain(
      `Check code T1/${String(row?.chain_seq)}/${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`,
    );
    // The record the code points at is signed by the terminal's registered key.
    const keys = JSON.parse(readFileSync(join(dir, 'terminal-keys.json'), 'utf8')) as {
      raw_base64: string;
    }[];
    const publicKey = importPublicKey(keys[0]?.raw_base64 ?? '');
    expect(
      verifySignature(
        publicKey,
        Buffer.from(row?.header ?? ''),
        Buffer.from(row?.signature ?? '', 'base64'),
      ),
    ).toBe(true);
    const pdf = join(dir, 'receipt.pdf');
    expect(
      (
        await cli([
          'receipt',
          '--data',
          dir,
          String(sale['invoice_no']),
          '--format',
          'pdf',
          '--out',
          pdf,
        ])
      ).code,
    ).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('exports the terminal public key that signs the journal, and keeps the private key 0600', async () => {
    const dir = template.copy();
    const key = await cliJson(['terminal', 'key', '--data', dir]);
    expect(key).toMatchObject({ terminal: 'T1', alg: 'Ed25519' });
    expect(String(key['pem'])).toContain('BEGIN PUBLIC KEY');
    const ids = query<{ key_id: string }>(dir, 'SELECT DISTINCT key_id FROM journal');
    expect(ids).toEqual([{ key_id: key['key_id'] }]);
    expect(statSync(join(dir, 'terminal-key.json')).mode & 0o777).toBe(0o600);
    // No OUTPOST_KEY_PASSPHRASE here: the file says plainly it is not encrypted (0600 is the guard).
    expect(JSON.parse(readFileSync(join(dir, 'terminal-key.json'), 'utf8'))).toMatchObject({
      format: 'outpost-terminal-key-unencrypted/1',
    });
  });

  it('exports the journal as signed JSON Lines with a manifest that verifies on its own', async () => {
    const dir = template.copy();
    const sale = await cliJson(sellArgs(dir, '--item', 'SKU-0000001'));
    const out = join(dir, 'journal.jsonl');
    const { manifest } = await cliJson<{ manifest: Json }>([
      'journal',
      'export',
      '--data',
      dir,
      '--out',
      out,
    ]);
    expect(manifest).toMatchObject({ format: 'outpost-journal-export/1', terminal: 'T1' });
    const keys = JSON.parse(readFileSync(join(dir, 'terminal-keys.json'), 'utf8')) as {
      key_id: string;
      raw_base64: string;
    }[];
    const publicKeys = new Map(keys.map((k) => [k.key_id, k.raw_base64]));
    const clean = verifyExportFile(out, { publicKeys });
    expect(clean.ok).toBe(true);
    expect(clean.head?.seq).toBeGreaterThanOrEqual(Number(sale['seq']));
    // A sale's amount changed in its signed header is caught.
    const lines = readFileSync(out, 'utf8').split('\n');
    const at = lines.findIndex(
      (l) => l.includes(String(sale['invoice_no'])) && l.includes('header'),
    );
    const rec = JSON.parse(lines[at] ?? '{}') as { header: string };
    const altered = rec.header.replace(
      `"grand_total":"${String(sale['grand_total'])}"`,
      '"grand_total":"0.01"',
    );
    expect(altered).not.toBe(rec.header);
    lines[at] = JSON.stringify({ ...rec, header: altered });
    const forged = lines.join('\n');
    expect(verifyExport(forged, { publicKeys }).ok).toBe(false);
  });
});
