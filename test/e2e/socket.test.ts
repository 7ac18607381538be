import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UI_CSP } from '../../src/server/web.js';
import { scan, until } from './browser.js';
import { demoPerFile } from './demo-run.js';

/*
 * The scan's lookup over the socket the screen keeps open (src/server/ws.ts, web/src/api/
 * socket.ts), and the same scan by fetch when the socket cannot answer. The demo as `npm start`
 * runs it, serving the built screen (`npm run build` first).
 */

const MILK = { barcode: '0742710093377', name: 'Meadow Farms Whole Milk 1 gal' };
const COLA = { barcode: '0705541946434', name: 'Sparkle Cola 2 L' };

const run = demoPerFile('socket');

/** What the page's socket sent, frame by frame (its text). */
function framesOf(page: Page): string[] {
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  return sent;
}

async function login(page: Page): Promise<void> {
  const res = await page.goto(run.demo.pairUrl);
  // The screen's own policy: connect-src 'self', which same-origin ws: falls under.
  expect(res?.headers()['content-security-policy']).toBe(UI_CSP);
  await page.getByLabel('Cashier', { exact: true }).fill('alice');
  await page.getByLabel('PIN', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('cashier').waitFor();
}

/** The scans' requests the page timed, and those fetch carried (resource timing). */
const requests = async (page: Page) =>
  z.object({ measured: z.number(), fetched: z.number() }).parse(
    await page.evaluate(`({
      measured: performance.getEntriesByName('outpost:scan-request').length,
      fetched: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/pricing/scan')).length,
    })`),
  );

const amounts = (page: Page) => page.getByTestId('amount').allTextContents();

describe("the scan's lookup over the screen's socket", () => {
  it('goes over the socket kept open after login: no fetch, the line priced as by fetch', async () => {
    const page = await run.page();
    const csp: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) csp.push(m.text());
    });
    try {
      const sent = framesOf(page);
      await login(page);
      // The tokens go in the first frame, never in the URL.
      await until('the socket authenticated', () => Promise.resolve(sent.length > 0), 10_000);
      expect(
        Object.keys(z.record(z.string(), z.string()).parse(JSON.parse(sent[0] ?? ''))),
      ).toEqual(['device', 'session']);
      await scan(page, MILK.barcode);
      await scan(page, COLA.barcode);
      await until(
        'both lines priced',
        async () =>
          (await amounts(page)).every((t) => t.startsWith('$')) &&
          (await amounts(page)).length === 2,
      );
      expect(await amounts(page)).toEqual(['$4.29', '$1.99']);
      expect(await requests(page)).toEqual({ measured: 2, fetched: 0 });
      const scans = sent
        .slice(1)
        .map((t) => z.object({ method: z.string(), url: z.string() }).parse(JSON.parse(t)))
        .filter((m) => m.url.startsWith('/api/pricing/scan'));
      expect(scans.map((m) => `${m.method} ${m.url}`)).toEqual([
        `GET /api/pricing/scan?barcode=${MILK.barcode}`,
        `GET /api/pricing/scan?barcode=${COLA.barcode}`,
      ]);
      expect(csp).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('scans by fetch when the socket drops before its answer, and when the upgrade is refused', async () => {
    const page = await run.page();
    try {
      // Between the page and the node: the first socket carries the screen's requests but
      // drops at the first scan, before its answer; every socket after it is refused (a proxy
      // that does not pass upgrades). A routed socket is not in page.on('websocket').
      let authed = 0;
      let dropped = 0;
      let refused = 0;
      await page.routeWebSocket(/\/api\/ws$/, (ws) => {
        if (dropped > 0) {
          refused += 1;
          void ws.close({ code: 1008, reason: 'no upgrades here' });
          return;
        }
        const node = ws.connectToServer();
        ws.onMessage((m) => {
          if (String(m).includes('/api/pricing/scan')) {
            dropped += 1;
            void ws.close({ code: 1011, reason: 'gone' });
            return;
          }
          if (String(m).startsWith('{"device"')) authed += 1;
          node.send(m);
        });
      });
      await login(page);
      await until('the socket authenticated', () => Promise.resolve(authed === 1), 10_000);
      await scan(page, MILK.barcode);
      await until(
        'the line priced',
        async () => (await amounts(page))[0]?.startsWith('$') ?? false,
      );
      expect(await amounts(page)).toEqual(['$4.29']);
      expect(dropped).toBe(1);
      expect(await requests(page)).toEqual({ measured: 1, fetched: 1 });

      await until('the socket reopened and refused', () => Promise.resolve(refused > 0), 10_000);
      await scan(page, COLA.barcode);
      await until(
        'both lines priced',
        async () =>
          (await amounts(page)).length === 2 &&
          (await amounts(page)).every((t) => t.startsWith('$')),
      );
      expect(await amounts(page)).toEqual(['$4.29', '$1.99']);
      expect(await requests(page)).toEqual({ measured: 2, fetched: 2 });
    } finally {
      await page.close();
    }
  });
});
