import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium; the test command installs it (apt-get install chromium). */
export const CHROMIUM = '/usr/bin/chromium';

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Opens `html` in headless Chromium and runs `use` on the page; the browser always closes. */
export async function withPage<T>(html: string, use: (page: Page) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 380, height: 900 },
      deviceScaleFactor: 2,
    });
    await page.setContent(html, { waitUntil: 'load' });
    return await use(page);
  } finally {
    await browser.close();
  }
}
