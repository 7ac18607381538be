import { authenticate, decideReview } from '../pos/index.js';
import { reviewItems, type ReviewItem } from '../store/push-review.js';
import { plainReason } from '../sync/push/classify.js';
import { flags, required, UsageError } from './args.js';
import type { Command, Io } from './command.js';
import { openContext } from './store-context.js';
import { json } from './till-flags.js';
import { openTill } from './till.js';

const help = `Usage: outpost review --data DIR [--json]
       outpost review retry ID --data DIR --cashier M --pin P [--note TEXT] [--json]
       outpost review resolve ID --data DIR --cashier M --pin P --note TEXT [--json]

What ERPNext refused, waiting for a person. Nothing in it is dropped, and nothing in it holds
up work that does not depend on it. Each item: its id, doctype, receipt number, uuid, ERPNext's
message, the reason in plain words, since when, and the actions it allows. Customers created
here that ERPNext refused are listed too (id C<n>; since when is not kept for them).

  retry ID     send it again as it stands, once the cause is fixed in ERPNext (stock received,
               item enabled, customer group created…). A draft ERPNext already holds is
               submitted, not inserted again.
  resolve ID   it was settled outside Outpost (entered by hand in ERPNext, or agreed not to be
               posted): never pushed. A return or void of it then goes to review itself, since
               Outpost cannot link it to a document it does not know; the shift's closing goes
               on without it. --note is required: say how it was settled. Documents only: a
               customer is fixed or created in ERPNext, then retried (the push finds it by its
               uuid or matches it by phone or e-mail).

Both are for a manager (--cashier is the manager's id, --pin their PIN) and are journaled as a
signed event record (push_review_retried / push_review_resolved, with the note) in the same
transaction as the change. The retried item is sent at the next \`outpost sync\` push.
`;

const ACTIONS = { document: ['retry', 'resolve'], customer: ['retry'] } as const;

/** The plain reason: kept with a document, worked out again from ERPNext's words for a customer. */
function reasonOf(item: ReviewItem): string {
  if (item.reason !== null) return item.reason;
  if (item.exc_type === 'JournalRecord') {
    return "the customer's journal record did not verify or its row was edited: run `outpost verify`";
  }
  return plainReason(item.http_status ?? 0, item.exc_type, item.message);
}

const shown = (item: ReviewItem) => ({
  id: item.id,
  kind: item.kind,
  doctype: item.doctype,
  invoice_no: item.invoice_no,
  uuid: item.uuid,
  seq: item.seq,
  erpnext_message: item.message,
  exc_type: item.exc_type,
  http_status: item.http_status,
  reason: reasonOf(item),
  since: item.since,
  attempts: item.attempts,
  actions: ACTIONS[item.kind],
});

function list(dir: string, io: Io, asJson: boolean): number {
  const ctx = openContext(dir, { readonly: true });
  try {
    const items = reviewItems(ctx.db).map(shown);
    if (asJson) {
      json(io, { review: items });
      return 0;
    }
    if (items.length === 0) {
      io.stdout('Nothing in review.\n');
      return 0;
    }
    io.stdout(
      `${items
        .map((i) =>
          [
            `#${i.id}  ${i.doctype}${i.invoice_no ? ` ${i.invoice_no}` : ''}  ${i.uuid}${i.since ? `  since ${i.since}` : ''}`,
            `  ERPNext: ${i.erpnext_message}`,
            `  Why: ${i.reason}`,
            `  Actions: ${i.actions.map((a) => `outpost review ${a} ${i.id}`).join(' | ')}`,
          ].join('\n'),
        )
        .join('\n\n')}\n`,
    );
    return 0;
  } finally {
    ctx.db.close();
  }
}

export const reviewCommand: Command = {
  name: 'review',
  summary: 'what ERPNext refused: list, retry or resolve (manager)',
  help,
  run(argv: readonly string[], io: Io): Promise<number> {
    const { values, positionals } = flags(
      argv,
      {
        data: { type: 'string' },
        json: { type: 'boolean' },
        cashier: { type: 'string' },
        pin: { type: 'string' },
        note: { type: 'string' },
      },
      true,
    );
    const dir = required(values.data, '--data', 'the store directory');
    const [action, id, ...extra] = positionals;
    if (action === undefined) return Promise.resolve(list(dir, io, Boolean(values.json)));
    if (action !== 'retry' && action !== 'resolve') {
      throw new UsageError(
        `expected \`outpost review [retry|resolve ID]\`; got ${action}`,
        'action',
      );
    }
    if (id === undefined) throw new UsageError(`${action}: which item? give its id`, 'id');
    if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`, 'id');
    const cashierId = required(values.cashier, '--cashier', "the manager's id");
    const pin = required(values.pin, '--pin', "the manager's PIN");
    const till = openTill(dir);
    try {
      const manager = authenticate(till.term, cashierId, pin);
      const d = decideReview(till.term, manager, { id, action, note: values.note ?? '' });
      const out = {
        id: d.id,
        action: d.action,
        kind: d.item.kind,
        doctype: d.item.doctype,
        invoice_no: d.item.invoice_no,
        uuid: d.item.uuid,
        journal_seq: d.seq,
        at: d.at,
        state: d.action === 'retry' ? 'pending' : 'resolved',
      };
      if (values.json) json(io, out);
      else
        io.stdout(
          d.action === 'retry'
            ? `#${d.id} queued again (journal seq ${d.seq}); it goes with the next push.\n`
            : `#${d.id} marked resolved outside Outpost (journal seq ${d.seq}); it will not be pushed.\n`,
        );
      return Promise.resolve(0);
    } finally {
      till.close();
    }
  },
};
