import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { query } from '../pos/till-fixture.js';
import { prng, sellDay } from './day.js';
import { listAll, openSite, type Site } from './site.js';
import { newStore, pointStore } from './store.js';
import { pushedByUuid } from './verify.js';

/**
 * The offline day again, pushed through a hostile link by a process that keeps dying: a
 * quarter of the simulator's answers fail (502/503), reset the socket, or commit and then drop
 * the answer, while `outpost sync --push --once` — the built CLI, a child process — is killed
 * with SIGKILL after a random delay, run after run, until a run ends in exit 0. Nothing may be
 * doubled and nothing lost. Every random choice comes from SEED: a failure names it, and the
 * same seed replays the same faults and kill delays (the exact interleaving still depends on
 * the machine's timing).
 */

const BIN = join(import.meta.dirname, '../../dist/src/cli/main.js');
/**
 * Fewer sales than the fault-free scenario: the time here is the backoff each faulted job
 * waits for (1 s, doubling), and 24 sales with the returns, exchange, void, customers,
 * opening and closing already make ~40 runs and ~150 requests per mode (~60 s on 2 cores).
 */
const SALES = 24;
const SEED = Number(process.env['OUTPOST_SCENARIO_SEED'] ?? 4242);
/** 10 % 502/503, 5 % resets before anything happens, 10 % committed then dropped: 25 %. */
const FAULTS = { failRate: 0.1, resetRate: 0.05, commitThenDropRate: 0.1 } as const;

let sites: Site[] = [];
afterEach(async () => {
  await Promise.all(sites.map((s) => s.close()));
  sites = [];
});

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
}

/** `node dist/src/cli/main.js sync --push --once`, killed with SIGKILL after `killAfterMs`. */
function pushProcess(dir: string, killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      BIN,
      'sync',
      '--data',
      dir,
      '--push',
      '--once',
      '--json',
    ]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.resume();
    const timer =
      killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

/** When the store's next backed-off job may go (ms since the epoch), if one waits. */
const nextRetry = (dir: string): number =>
  query<{ at: number | null }>(
    dir,
    "SELECT max(next_at) AS at FROM push_job WHERE state NOT IN ('done', 'review')",
  )[0]?.at ?? 0;

describe.each(['pos_invoice', 'sales_invoice'] as const)(
  'faults and kill -9 during the push (%s)',
  (mode: PostingMode) => {
    it(`a quarter of requests faulted, the pusher killed at random: every sale exactly once (seed ${SEED})`, async () => {
      const site = await openSite({});
      sites.push(site);
      const dir = await newStore(site);
      site.down();
      pointStore(dir, site.url, mode);
      const day = await sellDay(dir, { count: SALES, seed: SEED });
      site.up();
      const faults = site.faults;
      if (!faults) throw new Error('the faults test needs the simulator');
      faults.set({ ...FAULTS, seed: SEED });

      const rand = prng(SEED + 1);
      const runs: Run[] = [];
      for (let i = 0; i < 200; i++) {
        // Two runs in three are killed, anywhere from start-up to well into the pushing.
        const kill = rand() < 2 / 3 ? 150 + Math.floor(rand() * 1_500) : null;
        const r = await pushProcess(dir, kill);
        runs.push(r);
        if (r.code === 0) break;
        // A backed-off job waits for its time: running sooner would only find it waiting.
        const wait = nextRetry(dir) - Date.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, Math.min(wait, 5_000)));
      }
      const counted = faults.counters();
      faults.clear();
      const summary = `seed ${SEED}: ${runs.length} runs, ${runs.filter((r) => r.signal === 'SIGKILL').length} killed, faults ${JSON.stringify(counted)}, exits ${runs.map((r) => r.code ?? r.signal).join(',')}`;
      expect(runs.at(-1)?.code, summary).toBe(0);
      expect(runs.filter((r) => r.signal === 'SIGKILL').length, summary).toBeGreaterThan(0);
      expect(counted['commit-then-drop'], summary).toBeGreaterThan(0);
      expect(query(dir, "SELECT count(*) AS n FROM push_job WHERE state != 'done'")).toEqual([
        { n: 0 },
      ]);

      // Per uuid: exactly one document, submitted (the void cancelled); none unknown.
      const expected = day.documents.map((d) => String(d['uuid'])).sort();
      const byUuid = await pushedByUuid(site, mode, expected);
      expect([...byUuid.keys()].sort()).toEqual(expected);
      const voided = String(day.sales.at(-1)?.['uuid']);
      for (const uuid of expected) {
        expect([uuid, (byUuid.get(uuid) ?? []).map((d) => d['docstatus'])]).toEqual([
          uuid,
          [uuid === voided ? 2 : 1],
        ]);
      }
      // The shift's opening and closing (pos_invoice) and each offline customer: once.
      if (mode === 'pos_invoice') {
        for (const doctype of ['POS Opening Entry', 'POS Closing Entry']) {
          const rows = await listAll(
            site,
            doctype,
            [['outpost_shift_uuid', 'is', 'set']],
            ['docstatus'],
          );
          expect([doctype, rows]).toEqual([doctype, [{ docstatus: 1 }]]);
        }
      }
      for (const c of day.customers) {
        const rows = await listAll(site, 'Customer', [['outpost_customer_uuid', '=', c['uuid']]]);
        expect([c['customer_name'], rows.length]).toEqual([c['customer_name'], 1]);
      }
    }, 240_000);
  },
);
