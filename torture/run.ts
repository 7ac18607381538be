/**
 * The torture run (issue 14): every part in `parts.ts`, one after the other, each reporting its
 * figures; exits 1 when any promise broke.
 *
 *   npm run torture -- [--quick] [--only crash,fuzz] [--seed N] [--keep] [--json FILE]
 *
 * Parts 1–3 run against a real ERPNext v15 when OUTPOST_CONTRACT_URL, _KEY, _SECRET and
 * _POS_PROFILE are set (as the contract suite), else against the simulator.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PARTS } from './parts.js';
import type { PartResult, RealErpnext } from './types.js';

function realErpnext(): RealErpnext | undefined {
  const e = process.env;
  const url = e['OUTPOST_CONTRACT_URL'];
  if (!url) return undefined;
  const need = (k: string): string => {
    const v = e[k];
    if (!v) throw new Error(`${k} is required with OUTPOST_CONTRACT_URL`);
    return v;
  };
  return {
    url,
    key: need('OUTPOST_CONTRACT_KEY'),
    secret: need('OUTPOST_CONTRACT_SECRET'),
    posProfile: need('OUTPOST_CONTRACT_POS_PROFILE'),
  };
}

interface Row extends PartResult {
  readonly part: string;
  readonly seconds: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
    strict: true,
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !PARTS.some((p) => p.name === n)) ?? [];
  if (unknown.length > 0) {
    const names = PARTS.map((p) => p.name).join(', ');
    throw new Error(`--only: no part named ${unknown.join(', ')} (parts: ${names})`);
  }
  const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2_147_483_647;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('--seed: expected an integer ≥ 0');
  const erpnext = realErpnext();
  const mode = values.quick ? 'quick' : 'full';
  console.log(
    `torture (${mode}), seed ${seed}, ERPNext: ${erpnext ? erpnext.url : 'the simulator'}; ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const root = mkdtempSync(join(tmpdir(), 'outpost-torture-'));
  const rows: Row[] = [];
  for (const part of PARTS) {
    if (only && !only.includes(part.name)) continue;
    const workDir = join(root, part.name);
    mkdirSync(workDir, { recursive: true });
    const log = (line: string) => process.stderr.write(`[${part.name}] ${line}\n`);
    log(part.title);
    const t0 = performance.now();
    let result: PartResult;
    try {
      result = await part.run({
        quick: values.quick,
        seed,
        workDir,
        log,
        ...(erpnext ? { erpnext } : {}),
      });
    } catch (e) {
      result = {
        figures: {},
        failures: [`the part crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`],
      };
    }
    const row = { part: part.name, seconds: (performance.now() - t0) / 1000, ...result };
    rows.push(row);
    const figures = Object.entries(row.figures)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en') : v}`)
      .join(', ');
    console.log(
      `${row.failures.length === 0 ? 'PASS' : 'FAIL'} ${part.name} (${row.seconds.toFixed(1)} s): ${figures}`,
    );
    for (const f of row.failures) console.log(`  ✗ ${f}`);
    if (row.failures.length === 0 && !values.keep)
      rmSync(workDir, { recursive: true, force: true });
    else log(`kept: ${workDir}`);
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ mode, seed, rows }, null, 2)}\n`);
  const failed = rows.filter((r) => r.failures.length > 0);
  console.log(
    failed.length === 0
      ? `all ${rows.length} parts passed (seed ${seed})`
      : `${failed.length} of ${rows.length} parts failed: ${failed.map((r) => r.part).join(', ')} (rerun with --seed ${seed})`,
  );
  if (failed.length === 0 && !values.keep) rmSync(root, { recursive: true, force: true });
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      JSON.stringify({
        error: { kind: 'Usage', message: e instanceof Error ? e.message : String(e), field: null },
      }),
    );
    process.exit(2);
  },
);
