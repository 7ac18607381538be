import type { ErpClient } from '../erpnext/client.js';
import type { Catalog } from '../store/catalog.js';
import type { Db } from '../store/db.js';
import { LoyaltyBook, type DueDocument } from '../store/loyalty.js';
import { checkLoyalty, loyaltyCandidates } from '../store/loyalty-check.js';

const LPE = 'Loyalty Point Entry';

/**
 * One pull's loyalty reconciliation: the till's pending points give way to ERPNext's entries
 * once the store holds them, and ERPNext's points are compared with the signed ones.
 *
 * Why a pending row can go exactly when the pull that follows its document's push publishes:
 * the document is marked done only after ERPNext answered, so ERPNext committed its entries
 * before `due` is read here, which is before this pull reads any Loyalty Point Entry; the
 * pull's cursor and look-back read every entry committed before it starts. So when this pull
 * publishes, the store holds ERPNext's entries for every document in `due`, and the pending
 * rows of exactly those documents are deleted in the same transaction: a sale never sees
 * both, nor neither. A document pushed while the pull runs is not in `due` and keeps its
 * rows until the next pull; one not pushed (pending, in review) keeps them for good.
 * Rows are matched to the document that wrote them (loyalty_pending.seq), not by receipt
 * number, because a void's rows carry its sale's number.
 *
 * ERPNext deletes an invoice's entries with raw SQL on a return or a cancel
 * (delete_loyalty_point_entry, accounts/doctype/sales_invoice/sales_invoice.py), leaving no
 * Deleted Document, so the pull alone would keep the old ones beside the re-made ones:
 * `rereadRewritten` asks ERPNext which entries such an invoice still has.
 */
export class LoyaltySettlement {
  private readonly book: LoyaltyBook;
  /** Read when the pull starts, before it reads any entry. */
  private readonly due: readonly DueDocument[];

  constructor(private readonly db: Db) {
    this.book = new LoyaltyBook(db);
    this.due = this.book.due();
  }

  /** Stages the deletion of stored entries ERPNext dropped when a due return or void ran. */
  async rereadRewritten(erp: ErpClient, catalog: Catalog): Promise<number> {
    const originals = new Set(
      this.due.filter((d) => d.kind !== 'sale' && d.against).map((d) => d.against as string),
    );
    let dropped = 0;
    for (const no of originals) {
      const remote = this.book.remoteOfSale(no);
      if (!remote) continue;
      const stored = this.book.storedEntryNames(remote);
      if (stored.length === 0) continue;
      const rows = await erp.list(LPE, {
        fields: ['name'],
        filters: [
          ['invoice_type', '=', remote.doctype],
          ['invoice', '=', remote.name],
        ],
        limit_page_length: 0,
      });
      const live = new Set(rows.map((r) => String(r['name'])));
      const gone = stored.filter((n) => !live.has(n));
      this.db.transaction(() => {
        for (const name of gone) catalog.stage(LPE, name, null);
      })();
      dropped += gone.length;
    }
    return dropped;
  }

  /**
   * Runs `publish` (the pull's snapshot) and settles the due documents in one transaction,
   * then compares the points of the sales this may have changed.
   */
  publish(publish: () => number, at: string): number {
    return this.db.transaction(() => {
      const staged = this.book.stagedInvoices();
      const snapshot = publish();
      this.book.settle(this.due, at);
      checkLoyalty(this.db, loyaltyCandidates(this.db, this.due, staged), at);
      return snapshot;
    })();
  }
}
