import { describe, expect, it } from 'vitest';
import {
  Faults,
  FaultConfigError,
  isAdminPath,
  parseFaultFlags,
  validateFaultConfig,
  type Decision,
  type FaultConfig,
} from '../../src/sim/faults.js';

const REQ = { method: 'POST', path: '/api/resource/POS Invoice' };
const ADMIN = { method: 'POST', path: '/api/method/outpost.sim.faults.set' };

function run(faults: Faults, n: number): Decision[] {
  const out: Decision[] = [];
  for (let i = 0; i < n; i++) out.push(faults.decide(REQ));
  return out;
}

describe('Faults.decide', () => {
  it('passes everything, undelayed, when nothing is configured', () => {
    const faults = new Faults();
    expect(run(faults, 100).every((d) => d.kind === 'pass' && d.delayMs === 0)).toBe(true);
  });

  it('converges on the configured fractions', () => {
    const config: FaultConfig = {
      failRate: 0.1,
      timeoutRate: 0.05,
      resetRate: 0.02,
      commitThenDropRate: 0.08,
      seed: 42,
    };
    const faults = new Faults(config);
    const n = 20_000;
    run(faults, n);
    const c = faults.counters();
    expect(c.decisions).toBe(n);
    // 4 standard deviations of a binomial at these sizes is under 0.01.
    expect(Math.abs(c.fail / n - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(c.timeout / n - 0.05)).toBeLessThan(0.01);
    expect(Math.abs(c.reset / n - 0.02)).toBeLessThan(0.01);
    expect(Math.abs(c['commit-then-drop'] / n - 0.08)).toBeLessThan(0.01);
    expect(c.pass + c.fail + c.timeout + c.reset + c['commit-then-drop']).toBe(n);
  });

  it('fails with 502 and 503, and delays within latency ± jitter', () => {
    const faults = new Faults({ failRate: 1, latencyMs: 200, latencyJitterMs: 50, seed: 3 });
    const decisions = run(faults, 2000);
    const statuses = new Set(decisions.map((d) => (d.kind === 'fail' ? d.status : 0)));
    expect([...statuses].sort()).toEqual([502, 503]);
    const delays = decisions.map((d) => ('delayMs' in d ? d.delayMs : -1));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...delays)).toBeLessThanOrEqual(250);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it('is deterministic for a seed, and replays when the seed is set again', () => {
    const config = { failRate: 0.3, resetRate: 0.2, latencyMs: 10, latencyJitterMs: 10, seed: 9 };
    const a = run(new Faults(config), 500);
    expect(run(new Faults(config), 500)).toEqual(a);
    expect(run(new Faults({ ...config, seed: 10 }), 500)).not.toEqual(a);
    const faults = new Faults(config);
    run(faults, 123);
    faults.set(config);
    expect(run(faults, 500)).toEqual(a);
  });

  it('keeps the same requests faulted when only the latency changes', () => {
    const kinds = (latencyMs: number): string[] =>
      run(new Faults({ failRate: 0.25, seed: 5, latencyMs }), 300).map((d) => d.kind);
    expect(kinds(500)).toEqual(kinds(0));
  });

  it('uses an injected PRNG', () => {
    const values = [0.05, 0.9, 0.5];
    let i = 0;
    const faults = new Faults({ failRate: 0.1 }, () => values[i++ % values.length] ?? 0);
    expect(faults.decide(REQ)).toEqual({ kind: 'fail', status: 503, delayMs: 0 });
  });

  it('never faults admin paths, even when down', () => {
    const faults = new Faults({ down: true, failRate: 1 });
    for (const path of [
      ADMIN.path,
      '/api/v1/method/outpost.sim.faults.clear',
      '/api/v2/method/outpost.sim.faults.get?x=1',
    ]) {
      expect(faults.decide({ path })).toEqual({ kind: 'pass', delayMs: 0 });
    }
    expect(faults.counters()).toMatchObject({ exempt: 3, decisions: 0 });
    expect(isAdminPath('/api/method/outpost.simulate')).toBe(false);
    expect(isAdminPath('/api/resource/outpost.sim.x')).toBe(false);
  });

  it('goes down and comes back up', () => {
    const faults = new Faults({ failRate: 0.5, seed: 1 });
    faults.patch({ down: true });
    expect(run(faults, 10).every((d) => d.kind === 'down')).toBe(true);
    expect(faults.get()).toMatchObject({ failRate: 0.5, down: true });
    faults.patch({ down: false });
    expect(run(faults, 50).some((d) => d.kind === 'down')).toBe(false);
    expect(faults.counters().down).toBe(10);
    faults.clear();
    expect(faults.get()).toEqual({});
    expect(run(faults, 50).every((d) => d.kind === 'pass')).toBe(true);
    faults.resetCounters();
    expect(faults.counters().decisions).toBe(0);
  });

  it('refuses a bad config and keeps the old one', () => {
    const faults = new Faults({ failRate: 0.2 });
    expect(() => faults.set({ failRate: 2 })).toThrow(FaultConfigError);
    expect(() => faults.set({ failRate: 0.6, resetRate: 0.6 })).toThrow(
      /failRate, resetRate: the rates add up to 1.2/,
    );
    expect(() => validateFaultConfig({ latencyMs: -1 })).toThrow(/latencyMs: must be a number/);
    expect(() => validateFaultConfig({ seed: 1.5 })).toThrow(/seed: must be a whole number/);
    expect(faults.get()).toEqual({ failRate: 0.2 });
  });
});

describe('parseFaultFlags', () => {
  it('reads the flags from an argv, ignoring the command’s other flags', () => {
    expect(
      parseFaultFlags([
        '--port',
        '8000',
        '--latency',
        '250',
        '--latency-jitter=40',
        '--fail-rate',
        '0.1',
        '--timeout-rate',
        '.05',
        '--reset-rate',
        '0',
        '--commit-then-drop-rate',
        '0.02',
        '--fault-seed',
        '7',
        '--down',
      ]),
    ).toEqual({
      latencyMs: 250,
      latencyJitterMs: 40,
      failRate: 0.1,
      timeoutRate: 0.05,
      resetRate: 0,
      commitThenDropRate: 0.02,
      down: true,
      seed: 7,
    });
    expect(parseFaultFlags([])).toEqual({});
  });

  it('reads parseArgs values too', () => {
    expect(parseFaultFlags({ 'fail-rate': '0.5', down: false })).toEqual({
      failRate: 0.5,
      down: false,
    });
  });

  it.each([
    [['--fail-rate', '1.5'], '--fail-rate: must be a number from 0 to 1, got "1.5"'],
    [['--reset-rate', 'lots'], '--reset-rate: must be a number from 0 to 1, got "lots"'],
    [['--timeout-rate=-0.1'], '--timeout-rate: must be a number from 0 to 1, got "-0.1"'],
    [['--latency', '1e3'], '--latency: must be whole milliseconds (e.g. 250), got "1e3"'],
    [['--latency'], '--latency: needs a value'],
    [['--fault-seed', 'x'], '--fault-seed: must be a whole number, got "x"'],
    [['--down=yes'], '--down: takes no value'],
    [
      ['--fail-rate', '0.7', '--commit-then-drop-rate', '0.5'],
      '--fail-rate, --commit-then-drop-rate: the rates add up to 1.2; together they must not exceed 1',
    ],
  ])('rejects %j', (argv, message) => {
    let error: unknown;
    try {
      parseFaultFlags(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FaultConfigError);
    expect((error as FaultConfigError).message).toBe(message);
    expect((error as FaultConfigError).field).toBe(message.split(': ')[0]);
  });
});
