import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';

/** Debian's Chromium (scripts/test-deps.sh installs it), driven by playwright-core. */
export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });

/**
 * docs/screenshots (shown in the README) when OUTPOST_SCREENSHOTS=1, to refresh them on purpose;
 * otherwise a temporary directory, so a test run leaves the work tree as it found it.
 */
export const SHOTS =
  process.env['OUTPOST_SCREENSHOTS'] === '1'
    ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
    : join(tmpdir(), 'outpost-e2e-screenshots');

/** Saves the page as SHOTS/NAME.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/**
 * A keyboard-wedge scanner: the code's keys and Enter as key events on whatever has the focus
 * (nothing, here: the body), a few microseconds apart as a scanner sends them. Dispatched in
 * the page in one go: typed through the DevTools protocol one key per round trip, the keys
 * reach the page as slowly as a busy machine lets them, slower than any scanner.
 */
export async function scan(page: Page, code: string): Promise<void> {
  const keys = JSON.stringify([...code, 'Enter']);
  await page.evaluate(`(() => {
    const target = document.activeElement ?? document.body;
    for (const key of ${keys}) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      target.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true }));
    }
  })()`);
}

/** Waits until `ok` holds, polling. */
export async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const violationsSchema = z.array(
  z.object({ id: z.string(), impact: z.string().nullable(), help: z.string() }),
);

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<z.output<typeof violationsSchema>> {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axe);
  const found: unknown = await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help })))`,
  );
  return violationsSchema
    .parse(found)
    .filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
