import { z } from 'zod';
import { run } from '../../src/cli/run.js';
import { parseJsonWith } from '../../src/core/schema.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `outpost ARGS` in this process (the same code path as the command). */
export async function outpost(args: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** `outpost ARGS` that must succeed: its JSON answer. */
export async function outpostJson(args: readonly string[]): Promise<Record<string, unknown>> {
  const r = await outpost(args);
  if (r.code !== 0) throw new Error(`outpost ${args.join(' ')} → ${r.code}\n${r.out}${r.err}`);
  return parseJsonWith(z.record(z.string(), z.unknown()), r.out, `outpost ${args[0] ?? ''}`);
}
