import { loyaltyMismatches } from '../store/loyalty-check.js';
import { flags, required, UsageError } from './args.js';
import type { Command, Io } from './command.js';
import { openContext } from './store-context.js';

const help = `Usage: outpost loyalty check --data DIR [--json]

Lists the pushed sales whose points in ERPNext differ from their signed receipts: for each
sale, ERPNext's Loyalty Point Entries (earned, and redemptions as negative entries) must sum to
the points earned less the points redeemed, plus what its returns and voids reversed. Each pull
compares the sales it brought ERPNext's entries for; this command reads what it found (the
store only: works offline and on read-only media).

Exit code 0 when every pushed sale agrees, 1 when any differs.

  --data DIR   the store
  --json       the rows as JSON: invoice_no, uuid, erpnext_invoice, erpnext_doctype,
               signed_points, erpnext_points, message
`;

export const loyaltyCommand: Command = {
  name: 'loyalty',
  summary: "check ERPNext's loyalty points against the signed receipts",
  help,
  run(argv: readonly string[], io: Io): Promise<number> {
    const { values, positionals } = flags(
      argv,
      { data: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1 || positionals[0] !== 'check') {
      throw new UsageError(`say what to do: check (got '${positionals.join(' ')}')`, 'command');
    }
    const dir = required(values.data, '--data', 'the store directory');
    const ctx = openContext(dir, { readonly: true });
    try {
      const rows = loyaltyMismatches(ctx.db);
      if (values.json) io.stdout(`${JSON.stringify({ mismatches: rows }, null, 2)}\n`);
      else if (rows.length === 0) io.stdout("Every pushed sale's points agree with ERPNext.\n");
      else io.stdout(`${rows.map((r) => r.message).join('\n')}\n`);
      return Promise.resolve(rows.length === 0 ? 0 : 1);
    } finally {
      ctx.db.close();
    }
  },
};
