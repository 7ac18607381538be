import { findConflicts, type Conflict } from '../sync/conflicts.js';
import { flags, required, UsageError } from './args.js';
import { openContext } from './store-context.js';
import { journalRead } from './till.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost conflicts --data DIR [--since DATE] [--json]

Lists what changed in ERPNext since each sale was made, for a manager to review. The sale stands
as printed: nothing is changed, here or in ERPNext. Compares each sale's signed record (verified
first) with what the store last pulled (run \`outpost sync --pull --once\` first for fresh figures):

  price          the Item Price the sale used, and the one that applies now
  pricing_rule   a rule the sale applied, now disabled, deleted or modified after the sale
  item_disabled  an item sold, now disabled or deleted
  customer       the customer's group or loyalty program now different, or the customer
                 modified after the sale
  tax_template   the sale's tax template or an item tax template: rates now different,
                 disabled, deleted or modified after the sale
  totals         ERPNext's totals differ from the signed record (found by the push)

"at_sale" is the value the signed record carries (null when the change is only that the
document was modified after the sale), "now" the value in the store. Exit 0 (a conflict is not an
error).

  --data DIR     the store
  --since DATE   sales from this date on (YYYY-MM-DD; default: the last 30 days)
  --json         snake_case JSON: {"since", "conflicts": [...]}
`;

const DAY_MS = 86_400_000;

export const conflictsCommand: Command = {
  name: 'conflicts',
  summary: 'list what changed in ERPNext since each sale (price, rule, item, customer, tax)',
  help,
  run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      data: { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const since = values.since ?? new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(since))) {
      throw new UsageError(`--since: '${since}' is not a date (YYYY-MM-DD)`, '--since');
    }
    const ctx = openContext(dir, { readonly: true });
    try {
      const conflicts = findConflicts(ctx.db, {
        since,
        journal: journalRead(dir, ctx.config),
      });
      io.stdout(
        values.json ? `${JSON.stringify({ since, conflicts }, null, 2)}\n` : text(since, conflicts),
      );
      return Promise.resolve(0);
    } finally {
      ctx.db.close();
    }
  },
};

function text(since: string, conflicts: readonly Conflict[]): string {
  if (conflicts.length === 0) return `No conflicts in the sales since ${since}.\n`;
  const lines = [`${conflicts.length} conflict(s) in the sales since ${since}:`, ''];
  let last = '';
  for (const c of conflicts) {
    if (c.uuid !== last) {
      lines.push(`${c.invoice_no}  ${c.posted_at}`);
      last = c.uuid;
    }
    lines.push(`  ${c.kind.padEnd(13)} ${c.message}`);
  }
  return `${lines.join('\n')}\n`;
}
