import { seededRandom } from '../src/sim/faults.js';
import { checkErpnext, checkLocal, journalSales } from './lib/checks.js';
import { MODE, owed, prepare } from './lib/harness.js';
import { LoadGenerator } from './lib/load-generator.js';
import { freePort, kill9, startServe, stop, type NodeProcess } from './lib/node-process.js';
import type { PartOptions, PartResult, TorturePart } from './types.js';

/**
 * Part 1 (issue 14): `outpost serve` (the built CLI, a child process, push and pull loops on)
 * while terminals sell over its API; SIGKILL at random moments and at aimed ones, restart,
 * again. Each kill is aimed at one of:
 *  - sale: any moment of the selling;
 *  - after-commit: the node runs with OUTPOST_TORTURE_PAUSE=after-commit:150 (a sale is durable
 *    and its 201 not yet sent: src/server/torture-pause.ts), killed while sales are in flight;
 *  - push: the moment the simulator takes an invoice insert, batch insert or submit (performed and
 *    the node dies before its outbox records it), or on a commit-then-drop (2% of requests);
 *  - pull: the moment the node reads ERPNext's catalog or settings (a GET, or a count);
 *  - closing: right after a terminal sends its shift closing (Z report).
 * Then every promise is checked: lib/checks.ts.
 */

const AIMS = ['sale', 'after-commit', 'push', 'pull', 'closing'] as const;
type Aim = (typeof AIMS)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const crashPart: TorturePart = {
  name: 'crash',
  title:
    'SIGKILL of the store node at random and aimed moments: nothing acknowledged lost, nothing doubled',
  run: runCrash,
};

/**
 * OUTPOST_TORTURE_CRASH_AIMS (a comma list of AIMS) and OUTPOST_TORTURE_CRASH_KILLS: a targeted
 * run (e.g. 100 kills aimed at the push only); unset, every aim and 20 (quick) or 500 kills.
 */
function targeting(quick: boolean): { crashes: number; aims: readonly Aim[] } {
  const kills = process.env['OUTPOST_TORTURE_CRASH_KILLS'];
  const crashes = kills === undefined ? (quick ? 20 : 500) : Number(kills);
  if (!Number.isSafeInteger(crashes) || crashes < 1) {
    throw new Error(`OUTPOST_TORTURE_CRASH_KILLS: ${kills} is not a whole number ≥ 1`);
  }
  const list = process.env['OUTPOST_TORTURE_CRASH_AIMS'];
  if (list === undefined) return { crashes, aims: AIMS };
  const aims = list.split(',').map((a) => a.trim());
  const unknown = aims.filter((a) => !(AIMS as readonly string[]).includes(a));
  if (unknown.length > 0 || aims.length === 0) {
    throw new Error(
      `OUTPOST_TORTURE_CRASH_AIMS: ${unknown.join(', ') || '(empty)'} is not an aim (aims: ${AIMS.join(', ')})`,
    );
  }
  return { crashes, aims: aims as Aim[] };
}

