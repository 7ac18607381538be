import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseJsonWith, quote, toErpnextJson, QuoteError } from '../core/index.js';
import type { Command, Io } from './command.js';
import { quoteStore } from './quote-store.js';

const help = `Usage: outpost quote --master M.json --invoice D.json [--today YYYY-MM-DD]
       outpost quote --data DIR --item CODE[:QTY] ... [the cart flags of \`outpost sell\`]
       outpost quote --data DIR --invoice D.json

Computes a POS Invoice exactly as ERPNext v15 would (prices, pricing rules, bundles, taxes,
discounts, rounding, loyalty, payments) and prints it as JSON with ERPNext's field names.

  --master M.json    {"system": {...}, "<DocType>": [records as ERPNext's REST API returns them]}
  --invoice D.json   a POS Invoice body as a client would POST it
  --today DATE       the date loyalty balances are taken at (default: the invoice's posting_date)

With --data, prices a cart (or the draft in --invoice) on the store's current snapshot exactly
as \`outpost sell\` would, plus its snapshot_version, writing nothing.

A case ERPNext would refuse prints {"error": {"kind", "message", "field"}} and exits 2.
`;

/** Master data: `system` settings and lists of records per DocType (the engine reads fields). */
const masterSchema = z.looseObject({ system: z.record(z.string(), z.unknown()).exactOptional() });
/** A POS Invoice draft; the engine checks its fields as ERPNext would. */
const draftSchema = z.record(z.string(), z.unknown());

/** Reads a JSON file against `schema`; a bad path or bad JSON is InvalidInput naming the option. */
async function readJson<S extends z.ZodType>(
  path: string,
  option: string,
  schema: S,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new QuoteError(
      'InvalidInput',
      `${option}: cannot read ${path}: ${(e as Error).message}`,
      option,
    );
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new QuoteError(
      'InvalidInput',
      `${option}: ${path} is not valid JSON: ${(e as Error).message}`,
      option,
    );
  }
  return parseJsonWith(schema, text, option);
}

/** node:util parseArgs reports bad options with ERR_PARSE_ARGS_* codes. */
function isArgError(e: unknown): e is Error {
  if (!(e instanceof Error) || !('code' in e)) return false;
  const code: unknown = e.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export const quoteCommand: Command = {
  name: 'quote',
  summary: 'compute a POS Invoice as ERPNext would, from master data and a draft',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    if (argv.includes('--data')) return quoteStore(argv, io);
    try {
      const { values } = parseArgs({
        args: [...argv],
        options: {
          master: { type: 'string' },
          invoice: { type: 'string' },
          today: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      });
      if (!values.master)
        throw new QuoteError(
          'InvalidInput',
          '--master: required (a JSON file of master data)',
          '--master',
        );
      if (!values.invoice)
        throw new QuoteError(
          'InvalidInput',
          '--invoice: required (a JSON POS Invoice draft)',
          '--invoice',
        );
      if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) {
        throw new QuoteError(
          'InvalidInput',
          `--today: expected YYYY-MM-DD, got ${values.today}`,
          '--today',
        );
      }
      const master = await readJson(values.master, '--master', masterSchema);
      const draft = await readJson(values.invoice, '--invoice', draftSchema);
      const q = quote(master, draft, values.today ? { today: values.today } : {});
      io.stdout(`${JSON.stringify(toErpnextJson(q), null, 2)}\n`);
      return 0;
    } catch (e) {
      // Anything else (a bug of ours) leaves for the CLI's one handler: InternalError, no stack.
      if (!(e instanceof QuoteError) && !isArgError(e)) throw e;
      const err = e instanceof QuoteError ? e : new QuoteError('InvalidInput', e.message);
      io.stdout(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
      return 2;
    }
  },
};
