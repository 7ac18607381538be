/**
 * The cashier's screen: scan → priced line painted, with 100 lines already in the cart. Starts
 * the demo (simulator with OUTPOST_BENCH_ITEMS items, default 50,000; store; node serving the
 * built screen: run `npm run build` first), opens the screen in Debian's Chromium, puts 100
 * lines in the cart, then for each sample scans a new item (the scanner's keys dispatched in
 * the page) and times, in the page, until the frame in which the new line shows its price and
 * the total is the node's for the whole cart. Run: `node --import tsx bench/ui-scan.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { startDemo } from '../src/cli/demo.js';
import { query } from '../test/pos/till-fixture.js';
import { launch, until } from '../test/e2e/browser.js';

const ITEMS = Number(process.env['OUTPOST_BENCH_ITEMS'] ?? 50_000);
const IN_CART = 100;
const SAMPLES = Number(process.env['OUTPOST_BENCH_SAMPLES'] ?? 40);

const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-ui-'));
const started = Date.now();
const demo = await startDemo({ dir, port: 0, simPort: 0, items: ITEMS });
const setupSeconds = (Date.now() - started) / 1000;
const browser = await launch();
try {
  // Items sold by the unit (no GS1 variable-measure labels, prefixes 20–29): the cart's lines,
  // then the ones scanned.
  const rows = query<{ item_code: string; item_name: string; barcode: string }>(
    demo.store,
    `SELECT b.item_code, b.item_name, min(b.barcode) AS barcode FROM item_barcode b
     WHERE b.uom = b.stock_uom AND b.barcode NOT GLOB '2[0-9]*' GROUP BY b.item_code ORDER BY b.item_code LIMIT ?`,
    IN_CART + SAMPLES,
  );
  const inCart = rows.slice(0, IN_CART);
  const scanned = rows.slice(IN_CART);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(demo.pairUrl);
  await page.getByLabel('Cashier', { exact: true }).fill('alice');
  await page.getByLabel('PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('cashier').waitFor();
  const cart = {
    lines: inCart.map((r, i) => ({
      id: i + 1,
      item_code: r.item_code,
      item_name: r.item_name,
      qty: '1',
    })),
    next: IN_CART + 1,
  };
  await page.evaluate(
    `localStorage.setItem('outpost.cart', ${JSON.stringify(JSON.stringify(cart))})`,
  );
  await page.reload();
  await page.getByTestId('grand-total').waitFor();
  const times: number[] = [];
  for (const [i, r] of scanned.entries()) {
    const keys = JSON.stringify([...r.barcode, 'Enter']);
    const want = IN_CART + 1;
    const ms: unknown = await page.evaluate(`new Promise((done) => {
      const t0 = performance.now();
      const target = document.activeElement ?? document.body;
      for (const key of ${keys}) {
        target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      }
      const painted = () => {
        const lines = document.querySelectorAll('[data-testid=cart-line]');
        const amounts = [...document.querySelectorAll('[data-testid=amount]')].map((e) => e.textContent);
        return lines.length === ${want} && amounts.length === ${want} && !amounts.includes('…') &&
          document.querySelector('[data-testid=grand-total]') !== null;
      };
      const frame = () => {
        if (painted()) done(performance.now() - t0);
        else if (performance.now() - t0 > 10000) done(-1);
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    })`);
    if (ms === -1) {
      const state = await page.evaluate("document.querySelector('main')?.innerText ?? ''");
      throw new Error(`scan ${r.barcode} (${r.item_code}) not painted in 10 s:\n${String(state)}`);
    }
    if (process.env['OUTPOST_BENCH_DEBUG']) console.error(i, ms);
    if (i > 0) times.push(z.number().parse(ms)); // the first warms the node's statements up
    // Back to 100 lines for the next sample.
    await page
      .getByTestId('cart-line')
      .last()
      .getByRole('button', { name: `Remove ${r.item_name}` })
      .click();
    // Polled from here: waitForFunction evaluates its text with eval, which the screen's CSP forbids.
    await until('back to 100 lines', async () =>
      z
        .boolean()
        .parse(
          await page.evaluate(
            `document.querySelectorAll('[data-testid=cart-line]').length === ${IN_CART} && document.querySelector('[data-testid=grand-total]') !== null`,
          ),
        ),
    );
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Number((times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0).toFixed(1));
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        catalog_items: ITEMS,
        setup_seconds: setupSeconds,
        lines_in_cart: IN_CART,
        samples: times.length,
        scan_to_priced_line_ms: { p50: at(0.5), p95: at(0.95), max: at(1) },
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await demo.close();
  rmSync(dir, { recursive: true, force: true });
}
