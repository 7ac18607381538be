/**
 * The cashier's screen: scan → priced line painted, with 100 lines already in the cart, then
 * into an empty cart. Starts the demo (simulator with OUTPOST_BENCH_ITEMS items, default 50,000;
 * store; node serving the built screen: run `npm run build` first), opens the screen in
 * Debian's Chromium, puts the lines in the cart, then for each sample scans a new item (the
 * scanner's keys dispatched in the page) and times it in the page (bench/ui-scan-sample.ts):
 * until the frame that paints the new line with its price and every line and the total priced,
 * with the split (the scan's request, the page's pricing, DOM committed); then on until the
 * node's own price of the cart is in (`data-priced-by=node`). The controls, in the same page
 * between samples: a bare `fetch('/healthz')` to the same node, and a bare round trip on a
 * socket to it (`bareSocketScript`), at once and after the same pause a scan comes after (a
 * first message after a pause costs more on this VM: idle processes and CPUs). The scan's lookup goes over the screen's socket;
 * OUTPOST_BENCH_SOCKET=off opens the screen with `?socket=off` (every request by fetch).
 * Run: `node --import tsx bench/ui-scan.ts`.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { paths, readStoreConfig, writePrivate } from '../src/cli/config.js';
import { ensureDemoStore, startDemoSim } from '../src/cli/demo.js';
import { startStoreNode } from '../src/cli/serve.js';
import { query } from '../test/pos/till-fixture.js';
import { launch, until } from '../test/e2e/browser.js';
import {
  bareSocketScript,
  sampleSchema,
  sampleScript,
  stats,
  type Sample,
} from './ui-scan-sample.js';

const ITEMS = Number(process.env['OUTPOST_BENCH_ITEMS'] ?? 50_000);
const IN_CART = 100;
/** Per cart size: 100 lines (the goal's), then an empty cart (the same scan with nothing to re-price). */
const SAMPLES = Number(process.env['OUTPOST_BENCH_SAMPLES'] ?? 40);
/**
 * The pause before each scan, from the moment the page settled after the last (ms). A till's
 * scans are at least the time it takes to pass the next item apart, far above this; back to
 * back (0) the scan lands while Chromium still ticks frames on its 16.7 ms grid for the last
 * one's paint, and waits for the next tick (up to a frame) after its DOM is ready — a cost of
 * the bench's own pace. Without it, the next scan followed 30 ms or 200 ms after the last
 * frame, by when `until` first polled.
 */
const PAUSE_MS = Number(process.env['OUTPOST_BENCH_PAUSE_MS'] ?? 400);
const SOCKET = process.env['OUTPOST_BENCH_SOCKET'] !== 'off';

/**
 * OUTPOST_BENCH_DIR keeps the simulator and the store between runs (the full run's 1M catalog
 * takes minutes to seed and pull): a rerun starts both on what is there. Without it, a
 * temporary directory, removed after.
 */
const kept = process.env['OUTPOST_BENCH_DIR'];
const dir = kept ?? mkdtempSync(join(tmpdir(), 'outpost-bench-ui-'));
const reused = kept !== undefined && existsSync(join(dir, 'store', 'demo-ready'));
const started = Date.now();
const demo = await startBenchDemo(dir);
const setupSeconds = (Date.now() - started) / 1000;

/**
 * `startDemo`'s simulator, store and node, except that a kept store is pointed at this run's
 * simulator (a free port each run, so two runs or another engineer's never collide).
 */
