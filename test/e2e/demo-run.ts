import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startDemo, type Demo } from '../../src/cli/demo.js';
import { fastTimers } from '../server/node-fixture.js';
import { launch } from './browser.js';

/** The screen as a till shows it: desktop size, US English. */
export const TILL_VIEW = { viewport: { width: 1280, height: 800 }, locale: 'en-US' } as const;

/** One demo and one Chromium for a test file (`demoPerFile`); read inside tests and hooks. */
export interface DemoRun {
  readonly demo: Demo;
  readonly browser: Browser;
  /** The demo's data directory (its simulator's is `sim` in it). */
  readonly dir: string;
  /**
   * A new page (in `context`, or a context of its own) as the tests use one: the till's view,
   * and a step that cannot happen failing in 10 s, naming itself, before the test's timeout.
   */
  page(context?: BrowserContext): Promise<Page>;
}

/**
 * The demo as `npm start` runs it (simulator, store, the node serving the built UI from
 * dist/web: `npm run build` first), its loops' waits (connectivity probe, push backoff) 10×
 * faster than the wall clock, and Debian's Chromium: started before the file's tests, in a
 * temporary directory, and stopped and removed after them.
 */
export function demoPerFile(name: string): DemoRun {
  let started: { demo: Demo; browser: Browser; dir: string } | undefined;
  const get = () => {
    if (!started) throw new Error('the demo is read before its beforeAll ran');
    return started;
  };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `outpost-e2e-${name}-`));
    const demo = await startDemo({ dir, port: 0, simPort: 0, timers: fastTimers(10) });
    started = { dir, demo, browser: await launch() };
  }, 180_000);
  afterAll(async () => {
    await started?.browser.close();
    await started?.demo.close();
    if (started) rmSync(started.dir, { recursive: true, force: true });
  });
  return {
    get demo() {
      return get().demo;
    },
    get browser() {
      return get().browser;
    },
    get dir() {
      return get().dir;
    },
    async page(context) {
      const page = context ? await context.newPage() : await get().browser.newPage(TILL_VIEW);
      page.setDefaultTimeout(10_000);
      return page;
    },
  };
}

/** The text of an element by test id; '' while it is not on the page (no waiting). */
export async function textOf(page: Page, testId: string): Promise<string> {
  const l = page.getByTestId(testId);
  return (await l.count()) > 0 ? ((await l.first().textContent()) ?? '') : '';
}
