import { z } from 'zod';
import { parseJsonWith, toErpnextJson } from '../core/index.js';
import {
  PosError,
  authenticateManager,
  exchange,
  invoiceFromScan,
  priceCart,
  returnSale,
  returnWithoutReceipt,
  sellGrouped,
} from '../pos/index.js';
import { heldCarts, holdCart, recallCart } from '../store/holds.js';
import { pushCounts } from '../store/push-status.js';
import { callerOf, cartOf, managerOf, type RouteContext } from './context.js';
import { priceExtras } from './price-loyalty.js';
import { findOriginal, returnAnywhere } from './return-anywhere.js';
import { route, type Route } from './routing.js';
import { pauseAfterCommit } from './torture-pause.js';
import {
  cartSchema,
  exchangeSchema,
  holdParams,
  holdSchema,
  noQuery,
  returnSchema,
  saleSchema,
  voidSchema,
} from './schemas.js';

const TAG = 'Till';

/** The till's selling routes: price a cart, sell, return, void, exchange, hold and recall. */
export function tillRoutes(ctx: RouteContext): Route[] {
  /**
   * After a write the outbox grew: terminals showing the pending count learn it. Counted once
   * per turn of the event loop (a group commit settles its sales in one turn), and not at all
   * with no one listening: the count reads every pending job, once per sale it grew with the
   * outbox (an offline day's thousands of sales).
   */
  let counting = false;
  const queued = (db: Parameters<typeof pushCounts>[0]) => {
    if (counting || ctx.events.size() === 0) return;
    counting = true;
    setImmediate(() => {
      counting = false;
      ctx.events.publish('outbox', { pending: pushCounts(db).pending });
    });
  };
  const { commits } = ctx;
  const pause = pauseAfterCommit(process.env);
  return [
    route({
      method: 'POST',
      url: '/api/cart/price',
      summary: 'Price a cart as a sale now would (nothing is written)',
      tag: TAG,
      access: 'session',
      body: cartSchema,
      handler: ({ body, caller }) => {
        const { terminal } = callerOf(caller);
        const priced = priceCart(terminal, cartOf(body));
        return {
          ...toErpnextJson(priced.quote),
          snapshot_version: priced.snapshot,
          ...priceExtras(terminal, priced),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/sales',
      summary:
        'Sell a cart: number, signed journal record, outbox, stock and loyalty in one commit',
      tag: TAG,
      access: 'session',
      body: saleSchema,
      created: true,
      handler: async ({ body, caller, reply }) => {
        const { terminal, cashier } = callerOf(caller);
        const manager = managerOf(terminal, body.manager);
        const result = await sellGrouped(
          commits,
          terminal,
          {
            ...cartOf(body),
            cashier,
            ...(manager ? { manager } : {}),
            training: body.training ?? false,
          },
          // Where the sale's time went on the node (pricing, waiting for its group, the commit).
          (t) =>
            void reply.header(
              'server-timing',
              `price;dur=${t.priceMs.toFixed(2)}, queue;dur=${t.waitMs.toFixed(2)}, commit;dur=${t.commitMs.toFixed(2)};desc="${t.group} sales", sql;dur=${t.sqlMs.toFixed(2)}`,
            ),
        );
        queued(terminal.db);
        if (pause) await pause();
        return result;
      },
    }),
    route({
      method: 'POST',
      url: '/api/returns',
      summary: 'Take goods back against a receipt, or without one with a manager',
      tag: TAG,
      access: 'session',
      body: returnSchema,
      created: true,
      handler: async ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const items = body.items ?? [];
        let result;
        if (body.return_against !== undefined) {
          if (body.customer !== undefined) {
            throw new PosError(
              'InvalidInput',
              'customer: a return against a receipt is for the receipt’s customer',
              'customer',
            );
          }
          // Another store's receipt is looked up in ERPNext (return-anywhere.ts).
          result = ctx.remote
            ? await returnAnywhere(terminal, ctx.remote.erp, ctx.remote.mode, {
                cashier,
                receipt: body.return_against,
                items,
              })
            : returnSale(terminal, {
                cashier,
                invoiceNo: invoiceFromScan(terminal, body.return_against),
                items,
              });
        } else {
          const manager = managerOf(terminal, body.manager);
          if (!manager) {
            throw new PosError(
              'ApprovalRequired',
              'a return without a receipt needs a manager (manager: {id, pin})',
              'manager',
            );
          }
          if (items.length === 0) {
            throw new PosError('InvalidInput', 'items: at least one item comes back', 'items');
          }
          result = returnWithoutReceipt(terminal, {
            cashier,
            manager,
            items,
            ...(body.customer !== undefined ? { customer: body.customer } : {}),
            ...(body.reason !== undefined ? { reason: body.reason } : {}),
          });
        }
        queued(terminal.db);
        return result;
      },
    }),
    route({
      method: 'POST',
      url: '/api/voids',
      summary: 'Cancel a whole sale of the open shift (a manager approves)',
      tag: TAG,
      access: 'session',
      body: voidSchema,
      created: true,
      handler: ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const manager = authenticateManager(terminal, body.manager.id, body.manager.pin);
        const result = returnSale(terminal, {
          cashier,
          invoiceNo: invoiceFromScan(terminal, body.invoice_no),
          void: { manager, reason: body.reason ?? '' },
        });
        queued(terminal.db);
        return result;
      },
    }),
    route({
      method: 'POST',
      url: '/api/exchanges',
      summary: 'Goods of a receipt back and others out, in one transaction',
      tag: TAG,
      access: 'session',
      body: exchangeSchema,
      created: true,
      handler: async ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const manager = managerOf(terminal, body.manager);
        const { payments, ...cart } = cartOf(body);
        // Another store's receipt is looked up in ERPNext, as for a return.
        const found = ctx.remote
          ? await findOriginal(terminal, ctx.remote.erp, ctx.remote.mode, body.return_against)
          : { here: true as const, invoiceNo: invoiceFromScan(terminal, body.return_against) };
        const result = exchange(terminal, {
          cashier,
          invoiceNo: found.here ? found.invoiceNo : found.original,
          returnItems: body.return_items,
          cart,
          ...(payments ? { payments } : {}),
          ...(manager ? { manager } : {}),
        });
        queued(terminal.db);
        return result;
      },
    }),
    route({
      method: 'POST',
      url: '/api/holds',
      summary: 'Put a cart on hold (nothing is sold or journaled)',
      tag: TAG,
      access: 'session',
      body: holdSchema,
      created: true,
      handler: ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const { note, ...cart } = body;
        const name = holdCart(terminal.db, {
          cashier_id: cashier.id,
          note: note ?? '',
          cart: JSON.stringify(cart),
          created_at: new Date(ctx.now()).toISOString(),
        });
        return { name };
      },
    }),
    route({
      method: 'GET',
      url: '/api/holds',
      summary: 'The carts on hold, oldest first',
      tag: TAG,
      access: 'session',
      query: noQuery,
      handler: ({ caller }) => ({
        holds: heldCarts(callerOf(caller).terminal.db).map((h) => ({
          name: h.name,
          cashier_id: h.cashier_id,
          note: h.note,
          created_at: h.created_at,
          cart: parseJsonWith(cartSchema, h.cart, `held cart ${h.name}`),
        })),
      }),
    }),
    route({
      method: 'POST',
      url: '/api/holds/:name/recall',
      summary: 'Take a cart off hold (once: a second recall finds nothing)',
      tag: TAG,
      access: 'session',
      params: holdParams,
      body: z.strictObject({}),
      handler: ({ params, caller }) => {
        const h = recallCart(callerOf(caller).terminal.db, params.name);
        if (!h) throw new PosError('NotFound', `no cart on hold named ${params.name}`, 'name');
        return {
          name: h.name,
          note: h.note,
          cart: parseJsonWith(cartSchema, h.cart, `held cart ${h.name}`),
        };
      },
    }),
  ];
}
