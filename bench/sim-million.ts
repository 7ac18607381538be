/**
 * The simulator at catalog scale: loads the demo seed with N items into a fresh on-disk site
 * (seedEmpty + loadDemoSeed, the path `outpost sim --items N` takes), then pages through every
 * Item by (modified, name) keyset over the in-process handler while a writer changes a random
 * item between pages, and checks that nothing is missed or repeated. Prints the process RSS.
 *
 *   node --import tsx bench/sim-million.ts [N=1000000] [DIR]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/sim/app.js';
import { systemClock } from '../src/sim/clock.js';
import { SimDb } from '../src/sim/db.js';
import type { SimResponse } from '../src/sim/http-types.js';
import { seedEmpty } from '../src/sim/seed-empty.js';
import { loadDemoSeed } from '../src/sim/seed/load.js';
import { seededRandom } from '../src/sim/faults.js';

const N = Number(process.argv[2] ?? 1_000_000);
const keep = process.argv[3] !== undefined;
const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'outpost-sim-bench-'));
const KEY = 'bench-key';
const SECRET = 'bench-secret';
const PAGE = 5000;
const TZ = 'America/New_York';

/** mulberry32, seeded: every run makes the same choices. */
const rng = seededRandom;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * CPU seconds (user + system) this thread has used (Linux /proc; undefined elsewhere): under
 * other load, what the writing thread needs is the floor of the wall time a load can reach.
 */
function threadCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ');
    const ticks = Number(fields?.[11]) + Number(fields?.[12]);
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

// (1) Load.
const db = SimDb.open(join(dir, 'sim.db'));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const thread0 = threadCpuSeconds();
seedEmpty(db, systemClock, { timeZone: TZ, apiKey: KEY, apiSecret: SECRET });
const app = createApp({ db, clock: systemClock, config: { timeZone: TZ } });
const loaded = loadDemoSeed(app, { items: N });
const loadSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const thread1 = threadCpuSeconds();
const itemNames = db.sql
  .prepare<[], { name: string }>("SELECT name FROM docs WHERE doctype = 'Item'")
  .pluck()
  .all() as unknown as string[];
console.log(
  `load: ${N} items requested, ${loaded.counts['Item'] ?? 0} Item documents loaded ` +
    `(${itemNames.length} in the site), ${loaded.counts['Item Price'] ?? 0} Item Prices; ` +
    `${loadSeconds.toFixed(1)} s (seedEmpty + loadDemoSeed); load average ` +
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
);
console.log(
  `load CPU: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s in all threads` +
    (thread0 !== undefined && thread1 !== undefined
      ? `, ${(thread1 - thread0).toFixed(1)} s in the writing (main) thread`
      : ''),
);

// (2) Keyset paging under concurrent writes.
const headers = { authorization: `token ${KEY}:${SECRET}` };
const call = (
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
): SimResponse => app.handle({ method, path, headers, body, query: query ?? null });

const random = rng(42);
const seen = new Set<string>();
const lastSeen = new Map<string, string>();
const newest = new Map<string, string>();
let repeats = 0;
let rowsRead = 0;
let pages = 0;
let writes = 0;
let cursor = { modified: '1900-01-01 00:00:00.000000', name: '' };
let writing = true;
const t1 = performance.now();
for (;;) {
  const r = call('GET', '/api/resource/Item', undefined, {
    fields: JSON.stringify(['name', 'modified']),
    filters: JSON.stringify([['modified', '>=', cursor.modified]]),
    or_filters: JSON.stringify([
      ['modified', '>', cursor.modified],
      ['name', '>', cursor.name],
    ]),
    order_by: 'modified asc, name asc',
    limit_page_length: String(PAGE),
  });
  if (r.status !== 200) throw new Error(`page ${pages + 1}: ${r.status} ${JSON.stringify(r.body)}`);
  const rows = (r.body as { data: { name: string; modified: string }[] }).data;
  if (rows.length === 0) break;
  pages++;
  for (const row of rows) {
    rowsRead++;
    const key = `${row.name}\u0000${row.modified}`;
    if (seen.has(key)) repeats++;
    seen.add(key);
    lastSeen.set(row.name, row.modified);
  }
  const last = rows[rows.length - 1] as { name: string; modified: string };
  cursor = { modified: last.modified, name: last.name };
  // Keep writing while pages come back full; after a short page, drain what is left.
  if (rows.length < PAGE) writing = false;
  if (writing) {
    const name = itemNames[Math.floor(random() * itemNames.length)] as string;
    const w = call('PUT', `/api/resource/Item/${encodeURIComponent(name)}`, {
      item_name: `Changed ${writes + 1}`,
    });
    if (w.status !== 200) throw new Error(`PUT ${name}: ${w.status} ${JSON.stringify(w.body)}`);
    newest.set(name, (w.body as { data: { modified: string } }).data.modified);
    writes++;
  }
}
const pageSeconds = (performance.now() - t1) / 1000;
const missed = itemNames.filter((n) => !lastSeen.has(n)).length;
const stale = [...newest].filter(([n, m]) => lastSeen.get(n) !== m).length;
const pass = missed === 0 && repeats === 0 && stale === 0 && lastSeen.size === itemNames.length;
console.log(
  `paging: ${itemNames.length} items, ${lastSeen.size} distinct seen, ${rowsRead} rows read, ` +
    `${pages} pages of ≤${PAGE}, ${writes} writes (${newest.size} distinct items changed); ` +
    `missed ${missed}, repeated ${repeats}, changed but not seen at newest modified ${stale}; ` +
    `${pageSeconds.toFixed(1)} s; ${pass ? 'PASS' : 'FAIL'}`,
);

// (3) Memory.
console.log(`rss: ${mb(process.memoryUsage().rss)}`);
db.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exitCode = pass ? 0 : 1;
