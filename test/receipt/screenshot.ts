/**
 * Writes docs/screenshots/receipt.png: a receipt's HTML rendered in Chromium. With a file
 * argument, that HTML (e.g. from `outpost receipt --data DIR NUMBER --format html --out F`);
 * without, the sample grocery receipt. Run with `npx tsx test/receipt/screenshot.ts [F]`; the
 * PNG is committed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildReceipt, renderHtml } from '../../src/receipt/index.js';
import { CHROMIUM, hasChromium, withPage } from './chromium.js';
import { sampleInput } from './fixture.js';

const out = fileURLToPath(new URL('../../docs/screenshots/receipt.png', import.meta.url));
if (!hasChromium()) {
  console.error(`${CHROMIUM} not found: apt-get install -y chromium`);
  process.exit(1);
}
const file = process.argv[2];
const html = file ? readFileSync(file, 'utf8') : renderHtml(buildReceipt(sampleInput()));
await withPage(html, (page) => page.screenshot({ path: out, fullPage: true }));
console.log(`wrote ${out}`);
