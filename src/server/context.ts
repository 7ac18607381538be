import type { ErpClient } from '../erpnext/client.js';
import type { PostingMode } from '../erpnext/push-invoice.js';
import type { Cart, Cashier, CommitQueue, Payment, Terminal } from '../pos/index.js';
import { authenticateManager } from '../pos/index.js';
import type { StoreNode } from '../pos/node.js';
import type { Authenticator, Caller } from './auth.js';
import type { EventHub } from './events.js';
import type { CartBody } from './schemas.js';

/** What the route groups share: the node, the auth seam, the event hub, and where the loops stand. */
export interface RouteContext {
  readonly node: StoreNode;
  readonly auth: Authenticator;
  readonly events: EventHub;
  readonly connectivity: () => string;
  readonly now: () => number;
  /** Where receipts print (`tcp://HOST:9100` or a device path); none: printing is refused. */
  readonly printer: string | undefined;
  /** ERPNext, asked for another store's receipt at a return; none: only this store's. */
  readonly remote?: { readonly erp: ErpClient; readonly mode: PostingMode };
  /** Sales of every terminal share commits (one fsync for several); other writes go direct. */
  readonly commits: CommitQueue;
}

/** The caller of a `session` route (set by the preHandler; absent only on a wiring defect). */
export function callerOf(caller: Caller | undefined): Caller {
  if (!caller) throw new Error('a session route ran without its caller');
  return caller;
}

/** The API's cart (ERPNext's field names) as the till's use cases take it. */
export function cartOf(b: Omit<CartBody, 'items'> & { items?: CartBody['items'] }): Cart & {
  payments?: Payment[];
} {
  return {
    lines: (b.items ?? []).map((l) => ({
      ...(l.item_code !== undefined ? { item_code: l.item_code } : {}),
      ...(l.barcode !== undefined ? { barcode: l.barcode } : {}),
      ...(l.qty !== undefined ? { qty: l.qty } : {}),
      ...(l.rate !== undefined ? { rate: l.rate } : {}),
    })),
    ...(b.customer !== undefined ? { customer: b.customer } : {}),
    ...(b.redeem_loyalty_points !== undefined ? { redeemPoints: b.redeem_loyalty_points } : {}),
    ...(b.additional_discount_percentage !== undefined
      ? { discountPercent: b.additional_discount_percentage }
      : {}),
    ...(b.payments
      ? { payments: b.payments.map((p) => ({ mode: p.mode_of_payment, amount: p.amount })) }
      : {}),
  };
}

/** A manager's approval given in the body, PIN checked (failures journaled, lockout). */
export function managerOf(
  term: Terminal,
  m: { id: string; pin: string } | undefined,
): Cashier | undefined {
  return m ? authenticateManager(term, m.id, m.pin) : undefined;
}
