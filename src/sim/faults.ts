import { parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * Fault injection for the simulator: what to do to each request (delay it, fail it, hang, reset
 * the socket, commit then drop the answer, or refuse everything). Pure decisions from a seeded
 * PRNG; the HTTP layer carries them out. Admin calls are never faulted, so the operator can
 * always turn faults off again.
 */

export interface FaultConfig {
  /** Added to every answered request. */
  readonly latencyMs?: number | undefined;
  /** The delay varies uniformly within latencyMs ± latencyJitterMs (never below 0). */
  readonly latencyJitterMs?: number | undefined;
  /** Fraction of requests answered 502 or 503 without being performed. */
  readonly failRate?: number | undefined;
  /** Fraction left hanging until the client gives up. */
  readonly timeoutRate?: number | undefined;
  /** Fraction whose socket is destroyed before anything is performed. */
  readonly resetRate?: number | undefined;
  /** Fraction performed and committed, then dropped without an answer: the retry hazard. */
  readonly commitThenDropRate?: number | undefined;
  /** Refuse every request (connection reset), as a server that is down. */
  readonly down?: boolean | undefined;
  /** Seed of the PRNG: the same seed and requests give the same decisions. */
  readonly seed?: number | undefined;
}

export type Decision =
  | { readonly kind: 'pass'; readonly delayMs: number }
  | { readonly kind: 'fail'; readonly status: 502 | 503; readonly delayMs: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'commit-then-drop'; readonly delayMs: number }
  | { readonly kind: 'down' };

type DecisionKind = Decision['kind'];

/** What was decided so far; `exempt` counts admin calls, which are never faulted. */
type FaultCounters = Readonly<Record<DecisionKind | 'decisions' | 'exempt', number>>;

interface FaultRequest {
  readonly path: string;
  readonly method?: string;
}

/** A config value out of range; `field` is the config key or, from parseFaultFlags, the flag. */
export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The operator's own methods (`/api/method/outpost.sim.*`, also under /api/v1 and /api/v2). */
export function isAdminPath(path: string): boolean {
  return /^\/api\/(?:v[12]\/)?method\/outpost\.sim\./.test(path.split('?')[0] ?? '');
}

const RATES = ['failRate', 'timeoutRate', 'resetRate', 'commitThenDropRate'] as const;
const DURATIONS = ['latencyMs', 'latencyJitterMs'] as const;

/** Checks a config, naming the first bad field; returns a copy without unknown keys. */
export function validateFaultConfig(config: FaultConfig): FaultConfig {
  const out: Record<string, number | boolean> = {};
  for (const key of DURATIONS) {
    const v = config[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new FaultConfigError(key, `must be a number of milliseconds >= 0, got ${String(v)}`);
    }
    out[key] = v;
  }
  let total = 0;
  for (const key of RATES) {
    const v = config[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new FaultConfigError(key, `must be a number from 0 to 1, got ${String(v)}`);
    }
    out[key] = v;
    total += v;
  }
  // One draw picks at most one fault per request, so the fractions must fit in one.
  if (total > 1 + 1e-12) {
    throw new FaultConfigError(
      RATES.filter((k) => config[k] !== undefined).join(', '),
      `the rates add up to ${total}; together they must not exceed 1`,
    );
  }
  if (config.down !== undefined) {
    if (typeof config.down !== 'boolean') {
      throw new FaultConfigError('down', `must be true or false, got ${String(config.down)}`);
    }
    out['down'] = config.down;
  }
  if (config.seed !== undefined) {
    if (!Number.isSafeInteger(config.seed)) {
      throw new FaultConfigError('seed', `must be a whole number, got ${String(config.seed)}`);
    }
    out['seed'] = config.seed;
  }
  return out;
}

/** mulberry32: a small PRNG whose whole state is one 32-bit number. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    let t = (state = (state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZERO_COUNTERS: FaultCounters = {
  decisions: 0,
  exempt: 0,
  pass: 0,
  fail: 0,
  timeout: 0,
  reset: 0,
  'commit-then-drop': 0,
  down: 0,
};

/**
 * The simulator's fault state: its config, its PRNG and its counters. One per simulator
 * instance, passed to the HTTP layer (no module-level state).
 */
export class Faults {
  private config: FaultConfig = {};
  private random: () => number;
  private counts: Record<keyof FaultCounters, number> = { ...ZERO_COUNTERS };

  /** `injected` replaces the seeded PRNG (tests); otherwise `config.seed` (default 1) seeds it. */
  constructor(
    config: FaultConfig = {},
    private readonly injected?: () => number,
  ) {
    this.random = injected ?? seededRandom(1);
    this.set(config);
  }

  /** Replaces the config. A config with a seed restarts the PRNG, so a run can be replayed. */
  set(config: FaultConfig): void {
    this.config = validateFaultConfig(config);
    if (this.config.seed !== undefined && !this.injected) {
      this.random = seededRandom(this.config.seed);
    }
  }

  /** Changes only the given fields, e.g. `patch({down: true})`. */
  patch(changes: FaultConfig): void {
    this.set({ ...this.config, ...changes });
  }

  /** No faults at all; counters are kept (see resetCounters). */
  clear(): void {
    this.config = {};
  }

  get(): FaultConfig {
    return { ...this.config };
  }

  counters(): FaultCounters {
    return { ...this.counts };
  }

  resetCounters(): void {
    this.counts = { ...ZERO_COUNTERS };
  }

  /** What to do with one request. */
  decide(request: FaultRequest): Decision {
    if (isAdminPath(request.path)) {
      this.counts.exempt++;
      return { kind: 'pass', delayMs: 0 };
    }
    const decision = this.draw();
    this.counts.decisions++;
    this.counts[decision.kind]++;
    return decision;
  }

  private draw(): Decision {
    const c = this.config;
    if (c.down) return { kind: 'down' };
    // Always three draws, whatever the outcome, so a seeded run faults the same requests
    // whatever the latency settings.
    const band = this.random();
    const status = this.random() < 0.5 ? 502 : 503;
    const jitter = (this.random() * 2 - 1) * (c.latencyJitterMs ?? 0);
    const delayMs = Math.max(0, Math.round((c.latencyMs ?? 0) + jitter));
    let edge = c.failRate ?? 0;
    if (band < edge) return { kind: 'fail', status, delayMs };
    if (band < (edge += c.timeoutRate ?? 0)) return { kind: 'timeout' };
    if (band < (edge += c.resetRate ?? 0)) return { kind: 'reset' };
    if (band < (edge += c.commitThenDropRate ?? 0)) return { kind: 'commit-then-drop', delayMs };
    return { kind: 'pass', delayMs };
  }
}

/** The CLI flags, in node:util parseArgs form, to merge into a command's own options. */
export const FAULT_FLAGS = {
  latency: { type: 'string' },
  'latency-jitter': { type: 'string' },
  'fail-rate': { type: 'string' },
  'timeout-rate': { type: 'string' },
  'reset-rate': { type: 'string' },
  'commit-then-drop-rate': { type: 'string' },
  down: { type: 'boolean' },
  'fault-seed': { type: 'string' },
} as const;

type Flag = keyof typeof FAULT_FLAGS;
const FLAG_OF: Readonly<Record<keyof FaultConfig, Flag>> = {
  latencyMs: 'latency',
  latencyJitterMs: 'latency-jitter',
  failRate: 'fail-rate',
  timeoutRate: 'timeout-rate',
  resetRate: 'reset-rate',
  commitThenDropRate: 'commit-then-drop-rate',
  down: 'down',
  seed: 'fault-seed',
};

/**
 * Fault flags from a command line (`['--fail-rate', '0.1', '--down', ...]`, other flags
 * ignored) or from parseArgs values. Errors name the flag: `--fail-rate: must be a number from
 * 0 to 1, got "1.5"`.
 */
export function parseFaultFlags(
  input: readonly string[] | Readonly<Record<string, unknown>>,
): FaultConfig {
  const values: Readonly<Record<string, unknown>> = isArgv(input)
    ? parseArgs({ args: [...input], options: FAULT_FLAGS, strict: false, allowPositionals: true })
        .values
    : input;
  const config: Record<string, number | boolean> = {};
  const flagValue = (flag: Flag): string | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') {
      throw new FaultConfigError(`--${flag}`, 'needs a value');
    }
    return v;
  };
  for (const [key, flag] of Object.entries(FLAG_OF) as [keyof FaultConfig, Flag][]) {
    if (key === 'down') continue;
    const text = flagValue(flag);
    if (text === undefined) continue;
    const isRate = (RATES as readonly string[]).includes(key);
    const ok = isRate ? /^(?:\d+\.?\d*|\.\d+)$/.test(text) : /^\d+$/.test(text);
    const n = Number(text);
    if (!ok || (isRate && n > 1)) {
      const expected = isRate
        ? 'must be a number from 0 to 1'
        : key === 'seed'
          ? 'must be a whole number'
          : 'must be whole milliseconds (e.g. 250)';
      throw new FaultConfigError(`--${flag}`, `${expected}, got ${JSON.stringify(text)}`);
    }
    config[key] = n;
  }
  const down = values['down'];
  if (down !== undefined) {
    if (typeof down !== 'boolean') throw new FaultConfigError('--down', 'takes no value');
    config['down'] = down;
  }
  try {
    return validateFaultConfig(config);
  } catch (e) {
    if (!(e instanceof FaultConfigError)) throw e;
    const flags = e.field
      .split(', ')
      .map((k) => `--${FLAG_OF[k as keyof FaultConfig]}`)
      .join(', ');
    throw new FaultConfigError(flags, e.message.slice(e.field.length + 2));
  }
}

// Array.isArray narrows a readonly array to any[]; this keeps the element type.
const isArgv = (x: readonly string[] | Readonly<Record<string, unknown>>): x is readonly string[] =>
  Array.isArray(x);

/**
 * The wire shape of a fault config (the body of `outpost.sim.faults`): known keys only, each
 * of its type, so a misspelt key is refused rather than silently ignored. Ranges and the sum
 * of the rates are `validateFaultConfig`'s.
 */
export const faultConfigSchema = z.strictObject({
  latencyMs: z.number().optional(),
  latencyJitterMs: z.number().optional(),
  failRate: z.number().optional(),
  timeoutRate: z.number().optional(),
  resetRate: z.number().optional(),
  commitThenDropRate: z.number().optional(),
  down: z.boolean().optional(),
  seed: z.number().optional(),
});
