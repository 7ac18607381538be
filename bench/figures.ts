/**
 * The one shape every bench's `--json FILE` takes, read back by bench/run.ts: a list of figures,
 * each with what it was measured against in the same run (control, ratio) and its goal.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';

export const figureSchema = z.object({
  figure: z.string(),
  measured: z.string(),
  control: z.string().default('–'),
  ratio: z.string().default('–'),
  goal: z.string().default('–'),
  /** null: no goal for this figure. */
  ok: z.boolean().nullable().default(null),
});
export type Figure = z.input<typeof figureSchema>;

export const reportSchema = z.object({
  bench: z.string(),
  figures: z.array(figureSchema),
  notes: z.array(z.string()).default([]),
});
export type Report = z.input<typeof reportSchema>;

/** `--json FILE` from argv, if given; the remaining arguments in order. */
export function jsonArg(argv: readonly string[]): { json: string | undefined; args: string[] } {
  const i = argv.indexOf('--json');
  if (i < 0) return { json: undefined, args: [...argv] };
  return { json: argv[i + 1], args: [...argv.slice(0, i), ...argv.slice(i + 2)] };
}

/** Prints the figures as a markdown table and writes them to FILE when asked. */
export function report(json: string | undefined, r: Report): void {
  console.log(
    `\n| figure | measured | control | ratio | goal | |\n| --- | --- | --- | --- | --- | --- |`,
  );
  for (const f of r.figures) {
    const mark = f.ok === undefined || f.ok === null ? '' : f.ok ? '✅' : '❌';
    console.log(
      `| ${f.figure} | ${f.measured} | ${f.control ?? '–'} | ${f.ratio ?? '–'} | ${f.goal ?? '–'} | ${mark} |`,
    );
  }
  for (const n of r.notes ?? []) console.log(`\n${n}`);
  if (json) writeFileSync(json, JSON.stringify(r, null, 2));
}

/** Milliseconds with two places, microseconds below 1 ms. */
export const ms = (x: number): string =>
  x < 1 ? `${(x * 1000).toFixed(1)} µs` : `${x.toFixed(2)} ms`;