async function startBenchDemo(at: string) {
  const sim = await startDemoSim(join(at, 'sim'), 0, ITEMS);
  try {
    const store = await ensureDemoStore(at, sim);
    const config = readStoreConfig(store);
    if (config.erpnext_url !== sim.url) {
      writePrivate(
        paths(store).config,
        `${JSON.stringify({ ...config, erpnext_url: sim.url }, null, 2)}\n`,
      );
    }
    const node = await startStoreNode(store, '127.0.0.1', 0, { logger: pino({ level: 'warn' }) });
    if (node.deviceToken === null) throw new Error(`${store}: the till is bound to another device`);
    return {
      store,
      pairUrl: `${node.url}/${SOCKET ? '' : '?socket=off'}#pair=${node.deviceToken}`,
      close: async () => {
        await node.close();
        await sim.stop();
      },
    };
  } catch (e) {
    await sim.stop();
    throw e;
  }
}
const browser = await launch();
try {
  // Items sold by the unit (no GS1 variable-measure labels, prefixes 20–29): the cart's lines,
  // then the ones scanned.
  const rows = query<{ item_code: string; item_name: string; barcode: string }>(
    demo.store,
    `SELECT b.item_code, b.item_name, min(b.barcode) AS barcode FROM item_barcode b
     WHERE b.uom = b.stock_uom AND b.barcode NOT GLOB '2[0-9]*' GROUP BY b.item_code ORDER BY b.item_code LIMIT ?`,
    IN_CART + 2 * SAMPLES,
  );
  const inCart = rows.slice(0, IN_CART);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The screen logs a page price the node contradicted (src/pricing/reconcile.ts).
  let mismatches = 0;
  page.on('console', (m) => {
    if (m.text().startsWith('outpost: the page priced')) mismatches += 1;
  });
  await page.goto(demo.pairUrl);
  await page.getByLabel('Cashier', { exact: true }).fill('alice');
  await page.getByLabel('PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('cashier').waitFor();

  // Polled from here: waitForFunction evaluates its text with eval, which the screen's CSP forbids.
  const settled = (lines: number) =>
    until(`the cart back to ${lines} lines, priced by the node`, async () =>
      z
        .boolean()
        .parse(
          await page.evaluate(
            lines === 0
              ? `document.querySelector('[data-testid=cart-empty]') !== null`
              : `document.querySelectorAll('[data-testid=cart-line]').length === ${lines} && document.querySelector('[data-priced-by=node]') !== null`,
          ),
        ),
    );

  // OUTPOST_BENCH_PROFILE=FILE: the page's CPU profile over the timed scans (DevTools format).
  const profileTo = process.env['OUTPOST_BENCH_PROFILE'];
  const cdp = profileTo ? await page.context().newCDPSession(page) : null;
  // OUTPOST_BENCH_TRACE=FILE: Chromium's trace of the timed scans (chrome://tracing, Perfetto).
  const traceTo = process.env['OUTPOST_BENCH_TRACE'];
  const tracer = traceTo ? await page.context().newCDPSession(page) : null;

  /** Scans each item into a cart of `lines` lines, then takes it out again. */
  const measure = async (lines: number, scanned: typeof rows) => {
    const cart = {
      lines: inCart.slice(0, lines).map((r, i) => ({
        id: i + 1,
        item_code: r.item_code,
        item_name: r.item_name,
        qty: '1',
      })),
      next: lines + 1,
    };
    await page.evaluate(
      lines === 0
        ? `localStorage.removeItem('outpost.cart')`
        : `localStorage.setItem('outpost.cart', ${JSON.stringify(JSON.stringify(cart))})`,
    );
    await page.reload();
    await page.getByTestId('cashier').waitFor();
    await settled(lines);
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const traceEvents: unknown[] = [];
    const collect = (e: { value: object[] }) => traceEvents.push(...e.value);
    const traced = new Promise<void>((r) => tracer?.once('Tracing.tracingComplete', () => r()));
    if (tracer) {
      tracer.on('Tracing.dataCollected', collect);
      await tracer.send('Tracing.start', {
        categories: 'devtools.timeline,blink.user_timing,loading',
        transferMode: 'ReportEvents',
      });
    }
    const load = [loadavg()[0] ?? 0];
    const samples: Sample[] = [];
    const fetches: number[] = [];
    const sockets: number[] = [];
    const idleSockets: number[] = [];
    for (const [i, r] of scanned.entries()) {
      const sample = sampleSchema.parse(await page.evaluate(sampleScript(r.barcode, lines)));
      if (sample.frame === -1) {
        const state = await page.evaluate("document.querySelector('main')?.innerText ?? ''");
        throw new Error(
          `scan ${r.barcode} (${r.item_code}) not painted in 10 s:\n${String(state)}`,
        );
      }
      if (process.env['OUTPOST_BENCH_DEBUG']) console.error(lines, i, sample);
      // The first warms the node's statements and the page's engine up.
      if (i > 0) samples.push(sample);
      await page
        .getByTestId('cart-line')
        .last()
        .getByRole('button', { name: `Remove ${r.item_name}` })
        .click();
      await settled(lines);
      const bare: unknown = await page.evaluate(
        `(async () => { const t0 = performance.now(); await (await fetch('/healthz')).text(); return performance.now() - t0; })()`,
      );
      if (i > 0) fetches.push(z.number().parse(bare));
      const bareSocket: unknown = await page.evaluate(bareSocketScript);
      if (i > 0) sockets.push(z.number().parse(bareSocket));
      // The same round trip after the pause a scan waits (the node, the browser's network
      // process and their CPUs idle for as long), then the pause again before the scan.
      if (PAUSE_MS > 0) {
        await new Promise((r) => setTimeout(r, PAUSE_MS));
        const idle: unknown = await page.evaluate(bareSocketScript);
        if (i > 0) idleSockets.push(z.number().parse(idle));
      }
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    load.push(loadavg()[0] ?? 0);
    if (tracer && traceTo) {
      await tracer.send('Tracing.end');
      await traced;
      tracer.removeListener('Tracing.dataCollected', collect);
      writeFileSync(`${traceTo}.${lines}.json`, JSON.stringify(traceEvents));
    }
    if (cdp && profileTo) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${profileTo}.${lines}.cpuprofile`, JSON.stringify(profile));
    }
    const of = (k: keyof Sample) => stats(samples.map((x) => Number(x[k])));
    return {
      lines_in_cart: lines,
      samples: samples.length,
      pause_before_each_scan_ms: PAUSE_MS,
      load_avg_1m: { start: load[0], end: load[1] },
      scan_to_priced_line_ms: of('frame'),
      painted_with_the_page_price: samples.filter((x) => x.by === 'page').length,
      of_which_keys_to_request_ms: of('keys_to_request'),
      of_which_scan_request_ms: of('request'),
      of_which_page_pricing_ms: of('pricing'),
      scan_to_dom_committed_ms: of('commit'),
      scan_to_node_price_ms: of('node'),
      control_bare_fetch_ms: stats(fetches),
      control_bare_socket_ms: stats(sockets),
      ...(PAUSE_MS > 0 ? { control_bare_socket_after_pause_ms: stats(idleSockets) } : {}),
    };
  };

  const full = await measure(IN_CART, rows.slice(IN_CART, IN_CART + SAMPLES));
  const empty = await measure(0, rows.slice(IN_CART + SAMPLES));
  console.log(
    JSON.stringify(
      {
        date: new Date().toISOString(),
        catalog_items: ITEMS,
        scan_transport: SOCKET ? 'socket' : 'fetch',
        setup_seconds: setupSeconds,
        store_reused: reused,
        runs: [full, empty],
        page_node_mismatches: mismatches,
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await demo.close();
  if (kept === undefined) rmSync(dir, { recursive: true, force: true });
}
