import { describe, expect, it } from 'vitest';
import { buildReceipt, renderHtml } from '../../src/receipt/index.js';
import { CHROMIUM, hasChromium, withPage } from './chromium.js';
import { sampleInput } from './fixture.js';

if (!hasChromium()) {
  console.warn(
    `skipping the Chromium receipt test: ${CHROMIUM} is absent (apt-get install -y chromium)`,
  );
}

describe.skipIf(!hasChromium())('the HTML receipt in Chromium', () => {
  it('shows the invoice number and total, 80 mm wide, with the QR drawn', async () => {
    const html = renderHtml(buildReceipt(sampleInput()));
    const seen = await withPage(html, async (page) => ({
      text: await page.locator('body').innerText(),
      body: await page.locator('body').boundingBox(),
      qr: await page.locator('.qr svg').boundingBox(),
    }));
    expect(seen.text).toContain('S01-T03-2026-000417');
    expect(seen.text).toMatch(/TOTAL USD\s+46\.47/);
    expect(seen.text).toContain('Dish Soap <Lemon> & Lime');
    // 80 mm at CSS's 96 px per inch.
    expect(seen.body?.width).toBeCloseTo((80 / 25.4) * 96, 0);
    expect(seen.qr?.width).toBeGreaterThan(100);
    expect(seen.qr?.height).toBe(seen.qr?.width);
  });
});
