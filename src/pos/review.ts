import { requeueLocalCustomer } from '../store/customers-local.js';
import { closeDocumentReview, reviewItem, type ReviewItem } from '../store/push-review.js';
import type { Cashier } from './cashiers.js';
import { ensureLogin } from './cashiers.js';
import { invalid, PosError } from './errors.js';
import type { Terminal } from './terminal.js';

export type ReviewAction = 'retry' | 'resolve';

export interface ReviewDecision {
  readonly id: string;
  readonly action: ReviewAction;
  readonly item: ReviewItem;
  /** The signed `event` record of the decision. */
  readonly seq: number;
  readonly at: string;
}

/**
 * A manager's decision on an item of the push's review queue, journaled as a signed `event`
 * record (`push_review_retried` / `push_review_resolved`) in the transaction that changes its
 * state, so the journal says who let a refused sale go again, or settled it by hand, and why.
 *
 * - retry: the document (or customer) goes back to the push as it stands; ERPNext decides again.
 * - resolve: the document was settled outside Outpost (entered by hand in ERPNext, or agreed not
 *   to be posted); it is never pushed. A return or void of it then lands in review itself (Outpost
 *   cannot link it to a document it does not know), the shift's closing goes on without it.
 *   A customer cannot be resolved: fix or create it in ERPNext, then retry (the push finds it by
 *   its uuid, or matches it by phone or e-mail).
 */
export function decideReview(
  term: Terminal,
  manager: Cashier,
  input: { id: string; action: ReviewAction; note: string },
): ReviewDecision {
  if (manager.role !== 'manager') {
    throw new PosError(
      'NotPermitted',
      `${manager.id} is not a manager: only a manager may retry or resolve what ERPNext refused`,
      'cashier',
    );
  }
  const note = input.note.trim();
  if (input.action === 'resolve' && note === '') {
    throw invalid('note', 'required: say how it was settled outside Outpost');
  }
  return term.transact((tx) => {
    const item = reviewItem(term.db, input.id);
    if (!item) throw new PosError('NotFound', `no open review item ${input.id}`, 'id');
    if (item.kind === 'customer' && input.action === 'resolve') {
      throw invalid(
        'id',
        `${input.id} is a customer: fix or create it in ERPNext, then retry it (the push finds it by its uuid or matches it by phone or e-mail)`,
      );
    }
    ensureLogin(term, tx, manager);
    const record = tx.append({
      type: 'event',
      body: {
        event: input.action === 'retry' ? 'push_review_retried' : 'push_review_resolved',
        review: {
          id: item.id,
          kind: item.kind,
          doctype: item.doctype,
          uuid: item.uuid,
          seq: item.seq,
          ...(item.invoice_no === null ? {} : { invoice_no: item.invoice_no }),
          exc_type: item.exc_type,
          message: item.message,
        },
        manager: { id: manager.id, name: manager.name },
        note,
      },
    });
    const at = record.header.time;
    if (item.kind === 'customer') {
      requeueLocalCustomer(term.db, item.uuid);
    } else {
      closeDocumentReview(
        term.db,
        Number(item.id),
        input.action === 'retry' ? 'retried' : 'resolved',
        {
          at,
          by: manager.id,
          note,
          eventSeq: record.seq,
        },
      );
    }
    return { id: item.id, action: input.action, item, seq: record.seq, at };
  });
}
