import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scan, seriousViolations, shoot, until } from './browser.js';
import { demoPerFile, TILL_VIEW, textOf } from './demo-run.js';

/*
 * Two terminals of one store, end to end: the second browser pairs from the screen (it asks,
 * shows its code, a manager approves it on the first terminal's screen), both sell at once
 * (each receipt numbered in its own terminal's series), and a sale of the first is returned
 * at the second by scanning its receipt's QR. Run `npm run build` first (the node serves
 * dist/web).
 */

const COLA = { barcode: '0705541946434', name: 'Sparkle Cola 2 L' };
const MILK = { barcode: '0742710093377', name: 'Meadow Farms Whole Milk 1 gal' };

const run = demoPerFile('terminals');
let t1: Page;
let t2: Page;

beforeAll(async () => {
  // Two contexts: two browsers' worth of localStorage, as two terminals on the counter are.
  t1 = await run.page(await run.browser.newContext(TILL_VIEW));
  t2 = await run.page(await run.browser.newContext(TILL_VIEW));
});

async function login(page: Page, cashier: string, pin: string): Promise<void> {
  await page.getByRole('heading', { name: 'Cashier login' }).waitFor();
  await page.getByLabel('Cashier', { exact: true }).fill(cashier);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('cashier').waitFor();
}

/** Scans one cola and pays it with the exact cash; the sale is completed by `complete`. */
async function colaToPay(page: Page): Promise<void> {
  await page.locator('body').click({ position: { x: 5, y: 200 } });
  await scan(page, COLA.barcode);
  await until('priced', async () => (await textOf(page, 'grand-total')) === '$2.03');
  await page.keyboard.press('F9');
  await page.getByTestId('quick-cash').first().click();
  await until('change priced', async () => (await textOf(page, 'change')) === '$0.00');
}

