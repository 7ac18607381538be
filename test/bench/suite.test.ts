import { describe, expect, it } from 'vitest';
import { jsonArg } from '../../bench/figures.js';
import { BENCHES, lastJson, tableRows } from '../../bench/suite.js';

const reader = (name: string) => {
  const read = BENCHES.find((b) => b.name === name)?.read;
  if (typeof read !== 'function') throw new Error(`${name} has no stdout reader`);
  return read;
};

describe("the runner's readers of what benches print", () => {
  it('takes the last top-level JSON object, after other output', () => {
    const out = 'store made in 1.0 s\n{\n  "a": 1\n}\nnoise\n{\n  "b": {\n    "c": 2\n  }\n}\n';
    expect(lastJson(out)).toEqual({ b: { c: 2 } });
  });

  it('ends the object at its closing line: a log line after it is not part of it', () => {
    const out =
      '{\n  "runs": [\n    {\n      "p50": 1\n    }\n  ]\n}\n{"level":40,"msg":"could not ask ERPNext"}\n\n| a | b |\n';
    expect(lastJson(out)).toEqual({ runs: [{ p50: 1 }] });
  });

  it("reads bench/node.ts's markdown table: goal and verdict split", () => {
    const out = [
      'bench/node.ts: 20000 items',
      '| figure | measured | goal | |',
      '| --- | --- | --- | --- |',
      '| cold start (spawn → /healthz 200) | 2.03 s | ≤ 3 s | ✅ |',
      '| sales per commit, mean / max | 4.8 / 8 | – |  |',
      '| commit p50 / p99 | 31.40 / 190.85 ms | p99 ≤ 10 ms | ❌ |',
    ].join('\n');
    expect(reader('node')(out)).toEqual([
      { figure: 'cold start (spawn → /healthz 200)', measured: '2.03 s', goal: '≤ 3 s', ok: true },
      { figure: 'sales per commit, mean / max', measured: '4.8 / 8', goal: '–', ok: null },
      { figure: 'commit p50 / p99', measured: '31.40 / 190.85 ms', goal: 'p99 ≤ 10 ms', ok: false },
    ]);
  });

  it("keeps bench/sale.ts's headline rows only", () => {
    const out = [
      'raw commit: bare WAL + synchronous=FULL, 1 INSERT per txn | 218 commits/s | –',
      '  body: number, signed record | p50 667 µs / p99 24.81 ms | ',
      'sale commit: transact() = BEGIN…COMMIT + head.json | p50 12.78 ms / p99 49.81 ms | p99 ≤ 10 ms ❌',
      'sales/s ÷ raw commits/s | 0.25 | ≥ 0.5 ❌',
    ].join('\n');
    expect(reader('sale')(out).map((f) => [f.figure, f.ok])).toEqual([
      ['one till in process: raw commit: bare WAL + synchronous=FULL, 1 INSERT per txn', null],
      ['one till in process: sale commit: transact() = BEGIN…COMMIT + head.json', false],
      ['one till in process: sales/s ÷ raw commits/s', false],
    ]);
  });

  it('reads tables with and without the outer pipes', () => {
    expect(tableRows('| a | b |\n|---|---|\nc | d | e')).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it("turns bench/cart-price.ts's JSON into a figure against its control", () => {
    const out = JSON.stringify(
      {
        lines: 100,
        samples_each: 300,
        control_full_price_before: { p50_ms: 3.2, p95_ms: 10.5, p99_ms: 18.4 },
        price_cart_now: { cpu_ms_per_cart: 2.03, p50_ms: 1.6, p95_ms: 4.9, p99_ms: 18.3 },
      },
      null,
      2,
    );
    expect(reader('cart-price')(`warming up\n${out}\n`)).toEqual([
      {
        figure: 'priceCart, 100 lines, p50 / p95 / p99 (300 carts; 2.03 ms CPU per cart)',
        measured: '1.6 / 4.9 / 18.3 ms',
        control: '3.2 / 10.5 / 18.4 ms (before issue 12)',
        ratio: '2.0× faster (p50)',
        goal: 'p95 ≤ 5 ms',
        ok: true,
      },
    ]);
  });

  it('splits --json FILE off the positional arguments', () => {
    expect(jsonArg(['100', '--json', '/tmp/f.json', '--quick'])).toEqual({
      json: '/tmp/f.json',
      args: ['100', '--quick'],
    });
    expect(jsonArg(['100'])).toEqual({ json: undefined, args: ['100'] });
  });

  it("reads bench/sim-million.ts's four lines: load, CPU, paging verdict, RSS", () => {
    const out = [
      'load: 20000 items requested, 20000 Item documents loaded (20000 in the site), 42473 Item Prices; 5.6 s (seedEmpty + loadDemoSeed); load average 12.64 13.82 11.32',
      'load CPU: 2.6 s in all threads, 1.0 s in the writing (main) thread',
      'paging: 20000 items, 20000 distinct seen, 20002 rows read, 5 pages of ≤5000, 4 writes (4 distinct items changed); missed 0, repeated 0, changed but not seen at newest modified 0; 0.1 s; PASS',
      'rss: 360 MB',
    ].join('\n');
    expect(reader('sim-million')(out)).toEqual([
      {
        figure:
          'simulator: load 20,000 items (seedEmpty + loadDemoSeed, as `outpost sim --items`), wall; CPU',
        measured: '5.6 s; 2.6 s in all threads, 1.0 s in the writing (main) thread',
        goal: '< 2 min (issue 3)',
        ok: true,
      },
      {
        figure:
          'simulator: keyset paging over every Item (5 pages) with 4 writes between them: none missed or repeated',
        measured: '0.1 s; PASS',
        goal: 'PASS',
        ok: true,
      },
      { figure: 'simulator: RSS of the loading process', measured: '360 MB' },
    ]);
    const failed = out
      .replace('0.1 s; PASS', '0.1 s; FAIL')
      .replace('5.6 s (seed', '130.2 s (seed');
    expect(reader('sim-million')(failed).map((f) => f.ok)).toEqual([false, false, undefined]);
    expect(() => reader('sim-million')(out.replace('rss: 360 MB', ''))).toThrow(
      'sim-million: no "rss: " line in its output',
    );
  });
});
