import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startDemoSim, type RunningSimulator } from '../../src/cli/demo.js';
import { hashCode } from '../../src/journal/index.js';
import { UI_CSP } from '../../src/server/web.js';
import { query } from '../pos/till-fixture.js';
import { scan, shoot, until } from './browser.js';
import { demoPerFile, textOf } from './demo-run.js';

/*
 * The cashier's screen end to end: the demo as `npm start` runs it (simulator, store, node
 * serving the built UI from dist/web: run `npm run build` first), driven in Chromium.
 * The tests run in order on one store and one page, as a cashier's shift would.
 */

// Deterministic in the demo seed: these items, their barcodes and prices.
const MILK = { barcode: '0742710093377', name: 'Meadow Farms Whole Milk 1 gal' };
const COLA = { barcode: '0705541946434', name: 'Sparkle Cola 2 L' };

const run = demoPerFile('sale');
let page: Page;
/** The simulator started again after the test that stops the demo's. */
let sim: RunningSimulator | undefined;

beforeAll(async () => {
  page = await run.page();
});

// Vitest runs afterAll hooks last registered first: this one before the demo is stopped.
afterAll(async () => {
  await sim?.stop();
});

const text = (testId: string) => textOf(page, testId);

describe("the cashier's screen", () => {
  it("pairs an unpaired browser by the node's device token typed in (the operator's way)", async () => {
    const other = await run.browser.newPage();
    try {
      await other.goto(run.demo.node.url);
      await other.getByRole('heading', { name: 'Pair this terminal' }).waitFor();
      await other.getByText('Have a device token?').click();
      await other.getByLabel('Device token').fill('not-the-token-of-this-node');
      await other.getByRole('button', { name: 'Pair', exact: true }).click();
      await other.getByLabel('Cashier', { exact: true }).fill('alice');
      await other.getByLabel('PIN', { exact: true }).fill('1234');
      await other.getByRole('button', { name: 'Log in' }).click();
      // A token the node never issued: back to pairing.
      await other.getByRole('heading', { name: 'Pair this terminal' }).waitFor();
      expect(await other.getByTestId('unpaired-reason').textContent()).toBe(
        'The store node does not know this terminal.',
      );
      await other.getByText('Have a device token?').click();
      await other.getByLabel('Device token').fill(run.demo.deviceToken);
      await other.getByRole('button', { name: 'Pair', exact: true }).click();
      await other.getByRole('heading', { name: 'Cashier login' }).waitFor();
    } finally {
      await other.close();
    }
  });

  it('pairs by the demo link and logs the cashier in by PIN', async () => {
    const res = await page.goto(run.demo.pairUrl);
    // The screen's own policy (scripts from its origin only, no inline script); the API keeps
    // the allow-nothing one.
    expect(res?.headers()['content-security-policy']).toBe(UI_CSP);
    const api = await fetch(`${run.demo.node.url}/healthz`);
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    // The token left the address bar at once.
    expect(new URL(page.url()).hash).toBe('');
    await expect(page.getByRole('heading', { name: 'Cashier login' }).isVisible()).resolves.toBe(
      true,
    );
    await page.getByLabel('Cashier', { exact: true }).fill('alice');
    for (const d of '1234') await page.getByRole('button', { name: d, exact: true }).click();
    await shoot(page, 'login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('cashier').waitFor();
    expect(await text('cashier')).toBe('Alice Martin');
    await until('online', async () => (await text('connectivity')) === 'Online');
    expect(await text('pending')).toBe('0');
  });

  it('sells by scanning without a focused field: lines, promotions and totals as the node priced them', async () => {
    await page.locator('body').click({ position: { x: 5, y: 200 } });
    await scan(page, MILK.barcode);
    await scan(page, MILK.barcode);
    await scan(page, COLA.barcode);
    await until(
      'both lines priced',
      async () =>
        JSON.stringify(await page.getByTestId('qty').allTextContents()) === '["2","1"]' &&
        (await page.getByTestId('amount').allTextContents()).every((t) => t.startsWith('$')),
    );
    const lines = page.getByTestId('cart-line');
    expect(await lines.nth(0).textContent()).toContain(MILK.name);
    expect(await page.getByTestId('qty').allTextContents()).toEqual(['2', '1']);
    expect(await page.getByTestId('amount').allTextContents()).toEqual(['$7.72', '$1.99']);
    expect(await page.getByTestId('promo').allTextContents()).toEqual([
      'PRLE-0001 −10 % (−$0.43 each)',
      'PRLE-0004',
    ]);
    expect(await text('grand-total')).toBe('$9.90');
    // The search box got none of the scanned digits.
    expect(await page.locator('#search').inputValue()).toBe('');
    await shoot(page, 'sale');
  });

  it('keeps the cart across a reload', async () => {
    await page.reload();
    await page.getByTestId('cashier').waitFor();
    await until('priced again', async () => (await text('grand-total')) === '$9.90');
    expect(await page.getByTestId('qty').allTextContents()).toEqual(['2', '1']);
  });

  it('keeps a line scanned just before a reload', async () => {
    // The keys, then a reload in the very task the new line lands in the DOM: the cart is
    // written after the frame that shows it (or at `pagehide`, should the page go first).
    await page.evaluate(`new Promise((done) => {
      const observer = new MutationObserver(() => {
        if (document.querySelectorAll('[data-testid=qty]')[0]?.textContent !== '3') return;
        observer.disconnect();
        location.reload();
        done(true);
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      for (const key of [...${JSON.stringify(MILK.barcode)}, 'Enter']) {
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      }
    })`);
    await page.getByTestId('cashier').waitFor();
    await until(
      'priced again',
      async () => (await page.getByTestId('qty').allTextContents())[0] === '3',
    );
    // Back as the next tests expect it.
    await page.getByRole('button', { name: `One less ${MILK.name}` }).click();
    await until('priced again', async () => (await text('grand-total')) === '$9.90');
    expect(await page.getByTestId('qty').allTextContents()).toEqual(['2', '1']);
  });

  it('takes cash with a quick button, shows the change the node computed, and the 80 mm receipt', async () => {
    await page.getByTestId('pay').click();
    expect(await page.getByTestId('quick-cash').allTextContents()).toEqual([
      '$9.90',
      '$10.00',
      '$20.00',
      '$50.00',
      '$100.00',
    ]);
    await page.getByTestId('quick-cash').nth(2).click();
    await until('change priced', async () => (await text('change')) === '$10.10');
    expect(await text('paid')).toBe('$20.00');
    await shoot(page, 'payment');
    await page.getByTestId('complete').click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000001');
    expect(await text('sale-change')).toBe('Change: $10.10');
    const receipt = page.frameLocator('iframe.paper');
    await receipt.locator('svg').first().waitFor();
    expect(await receipt.locator('body').textContent()).toContain('STORE-NORTH-T1-2026-000001');
    await shoot(page, 'receipt');
    await page.getByTestId('new-sale').click();
    await page.getByTestId('cart-empty').waitFor();
  });

  it('sells on with the simulator stopped mid-shift; back, the pending count drains to 0', async () => {
    await until('the first sale pushed', async () => (await text('pending')) === '0');
    const port = Number(new URL(run.demo.sim.url).port);
    await run.demo.sim.stop();
    await until('offline shown', async () => (await text('connectivity')).startsWith('Offline'));
    await scan(page, COLA.barcode);
    await until('priced offline', async () => (await text('grand-total')) === '$2.03');
    await page.keyboard.press('F9');
    await page.getByTestId('quick-cash').first().click();
    await until('change priced', async () => (await text('change')) === '$0.00');
    await page.keyboard.press('F12');
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000002');
    await until('queued', async () => (await text('pending')) === '1');
    await shoot(page, 'offline');
    await page.getByTestId('new-sale').click();
    // The same simulator, back on the same address: the node's loops push with no command.
    sim = await startDemoSim(join(run.dir, 'sim'), port);
    await until('online again', async () => (await text('connectivity')) === 'Online', 90_000);
    await until('drained', async () => (await text('pending')) === '0', 90_000);
    expect(await text('review')).toBe('0');
  }, 240_000);

  it('passes an axe check of the sale screen with no serious or critical violations', async () => {
    await scan(page, MILK.barcode);
    // One gallon alone: the milk's rule (PRLE-0001) needs two.
    await until('priced', async () => (await text('grand-total')) === '$4.38');
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axe);
    const found: unknown = await page.evaluate(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
        r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help })))`,
    );
    const violations = z
      .array(z.object({ id: z.string(), impact: z.string().nullable(), help: z.string() }))
      .parse(found);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('holds the cart and recalls it; creates a customer at the till and sells to them', async () => {
    await page.getByTestId('hold').click();
    await page.getByTestId('cart-empty').waitFor();
    expect(await text('notice')).toBe('The cart is on hold as HOLD-1.');
    await page.getByTestId('recall-list').click();
    await page.getByTestId('recall').click();
    await until('recalled and priced', async () => (await text('grand-total')) === '$4.38');
    expect(await page.getByTestId('cart-line').allTextContents()).toHaveLength(1);
    await page.getByRole('button', { name: 'Add customer' }).click();
    await page.getByLabel('Customer name, phone or card').fill('Grace Hopper');
    await page.getByRole('button', { name: 'New customer…' }).click();
    await page.getByLabel('Mobile (optional)').fill('+1 555 0100');
    await page.getByRole('button', { name: 'Create “Grace Hopper”' }).click();
    await until('customer set', async () => (await text('customer')) === 'Grace Hopper');
    await page.keyboard.press('F9');
    await page.getByTestId('quick-cash').first().click();
    await until('change priced', async () => (await text('change')) === '$0.00');
    await page.getByTestId('complete').click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000003');
    const receipt = page.frameLocator('iframe.paper');
    await receipt.locator('svg').first().waitFor();
    expect(await receipt.locator('body').textContent()).toContain('Grace Hopper');
    await page.getByTestId('new-sale').click();
  });

  it("sells a weighed label by the weight in its code; the scale's template (0 kg) asks the weight", async () => {
    await scan(page, '2100001000004');
    // Nothing weighed on the label: the weight is asked (test/e2e/screen-extras); Escape adds nothing.
    await page.getByRole('dialog', { name: 'Weigh Bananas' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Weigh Bananas' }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-line').count()).toBe(0);
    // 21 00001 01250 c: Bananas, 1.250 kg.
    await scan(page, '2100001012502');
    await until('weighed line priced', async () => (await text('grand-total')) !== '');
    expect(await page.getByTestId('qty').allTextContents()).toEqual(['1.25']);
    await page.getByRole('button', { name: 'Clear the cart' }).click();
    await page.getByTestId('cart-empty').waitFor();
  });

  it('takes a return by scanning the receipt’s compact QR and the item coming back; refunds to cash', async () => {
    // What receipt 000001's QR carries: its record's place in T1's chain and 60 bits of its hash.
    const [rec] = query<{ hash: string; chain_seq: number }>(
      run.demo.store,
      'SELECT hash, chain_seq FROM journal WHERE invoice_no = ?',
      'STORE-NORTH-T1-2026-000001',
    );
    const code = hashCode(rec?.hash ?? '');
    await page.keyboard.press('F8');
    await scan(page, `OUTPOST/T1/${String(rec?.chain_seq)}/${code}`);
    await until('receipt taken', async () => (await text('return-against')) !== '');
    // The check code as printed under the QR, for the cashier to compare with the paper.
    expect(await text('return-against')).toBe(
      `T1/${String(rec?.chain_seq)}/${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`,
    );
    await scan(page, COLA.barcode);
    await page.getByText('1 × Sparkle Cola 2 L').waitFor();
    await page.getByTestId('refund').click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000004');
    expect(await text('sale-change')).toBe('Refund: $2.03 Cash');
    expect(await text('return-of')).toBe('Against receipt STORE-NORTH-T1-2026-000001');
    await shoot(page, 'return');
    await page.getByTestId('new-sale').click();
  });

  it('shows the review and conflicts screen: nothing refused, nothing changed in ERPNext', async () => {
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await page.getByText('Nothing waits for review.').waitFor();
    await page.getByText('No conflicts in the last 7 days.').waitFor();
    expect(await page.getByTestId('review-item').count()).toBe(0);
    expect(await page.getByLabel('Manager', { exact: true }).count()).toBe(1);
    await shoot(page, 'review');
    await page.getByRole('button', { name: 'Back to selling' }).click();
  });

  it('shows the X report, closes the shift with the cash count (Z report), and opens the next with a float', async () => {
    await page.keyboard.press('F4');
    await page.getByRole('button', { name: 'X report' }).click();
    const figures = page.getByTestId('shift-figures');
    await figures.waitFor();
    const rows = async () =>
      (await figures.locator('div').allTextContents()).filter((r) => !r.startsWith('Opened'));
    expect(await rows()).toEqual([
      'Sales3 · $16.31',
      'Returns1 · -$2.03',
      'Voids0 · $0.00',
      'Grand total$14.28',
      'Cash expected$114.28',
    ]);
    await page.getByLabel('Cash').fill('113.28');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByTestId('z-report').waitFor();
    expect((await rows()).slice(4)).toEqual([
      'Cash expected$114.28',
      'Cash counted$113.28',
      'Credit Card counted$0.00',
      'Gift Card counted$0.00',
      'Cash difference-$1.00',
      'Credit Card difference$0.00',
      'Gift Card difference$0.00',
    ]);
    await shoot(page, 'shift-close');
    await page.getByLabel('Cash').fill('150');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByTestId('pay').waitFor();
  });

  it('sells at a price the cashier set once a manager approves by PIN', async () => {
    await scan(page, MILK.barcode);
    await until('priced', async () => (await text('grand-total')) === '$4.38', 8_000);
    await page
      .getByRole('button', { name: /change the price of Meadow Farms Whole Milk 1 gal/ })
      .click();
    await page.getByLabel('New price for Meadow Farms Whole Milk 1 gal').fill('4.00');
    await page.keyboard.press('Enter');
    await until('repriced', async () => (await text('grand-total')) === '$4.08', 8_000);
    await page.keyboard.press('F9');
    await page.getByTestId('quick-cash').first().click();
    await until('change priced', async () => (await text('change')) === '$0.00', 8_000);
    await page.getByTestId('complete').click();
    await page.getByText('A manager must approve this sale.').waitFor();
    await page.getByLabel('Manager', { exact: true }).fill('maya');
    await page.getByLabel('Manager PIN').fill('9876');
    await page.getByRole('button', { name: 'Approve and complete' }).click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000005');
    await page.getByTestId('new-sale').click();
  });

  it("paints the page's price at once, and the node's when the node prices the cart otherwise (logged)", async () => {
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    const pricedBy = () => page.locator('[data-priced-by]').getAttribute('data-priced-by');
    const qtys = async () => JSON.stringify(await page.getByTestId('qty').allTextContents());
    await scan(page, MILK.barcode);
    await until('priced by the node', async () => (await pricedBy()) === 'node', 8_000);
    expect(await text('grand-total')).toBe('$4.38');
    // Milk costs 1.00 more on the node, and the screen has not heard (no pull event): its book
    // is a snapshot behind.
    const [milk] = query<{ item_code: string }>(
      run.demo.store,
      'SELECT item_code FROM item_barcode WHERE barcode = ?',
      MILK.barcode,
    );
    const moveMilk = (by: number) => {
      const db = new Database(join(run.demo.store, 'store.db'));
      try {
        db.transaction(() => {
          db.prepare(
            'UPDATE item_price SET price_list_rate = price_list_rate + ? WHERE item_code = ?',
          ).run(by, milk?.item_code);
          db.prepare(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'snapshot_version'",
          ).run();
        })();
      } finally {
        db.close();
      }
    };
    // No pull may land meanwhile (it would publish ERPNext's price again): ERPNext goes away.
    const port = Number(new URL(run.demo.sim.url).port);
    await sim?.stop();
    sim = undefined;
    await until('offline shown', async () => (await text('connectivity')).startsWith('Offline'));
    moveMilk(1);
    try {
      await scan(page, COLA.barcode);
      await until(
        'two lines priced by the node',
        async () => (await qtys()) === '["1","1"]' && (await pricedBy()) === 'node',
        8_000,
      );
      expect(await text('grand-total')).toBe('$7.43');
      expect(warnings.length).toBe(1);
      expect(warnings[0]).toContain('the page priced the cart differently from the node');
      // What differed: milk's list price, a snapshot behind on the page.
      expect(warnings[0]).toContain('items.0.price_list_rate: 4.29 → 5.29');
      // The book was read again: the next scan's page price is the node's, nothing logged.
      await scan(page, COLA.barcode);
      await until(
        'two colas priced by the node',
        async () => (await qtys()) === '["1","2"]' && (await pricedBy()) === 'node',
        8_000,
      );
      expect(await text('grand-total')).toBe('$9.46');
      expect(warnings.length).toBe(1);
    } finally {
      moveMilk(-1);
      await page.getByRole('button', { name: 'Clear the cart' }).click();
      sim = await startDemoSim(join(run.dir, 'sim'), port);
    }
  }, 120_000);
});