describe('two terminals of one store', () => {
  it('pairs a second browser from the screen: it shows its code, a manager approves it on the first terminal', async () => {
    await t1.goto(run.demo.pairUrl);
    await login(t1, 'alice', '1234');

    await t2.goto(run.demo.node.url);
    await t2.getByRole('heading', { name: 'Pair this terminal' }).waitFor();
    await t2.getByLabel('Name of this terminal (optional)').fill('Counter 2');
    await t2.getByRole('button', { name: 'Ask to pair' }).click();
    await t2.getByTestId('pairing-code').waitFor();
    const code = await textOf(t2, 'pairing-code');
    // Crockford base 32 in two groups of four, as pos/devices.ts makes them.
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await textOf(t2, 'pairing-state')).toBe('Waiting for a manager to approve…');
    await shoot(t2, 'pairing');
    expect(await seriousViolations(t2)).toEqual([]);
    // A reload while waiting shows the same code (no second request).
    await t2.reload();
    await until('same code', async () => (await textOf(t2, 'pairing-code')) === code);

    await t1.getByRole('button', { name: 'Devices', exact: true }).click();
    await t1.getByLabel('Pairing code').fill(code.toLowerCase());
    await t1.getByLabel('Manager', { exact: true }).fill('maya');
    await t1.getByLabel('Manager PIN').fill('0000');
    await t1.getByRole('button', { name: 'Approve', exact: true }).click();
    await t1.getByText('Wrong cashier or PIN.').waitFor();
    expect(await textOf(t2, 'pairing-state')).toBe('Waiting for a manager to approve…');
    await t1.getByLabel('Manager PIN').fill('9876');
    await t1.getByRole('button', { name: 'Approve', exact: true }).click();
    await t1.getByTestId('device-approved').waitFor();
    expect(await textOf(t1, 'device-approved')).toBe(
      'Approved: Counter 2 sells at terminal T2 (a new terminal).',
    );
    await shoot(t1, 'approve-device');
    expect(await seriousViolations(t1)).toEqual([]);
    await t1.getByRole('button', { name: 'Back to selling' }).click();

    // The waiting screen learns it by itself and goes on to the login.
    await login(t2, 'maya', '9876');
    expect(await textOf(t2, 'cashier')).toBe('Maya Manager');
    // A new terminal has no shift: its float first.
    await t2.getByRole('button', { name: 'Open shift' }).waitFor();
    await t2.getByLabel('Cash').fill('50');
    await t2.getByRole('button', { name: 'Open shift' }).click();
    await t2.getByTestId('pay').waitFor();
  });

  it('sells on both at once, each receipt in its own terminal’s series', async () => {
    await colaToPay(t1);
    await colaToPay(t2);
    await Promise.all([t1.getByTestId('complete').click(), t2.getByTestId('complete').click()]);
    await Promise.all([
      t1.getByTestId('invoice-no').waitFor(),
      t2.getByTestId('invoice-no').waitFor(),
    ]);
    expect(await textOf(t1, 'invoice-no')).toBe('STORE-NORTH-T1-2026-000001');
    expect(await textOf(t2, 'invoice-no')).toBe('STORE-NORTH-T2-2026-000001');
    for (const [page, no] of [
      [t1, 'STORE-NORTH-T1-2026-000001'],
      [t2, 'STORE-NORTH-T2-2026-000001'],
    ] as const) {
      const receipt = page.frameLocator('iframe.paper');
      await receipt.locator('svg').first().waitFor();
      const body = (await receipt.locator('body').textContent()) ?? '';
      expect(body).toContain(no);
    }
  });

  it('returns the first terminal’s sale at the second by scanning its receipt QR', async () => {
    // What the first terminal's receipt carries in its QR, as a scanner would read it.
    const payload = await t1
      .frameLocator('iframe.paper')
      .locator('.qr')
      .getAttribute('data-payload');
    // The compact form: terminal, place in its chain, 60 bits of the record's hash.
    expect(payload).toMatch(/^OUTPOST\/T1\/\d+\/[0-9A-HJKMNP-TV-Z]{12}$/);
    const shown = t1.frameLocator('iframe.paper').locator('.qr .c');
    const [, seq, c = ''] = (payload ?? '').split('/').slice(1);
    expect(await shown.textContent()).toBe(
      `Check code T1/${seq}/${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`,
    );
    await t1.getByTestId('new-sale').click();
    await t2.getByTestId('new-sale').click();
    await t2.keyboard.press('F8');
    await scan(t2, payload ?? '');
    await until('receipt taken', async () => (await textOf(t2, 'return-against')) !== '');
    expect(await textOf(t2, 'return-against')).toBe(
      `T1/${seq}/${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`,
    );
    await t2.getByTestId('refund').click();
    await t2.getByTestId('invoice-no').waitFor();
    // The return is the second terminal's document, against the first's sale.
    expect(await textOf(t2, 'invoice-no')).toBe('STORE-NORTH-T2-2026-000002');
    expect(await textOf(t2, 'sale-change')).toBe('Refund: $2.03 Cash');
    expect(await textOf(t2, 'return-of')).toBe('Against receipt STORE-NORTH-T1-2026-000001');
    await t2.getByTestId('new-sale').click();
    // Returned once: the check code typed off the paper finds the same sale, nothing left on it.
    await t2.keyboard.press('F8');
    await t2
      .getByLabel('Receipt number or check code')
      .fill(
        `T1/${seq}/${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`.replace(/[A-Z]+$/, (x) =>
          x.toLowerCase(),
        ),
      );
    await t2.getByRole('button', { name: 'Use this receipt' }).click();
    await t2.getByTestId('refund').click();
    await t2.getByTestId('return-error').waitFor();
    expect(await textOf(t2, 'return-error')).toBe(
      'everything on this receipt was already returned',
    );
    await t2.getByRole('button', { name: 'Cancel the return' }).click();
  });

  it('a revoked terminal says so, and its screen asks to pair again', async () => {
    // The manager revokes the second device over the node's API (as a manager's tool would),
    // logged in at the node's own terminal.
    const call = async (
      status: number,
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ): Promise<unknown> => {
      const res = await fetch(`${run.demo.node.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          'x-outpost-device': run.demo.deviceToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer: unknown = await res.json();
      expect({ path, status: res.status }).toEqual({ path, status });
      return answer;
    };
    const session = z
      .object({ session_token: z.string() })
      .parse(await call(201, '/api/session', {}, { cashier: 'maya', pin: '9876' }));
    const as = { 'x-outpost-session': session.session_token };
    const { devices } = z
      .object({ devices: z.array(z.object({ device_id: z.string(), label: z.string() })) })
      .parse(await call(200, '/api/terminals', as));
    const counter2 = devices.find((d) => d.label === 'Counter 2');
    expect(counter2).toBeDefined();
    await call(200, `/api/devices/${counter2?.device_id ?? ''}/revoke`, as, {
      manager: { id: 'maya', pin: '9876' },
    });
    // The next thing the second terminal asks of the node is refused: it says why.
    await t2.locator('body').click({ position: { x: 5, y: 200 } });
    await scan(t2, MILK.barcode);
    await t2.getByRole('heading', { name: 'Pair this terminal' }).waitFor();
    expect(await textOf(t2, 'unpaired-reason')).toBe(
      'A manager revoked this terminal: pair it again.',
    );
  });
});