async function runCrash(o: PartOptions): Promise<PartResult> {
  const { crashes, aims } = targeting(o.quick);
  const terminals = 3;
  const rand = seededRandom(o.seed);
  const bench = await prepare(o, { pullMinutes: 0.05 });
  const { site, dir } = bench;
  const port = await freePort();
  const baseEnv = { OUTPOST_PUSH_BACKOFF_MS: '50' };
  const aimed = new Map<Aim, number>(AIMS.map((a) => [a, 0]));
  const missed = new Map<Aim, number>(AIMS.map((a) => [a, 0]));
  let node: NodeProcess | null = null;
  const restartMs: number[] = [];
  try {
    site.faults?.set({ commitThenDropRate: 0.02, seed: o.seed });
    node = await startServe(dir, port, baseEnv);
    const gen = new LoadGenerator(node.url, dir, bench.mix, rand);
    await gen.pair(terminals);
    o.log(`terminals ${gen.terminals.join(', ')} on ${node.url}`);
    let selling = true;
    let closing: Promise<unknown> = Promise.resolve();
    const workers = gen.terminals.map(async (_t, i) => {
      while (selling) {
        await gen.sell(i);
        // A node down refuses at once: do not spin while it restarts.
        if (node === null) await sleep(20);
      }
    });
    for (let k = 1; k <= crashes; k++) {
      const aim = aims[Math.floor(rand() * aims.length)] ?? 'sale';
      if (aim === 'after-commit') {
        // This life sells with the pause: restart into it first (a graceful stop, not counted).
        const old: NodeProcess = node;
        node = null;
        await stop(old);
        node = await startServe(dir, port, {
          ...baseEnv,
          OUTPOST_TORTURE_PAUSE: 'after-commit:150',
        });
      }
      const live: NodeProcess = node;
      const hit = await aimAt(aim, { site, gen, rand, onClose: (p) => void (closing = p) });
      if (!hit) missed.set(aim, (missed.get(aim) ?? 0) + 1);
      node = null;
      await kill9(live);
      aimed.set(aim, (aimed.get(aim) ?? 0) + 1);
      site.watch(null);
      const t0 = performance.now();
      node = await startServe(dir, port, baseEnv);
      restartMs.push(performance.now() - t0);
      if (k % 10 === 0 || k === crashes)
        o.log(
          `${k}/${crashes} kills; ${gen.counts.acked} sales acknowledged, ${gen.counts.unknown} cut off`,
        );
    }
    selling = false;
    await Promise.all([...workers, closing]);
    // The end of the day: every shift closed, faults off, the push drains.
    site.faults?.clear();
    for (let i = 0; i < terminals; i++) await gen.closeShift(i, false);
    // The drain ends as soon as nothing is owed; the limit only bounds a push that stalls (a quick
    // run sells 1,300–3,600 sales, depending on the pace the machine gives the terminals; a full
    // run of 500 kills left ~1,900 of 8,600 to push at its end, at ~3.5 documents/s).
    const drained = await drain(dir, o.quick ? 360_000 : 2_700_000);
    const code = node ? await stop(node) : 'not running';
    node = null;
    const local = await checkLocal(dir, gen.acked);
    const erp = await checkErpnext(site, dir, MODE, {
      warehouse: bench.warehouse,
      member: bench.mix.member,
      stockBefore: bench.stockBefore,
    });
    const left = owed(dir);
    const failures = [...local.failures, ...erp.failures];
    if (!drained) failures.push(`the push did not drain: ${JSON.stringify(left)}`);
    if (code !== '0') failures.push(`outpost serve's graceful stop exited ${code}`);
    const faults = site.faults?.counters();
    return {
      figures: {
        'SIGKILLs survived': crashes,
        ...Object.fromEntries(AIMS.map((a) => [`kills aimed at ${a}`, aimed.get(a) ?? 0])),
        ...Object.fromEntries(
          (['push', 'pull'] as const).map((a) => [
            `of those at ${a}, the moment did not come within 3 s (killed anyway)`,
            missed.get(a) ?? 0,
          ]),
        ),
        'commit-then-drop answers (simulator)': faults?.['commit-then-drop'] ?? 0,
        'restart to /healthz 200, mean ms': Math.round(
          restartMs.reduce((a, b) => a + b, 0) / Math.max(1, restartMs.length),
        ),
        'sales attempted': gen.counts.attempted,
        'sales refused while the node was down (never sent)':
          gen.counts.refused.get('sale 0 ') ?? 0,
        'sales acknowledged (201)': gen.counts.acked,
        'sales cut off by a kill (outcome unknown)': gen.counts.unknown,
        'shifts closed': gen.counts.shiftsClosed,
        ...local.figures,
        'sales kept whose 201 never arrived': gen.counts.unknown === 0 ? 0 : keptUnacked(dir, gen),
        ...erp.figures,
      },
      failures,
    };
  } finally {
    site.watch(null);
    if (node) await kill9(node);
    await site.close();
  }
}

/**
 * Waits for the moment `aim` names (at most a few seconds: a moment that does not come is
 * killed anyway, and counted); true when it came.
 */
async function aimAt(
  aim: Aim,
  o: {
    site: Awaited<ReturnType<typeof prepare>>['site'];
    gen: LoadGenerator;
    rand: () => number;
    onClose: (p: Promise<unknown>) => void;
  },
): Promise<boolean> {
  const { site, gen, rand } = o;
  if (aim === 'sale') {
    await sleep(200 + rand() * 1500);
    return true;
  }
  if (aim === 'after-commit') {
    // Let acknowledged sales flow a little, then land while a sale sits in its window.
    await sleep(300 + rand() * 700);
    return true;
  }
  if (aim === 'closing') {
    await sleep(100 + rand() * 500);
    const i = Math.floor(rand() * gen.terminals.length);
    o.onClose(gen.closeShift(i));
    // The request is on its way: kill within its handling.
    await sleep(rand() * 8);
    return true;
  }
  if (site.remote) {
    await sleep(200 + rand() * 1500);
    return false;
  }
  // The push writes invoices as drafts in batches (insert_many) or one by one (POST), then
  // submits each (PUT docstatus 1): a kill right after any of them lands between ERPNext
  // performing it and the outbox recording it. The pull reads the catalog and the settings
  // (GET of any other doctype, and the counts it pages by).
  const invoice = /\/api\/resource\/(Sales Invoice|POS Invoice)/;
  const wanted =
    aim === 'push'
      ? (r: { path: string; method: string }) => {
          const path = decodeURIComponent(r.path);
          return (
            (r.method === 'POST' && (invoice.test(path) || path.includes('insert_many'))) ||
            (r.method === 'PUT' && invoice.test(path))
          );
        }
      : (r: { path: string; method: string }) => {
          const path = decodeURIComponent(r.path);
          return (
            r.method === 'GET' &&
            (path.includes('frappe.client.get_count') ||
              (path.startsWith('/api/resource/') &&
                !invoice.test(path) &&
                !path.includes('Outpost')))
          );
        };
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      site.watch(null);
      resolve(false);
    }, 3000);
    site.watch((r) => {
      if (!wanted(r)) return;
      site.watch(null);
      clearTimeout(timer);
      // The simulator performs it synchronously after this; the kill lands around its answer.
      setImmediate(() => resolve(true));
    });
  });
}

/** Sales in the journal the generator never heard acknowledged (cut off after the commit). */
function keptUnacked(dir: string, gen: LoadGenerator): number {
  return journalSales(dir).filter((s) => !gen.acked.has(s.uuid)).length;
}

/** Polls until the outbox is empty (true) or `ms` passed (false). */
async function drain(dir: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    const { pending } = owed(dir);
    if (pending === 0) return true;
    if (Date.now() > end) return false;
    await sleep(250);
  }
}
