import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { INJECTED_SELECTOR } from './injection-strings.js';

export interface UiCheck {
  /** What the screen showed where each payload belongs, by place. */
  readonly shown: Readonly<Record<string, string>>;
  /** window.__outpostPwned after the screen showed every payload (undefined: nothing ran). */
  readonly pwned: unknown;
  /** Elements a payload made (0: every payload stayed text). */
  readonly injectedElements: number;
  /** Content-Security-Policy reports in the console (a payload that tried to run). */
  readonly cspViolations: number;
}

/**
 * The built cashier's screen in Chromium (/usr/bin/chromium via playwright-core): pairs with
 * `deviceToken`, logs `cashier` in, opens the customer search for `customerSearch` and the
 * carts on hold, reading what each place shows.
 */
export async function showInScreen(o: {
  url: string;
  deviceToken: string;
  cashier: { id: string; pin: string };
  customerSearch: string;
}): Promise<UiCheck> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    let cspViolations = 0;
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations += 1;
    });
    await page.goto(`${o.url}/#pair=${o.deviceToken}`);
    await page.getByRole('heading', { name: 'Cashier login' }).waitFor();
    await page.getByLabel('Cashier', { exact: true }).fill(o.cashier.id);
    await page.getByLabel('PIN', { exact: true }).fill(o.cashier.pin);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('cashier').waitFor();
    const shown: Record<string, string> = {};
    shown['cashier'] = await textOf(page, '[data-testid="cashier"]');
    await page.getByRole('button', { name: 'Add customer' }).click();
    await page.locator('#customer-search').fill(o.customerSearch);
    const found = page.getByRole('list', { name: 'Customers found' }).locator('li');
    await found.first().waitFor();
    shown['customers'] = (await found.allTextContents()).join('\n');
    await page.getByRole('button', { name: 'Cancel' }).click();
    // A terminal with no shift open asks for the float first; the holds are a step away.
    const back = page.getByRole('button', { name: 'Back to selling' });
    if ((await back.count()) > 0) await back.click();
    await page.getByTestId('recall-list').click();
    const holds = page.getByTestId('recall');
    await holds.first().waitFor();
    shown['holds'] = (await holds.allTextContents()).join('\n');
    return {
      shown,
      pwned: await page.evaluate('window.__outpostPwned'),
      injectedElements: await page.locator(INJECTED_SELECTOR).count(),
      cspViolations,
    };
  } finally {
    await browser.close();
  }
}

const textOf = async (page: Page, selector: string): Promise<string> =>
  (await page.locator(selector).first().textContent()) ?? '';
