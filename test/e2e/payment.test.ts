import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan, seriousViolations, shoot, until } from './browser.js';
import { demoPerFile, textOf } from './demo-run.js';

/*
 * What is settled at payment, end to end: a member's balance shown once chosen, points earned
 * on a sale, then redeemed within what the node allows; a discount on the whole sale, which a
 * manager approves by PIN over the cashier's limit. Run `npm run build` first.
 */

const MILK = '0742710093377';
const COLA = '0705541946434';

const run = demoPerFile('payment');
let page: Page;

beforeAll(async () => {
  page = await run.page();
});

const text = (testId: string) => textOf(page, testId);

/** A member of Outpost Rewards (1 point per 1.00 spent; a point is worth 0.01). */
async function chooseMember(): Promise<void> {
  await page.getByRole('button', { name: 'Add customer' }).click();
  await page.getByLabel('Customer name, phone or card').fill('Aisha Jackson');
  await page.getByRole('button', { name: /^Aisha Jackson/ }).click();
  await until('customer set', async () => (await text('customer')) === 'Aisha Jackson');
}

async function basket(): Promise<void> {
  await page.locator('body').click({ position: { x: 5, y: 200 } });
  for (const code of [MILK, MILK, COLA]) await scan(page, code);
  // The page paints its own price first; the customer's points come with the node's.
  await until(
    'priced by the node',
    async () =>
      (await page.locator('[data-priced-by="node"]').count()) === 1 &&
      (await text('grand-total')) === '$9.90',
  );
}

describe('loyalty at the till', () => {
  it('shows a member’s points and earns on the sale', async () => {
    await page.goto(run.demo.pairUrl);
    await page.getByLabel('Cashier', { exact: true }).fill('alice');
    await page.getByLabel('PIN', { exact: true }).fill('1234');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('cashier').waitFor();
    await chooseMember();
    await basket();
    expect(await text('grand-total')).toBe('$9.90');
    expect(await text('loyalty-balance')).toBe('Outpost Rewards: 0 points · this sale earns 9');
    await page.keyboard.press('F9');
    await page.getByTestId('quick-cash').first().click();
    await until('change priced', async () => (await text('change')) === '$0.00');
    await page.getByTestId('complete').click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000001');
    await page.getByTestId('new-sale').click();
  });

  it('redeems the points at payment: the amount due drops by their value', async () => {
    await chooseMember();
    await basket();
    expect(await text('loyalty-balance')).toBe('Outpost Rewards: 9 points · this sale earns 9');
    await page.keyboard.press('F9');
    await page.getByLabel(/^Points to redeem/).fill('999');
    expect(await page.getByRole('alert').first().textContent()).toBe(
      'At most 9 points on this sale.',
    );
    await page.getByRole('button', { name: /^Use \d+$/ }).click();
    await until('redeemed', async () => (await text('redeemed')) !== '');
    expect(await text('redeemed')).toBe('9 points: −$0.09');
    expect(await text('due')).toBe('$9.81');
    await shoot(page, 'loyalty');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('quick-cash').first().click();
    await until('change priced', async () => (await text('change')) === '$0.00');
    expect(await text('paid')).toBe('$9.90');
    await page.getByTestId('complete').click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000002');
    const receipt = page.frameLocator('iframe.paper');
    await receipt.locator('svg').first().waitFor();
    const printed = await receipt.locator('body').innerText();
    // The points' value paid as a tender; what was redeemed, earned and is left.
    expect(printed).toContain('Cash\n9.81\nLoyalty (9 pts)\n0.09\nChange\n0.00');
    expect(printed).toContain('Loyalty points\nRedeemed\n9\nEarned\n9\nBalance\n9');
    await page.getByTestId('new-sale').click();
  });

  it('gives a discount on the whole sale once a manager approves it by PIN', async () => {
    await basket();
    expect(await text('grand-total')).toBe('$9.90');
    await page.keyboard.press('F9');
    await page.getByLabel('Discount on the sale (%)').fill('10');
    await until('discounted', async () => (await text('sale-discount')) !== '');
    expect(await text('sale-discount')).toBe('Discount: −$0.99');
    expect(await text('due')).toBe('$8.91');
    await page.getByTestId('quick-cash').first().click();
    await until('change priced', async () => (await text('change')) === '$0.00');
    await page.getByTestId('complete').click();
    // The demo's POS Profile lets no cashier change discounts (allow_discount_change 0).
    await page.getByText('A manager must approve this sale.').waitFor();
    await page.getByLabel('Manager', { exact: true }).fill('maya');
    await page.getByLabel('Manager PIN').fill('9876');
    await page.getByRole('button', { name: 'Approve and complete' }).click();
    await page.getByTestId('invoice-no').waitFor();
    expect(await text('invoice-no')).toBe('STORE-NORTH-T1-2026-000003');
    const receipt = page.frameLocator('iframe.paper');
    await receipt.locator('svg').first().waitFor();
    // The rule's 0.86 on the milk and the sale's 0.99; the 2 % tax worked back from 8.91.
    expect(await receipt.locator('body').innerText()).toContain(
      'Discounts\n-1.85\nTax\n0.17\nTOTAL USD\n8.91\nCash\n8.91',
    );
    await page.getByTestId('new-sale').click();
  });
});
