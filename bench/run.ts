/**
 * `npm run bench`: every bench of bench/suite.ts as a child process, one after the other, each
 * one's figures collected (its --json FILE, or what it prints), then ONE table: figure,
 * measured, control, ratio, goal, ✅/❌. A full run rewrites the block between
 * `<!-- bench:begin -->` and `<!-- bench:end -->` at the top of docs/BENCHMARKS.md with the
 * machine, the date, the load average before and after each bench and its command.
 *
 * The 1M-item store the node benches share is made first, once, and kept under
 * ~/.cache/outpost-bench/run-1000000 (bench/node-store.ts remakes it when older than 48 h).
 *
 *   npm run build && npm run bench [-- --quick] [-- --only NAME[,NAME…]]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseJsonWith } from '../src/core/index.js';
import { figureSchema, reportSchema, type Figure } from './figures.js';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { run } from '../src/cli/run.js';
import { MANAGER, cli, ensureStore } from './node-store.js';
import { BENCHES, sizes, type Bench } from './suite.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
/** --write: rewrite the doc's block even for a partial or quick run (to check the runner). */
const WRITE = argv.includes('--write');
const onlyAt = argv.indexOf('--only');
const ONLY = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : null;
const ROOT = join(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs', 'BENCHMARKS.md');
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';
const TIMEOUT_MS = 20 * 60_000;

const unknown = (ONLY ?? []).filter((n) => !BENCHES.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(
    `--only: no bench named ${unknown.join(', ')} (${BENCHES.map((b) => b.name).join(', ')})`,
  );
  process.exit(2);
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Result {
  readonly bench: Bench;
  readonly command: string;
  readonly seconds: number;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly figures: Figure[];
  readonly notes: string[];
  readonly error: string | null;
}

/** Runs one bench, its output echoed as it goes; resolves with its exit code and stdout. */
function runChild(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      out += s;
      process.stdout.write(s);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS);
    // 'close', not 'exit': the last of its stdout has been read by then.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), out });
    });
  });
}

