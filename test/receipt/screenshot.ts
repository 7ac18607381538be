/**
 * Writes docs/screenshots/receipt.png: the sample grocery receipt's HTML rendered in Chromium.
 * Run once with `npx tsx test/receipt/screenshot.ts`; the PNG is committed.
 */
import { fileURLToPath } from 'node:url';
import { buildReceipt, renderHtml } from '../../src/receipt/index.js';
import { CHROMIUM, hasChromium, withPage } from './chromium.js';
import { sampleInput } from './fixture.js';

const out = fileURLToPath(new URL('../../docs/screenshots/receipt.png', import.meta.url));
if (!hasChromium()) {
  console.error(`${CHROMIUM} not found: apt-get install -y chromium`);
  process.exit(1);
}
const html = renderHtml(buildReceipt(sampleInput()));
await withPage(html, (page) => page.screenshot({ path: out, fullPage: true }));
console.log(`wrote ${out}`);