async function runBench(b: Bench, scratch: string): Promise<Result> {
  const s = sizes(QUICK);
  const jsonFile = join(scratch, `${b.name}.json`);
  const args = [...(b.node ?? []), '--import', 'tsx', b.script, ...b.args(s, QUICK)];
  const full = b.read === 'json' ? [...args, '--json', jsonFile] : args;
  const env = b.env?.(QUICK) ?? {};
  const command = [
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    'node',
    ...args.map((a) => a.replace(process.env['HOME'] ?? '\0', '~')),
  ].join(' ');
  console.log(`\n=== ${b.name}: ${command}`);
  const loadBefore = load();
  const t0 = performance.now();
  const { code, out } = await runChild(process.execPath, full, env);
  const seconds = (performance.now() - t0) / 1000;
  const loadAfter = load();
  let figures: Figure[] = [];
  let notes: string[] = [];
  let error: string | null = code === 0 ? null : `exit ${code}`;
  if (!error) {
    try {
      if (b.read === 'json') {
        const r = parseJsonWith(reportSchema, readFileSync(jsonFile, 'utf8'), jsonFile);
        figures = r.figures;
        notes = r.notes;
      } else {
        figures = b.read(out).map((f) => figureSchema.parse(f));
      }
    } catch (e) {
      error = `its output could not be read: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return { bench: b, command, seconds, loadBefore, loadAfter, figures, notes, error };
}

const cell = (s: string | undefined) => (s ?? '–').replaceAll('|', '\\|');
const mark = (ok: boolean | null | undefined) => (ok === true ? '✅' : ok === false ? '❌' : '');

function table(results: readonly Result[]): string {
  const lines = [
    '| bench | figure | measured | control, same run | ratio | goal | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    if (r.error)
      lines.push(`| ${r.bench.name} | **did not finish: ${cell(r.error)}** | | | | | ❌ |`);
    for (const f of r.figures) {
      lines.push(
        `| ${r.bench.name} | ${cell(f.figure)} | ${cell(f.measured)} | ${cell(f.control)} | ${cell(f.ratio)} | ${cell(f.goal)} | ${mark(f.ok)} |`,
      );
    }
  }
  return lines.join('\n');
}

function block(
  results: readonly Result[],
  started: Date,
  storeNote: string,
  total: number,
): string {
  const cpu = cpus();
  const runs = results.map(
    (r) =>
      `| ${r.bench.name} | \`${r.command}\` | ${r.seconds.toFixed(0)} s | ${r.loadBefore} | ${r.loadAfter} | ${r.bench.note ?? ''} |`,
  );
  const notes = results.flatMap((r) => r.notes.map((n) => `- ${r.bench.name}: ${n}`));
  return [
    BEGIN,
    '',
    `## Last run: \`npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\`, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC (generated)`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}. ` +
      `Whole run ${(total / 60).toFixed(1)} min. ${storeNote} This block is rewritten by each full run ` +
      '(`npm run build && npm run bench`); the reading of it and the history are below it.',
    '',
    table(results),
    '',
    'Each bench, in run order (load average: 1, 5 and 15 min, before and after it):',
    '',
    '| bench | command | wall | load before | load after | sized so |',
    '| --- | --- | --- | --- | --- | --- |',
    ...runs,
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
    END,
  ].join('\n');
}

/** The block in place, the file formatted as `npm run format:check` wants it. */
async function writeDoc(text: string): Promise<void> {
  const doc = readFileSync(DOC, 'utf8');
  // The markers on lines of their own: the how-to text below the block names them too.
  const a = doc.search(new RegExp(`^${BEGIN}$`, 'm'));
  const b = doc.search(new RegExp(`^${END}$`, 'm'));
  let next: string;
  if (a >= 0 && b > a) {
    next = doc.slice(0, a) + text + doc.slice(b + END.length);
  } else {
    // First time: right under the title.
    const nl = doc.indexOf('\n');
    next = `${doc.slice(0, nl + 1)}\n${text}\n${doc.slice(nl + 1)}`;
  }
  const options = (await resolveConfig(DOC)) ?? {};
  writeFileSync(DOC, await format(next, { ...options, filepath: DOC }));
}

const SHARED = ['node', 'search', 'sale-1-8'];
const deviceList = z.object({
  devices: z.array(z.object({ id: z.string(), label: z.string(), state: z.string() })),
});

/**
 * Revokes the bench's devices a bench left paired on the shared store (bench/node.ts's release
 * fails when its manager session was replaced by the cashier's), so the next bench and the next
 * run pair onto the terminals they free instead of adding eight new ones each time.
 */
async function revokeLeftovers(dir: string): Promise<number> {
  let out = '';
  const code = await run(['terminal', 'list', '--data', dir], {
    stdout: (s) => (out += s),
    stderr: () => undefined,
  });
  if (code !== 0) return 0;
  const left = parseJsonWith(deviceList, out, 'outpost terminal list').devices.filter(
    (d) => d.label === 'bench' && d.state === 'active',
  );
  for (const d of left) {
    await cli([
      ...['terminal', 'revoke', d.id, '--data', dir],
      ...['--cashier', MANAGER.id, '--pin', MANAGER.pin],
    ]);
  }
  return left.length;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error(
      'dist/ is missing: run `npm run build` first (node, search, sale-1-8, push and ui-scan run the built CLI)',
    );
  }
  const started = new Date();
  const t0 = performance.now();
  const s = sizes(QUICK);
  const benches = BENCHES.filter((b) => ONLY === null || ONLY.includes(b.name));
  let storeNote = '';
  mkdirSync(s.lookupDir, { recursive: true });
  if (benches.some((b) => SHARED.includes(b.name))) {
    const had = existsSync(join(s.store, 'made.json'));
    const m0 = performance.now();
    console.log(`the shared store: ${s.store} (${s.storeItems.toLocaleString('en')} items)`);
    await ensureStore(s.store, s.storeItems);
    const made = (performance.now() - m0) / 1000;
    storeNote = had
      ? `The shared ${s.storeItems.toLocaleString('en')}-item store was already made (checked in ${made.toFixed(1)} s).`
      : `The shared ${s.storeItems.toLocaleString('en')}-item store was made first, in ${made.toFixed(0)} s (included in the whole run).`;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'outpost-bench-run-'));
  const results: Result[] = [];
  try {
    for (const b of benches) {
      results.push(await runBench(b, scratch));
      if (SHARED.includes(b.name)) {
        const n = await revokeLeftovers(s.store);
        if (n > 0) console.log(`(${n} device(s) ${b.name} left paired revoked)`);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const total = (performance.now() - t0) / 1000;
  console.log(`\n${table(results)}\n`);
  console.log(`whole run ${(total / 60).toFixed(1)} min; load average now ${load()}`);
  if ((QUICK || ONLY !== null) && !WRITE) {
    console.log('(--quick or --only: docs/BENCHMARKS.md left as it is)');
  } else {
    await writeDoc(block(results, started, storeNote, total));
    console.log('docs/BENCHMARKS.md: the generated block rewritten');
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

await main();
