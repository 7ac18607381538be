import { Dec, QuoteError, jsonNumbers } from '../core/index.js';
import {
  PosError,
  amountsPerMode,
  closeShift,
  openShift,
  printReceipt,
  quoteDue,
  xReport,
  type Terminal,
} from '../pos/index.js';
import { addCustomer } from '../pos/customers.js';
import { str } from '../pos/fields.js';
import {
  renderEscPos,
  renderHtml,
  renderPdf,
  renderText,
  sendToPrinter,
} from '../receipt/index.js';
import { localCustomersByName } from '../store/customers-local.js';
import type { ItemRow } from '../store/lookup.js';
import { callerOf, managerOf, type RouteContext } from './context.js';
import { route, type Route } from './routing.js';
import {
  customerQuerySchema,
  customerSchema,
  invoiceParams,
  itemQuerySchema,
  managerSchema,
  noQuery,
  receiptSchema,
  shiftCloseSchema,
  shiftOpenSchema,
} from './schemas.js';

type Rec = Record<string, unknown>;

/** The price a sale of one unit would have now (walk-in customer), or null when it cannot sell. */
function priceOf(term: Terminal, itemCode: string, qty: string): Rec | null {
  try {
    // The four figures as toErpnextJson gives them, from the amount due alone (no payments or
    // loyalty settled, no JSON of the whole invoice: a barcode look-up's time went there).
    const doc = quoteDue(term, { lines: [{ item_code: itemCode, qty }] }).doc;
    const { money } = jsonNumbers(doc);
    const row = doc.items[0];
    return {
      price_list_rate: row ? money(row.price_list_rate ?? new Dec(0)) : null,
      rate: row ? money(row.rate ?? new Dec(0)) : null,
      amount: row ? money(row.amount) : null,
      grand_total: money(doc.grand_total),
    };
  } catch (e) {
    if (e instanceof PosError || e instanceof QuoteError) return null;
    throw e;
  }
}

function itemOf(term: Terminal, row: ItemRow, uom: string, qty: Dec, priced: boolean): Rec {
  const warehouse = str(term.profile()['warehouse']);
  return {
    item_code: row.item_code,
    item_name: row.item_name,
    item_group: row.item_group,
    brand: row.brand,
    stock_uom: row.stock_uom,
    uom,
    qty: qty.toFixed(),
    warehouse,
    stock: term.lookup.stock(row.item_code, warehouse),
    ...(priced ? { price: priceOf(term, row.item_code, qty.toFixed()) } : {}),
  };
}

/** Look-ups, customers, shifts and receipts. */
export function storeRoutes(ctx: RouteContext): Route[] {
  return [
    route({
      method: 'GET',
      url: '/api/items',
      summary: 'An item by barcode (weighed and price labels too) or code, or search-as-you-type',
      tag: 'Items',
      access: 'session',
      query: itemQuerySchema,
      handler: ({ query, caller }) => {
        const term = callerOf(caller).terminal;
        if (query.search !== undefined) {
          return {
            items: term.lookup
              .search(query.search)
              .map((r) => itemOf(term, r, r.stock_uom, new Dec(1), false)),
          };
        }
        if (query.item_code !== undefined) {
          const row = term.lookup.byCode(query.item_code);
          if (!row) throw new PosError('NotFound', `no item ${query.item_code}`, 'item_code');
          return { items: [itemOf(term, row, row.stock_uom, new Dec(1), true)] };
        }
        const code = query.barcode ?? '';
        let hit;
        try {
          hit = term.lookup.scan(code);
        } catch (e) {
          // A variable-measure code whose check digit is wrong: a misread, never a guess.
          if (e instanceof RangeError)
            throw new PosError('InvalidInput', `barcode: ${e.message}`, 'barcode');
          throw e;
        }
        if (!hit) throw new PosError('NotFound', `no item has barcode ${code}`, 'barcode');
        return {
          items: [
            {
              ...itemOf(term, hit.item, hit.uom || hit.item.stock_uom, hit.qty ?? new Dec(1), true),
              barcode: hit.scan,
              barcode_rule: hit.rule,
              barcode_amount: hit.amount?.toFixed() ?? null,
            },
          ],
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/customers',
      summary: 'Customers by name, id, phone or e-mail',
      tag: 'Customers',
      access: 'session',
      query: customerQuerySchema,
      handler: ({ query, caller }) => {
        const term = callerOf(caller).terminal;
        const hits = term.lookup.customers(query.search);
        const local = localCustomersByName(
          term.db,
          hits.map((h) => h['name'] ?? ''),
        );
        return {
          customers: hits.map((h) => {
            const l = local.get(h['name'] ?? '');
            return { ...h, pending_push: l !== undefined && l.state !== 'done' };
          }),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/customers',
      summary: 'Create a customer at the till (ERPNext gets it on the next push)',
      tag: 'Customers',
      access: 'session',
      body: customerSchema,
      created: true,
      handler: ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const c = addCustomer(terminal, body, cashier);
        ctx.events.publish('outbox', { customers_pending: 1 });
        return {
          name: c.name,
          customer_name: c.customer_name,
          customer_group: c.customer_group,
          territory: c.territory,
          mobile_no: c.mobile_no,
          email_id: c.email_id,
          loyalty_program: c.loyalty_program,
          uuid: c.uuid,
          seq: c.seq,
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/shifts',
      summary: 'Open a shift with its float per mode (POS Opening Entry balance_details)',
      tag: 'Shifts',
      access: 'session',
      body: shiftOpenSchema,
      created: true,
      handler: ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const float = amountsPerMode(
          terminal,
          body.balance_details.map((b) => ({ mode: b.mode_of_payment, amount: b.opening_amount })),
          'balance_details',
        );
        const shift = openShift(terminal, cashier, float);
        // snake_case on the wire (the till's Shift is camelCase inside).
        return {
          shift: {
            id: shift.id,
            uuid: shift.uuid,
            opened_seq: shift.openedSeq,
            opened_at: shift.openedAt,
            opened_by: shift.openedBy,
            float: shift.float,
          },
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/shifts/current/x-report',
      summary: "The open shift's figures so far (X report, journaled)",
      tag: 'Shifts',
      access: 'session',
      query: noQuery,
      handler: ({ caller }) => ({ x_report: xReport(callerOf(caller).terminal) }),
    }),
    route({
      method: 'POST',
      url: '/api/shifts/current/close',
      summary:
        'Close the shift with the cash count (Z report; POS Closing Entry payment_reconciliation)',
      tag: 'Shifts',
      access: 'session',
      body: shiftCloseSchema,
      handler: ({ body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const counted = amountsPerMode(
          terminal,
          body.payment_reconciliation.map((p) => ({
            mode: p.mode_of_payment,
            amount: p.closing_amount,
          })),
          'payment_reconciliation',
        );
        return { z_report: closeShift(terminal, cashier, counted) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/receipts/:invoice_no',
      summary:
        'Issue a receipt (original, then COPY n; every issue journaled) as text, HTML, PDF or ESC/POS',
      tag: 'Receipts',
      access: 'session',
      params: invoiceParams,
      body: receiptSchema.extend({ manager: managerSchema.optional() }),
      produces: ['text/plain', 'text/html', 'application/pdf', 'application/octet-stream'],
      handler: async ({ params, body, caller, reply }) => {
        const { terminal, cashier } = callerOf(caller);
        const manager = managerOf(terminal, body.manager);
        const width = body.width ?? 80;
        let out: { type: string; data: string | Buffer } | undefined;
        const issued = await printReceipt(
          terminal,
          params.invoice_no,
          { cashier, ...(manager ? { manager } : {}) },
          async (receipt) => {
            if (body.format === 'text')
              out = {
                type: 'text/plain; charset=utf-8',
                data: renderText(receipt, width === 80 ? 48 : 32),
              };
            else if (body.format === 'html')
              out = { type: 'text/html; charset=utf-8', data: renderHtml(receipt) };
            else if (body.format === 'pdf')
              out = { type: 'application/pdf', data: await renderPdf(receipt) };
            else
              out = {
                type: 'application/octet-stream',
                data: Buffer.from(renderEscPos(receipt, { width })),
              };
          },
        );
        if (!out) throw new Error('the receipt was issued but not rendered');
        void reply
          .header('content-type', out.type)
          .header('x-outpost-receipt-copy', String(issued.copy))
          .header('x-outpost-receipt-seq', String(issued.seq));
        return out.data;
      },
    }),
    route({
      method: 'POST',
      url: '/api/receipts/:invoice_no/print',
      summary:
        "Print a receipt (ESC/POS) on the store's printer; a failed print is not an issued copy",
      tag: 'Receipts',
      access: 'session',
      params: invoiceParams,
      body: receiptSchema.pick({ width: true }).extend({ manager: managerSchema.optional() }),
      handler: async ({ params, body, caller }) => {
        const { terminal, cashier } = callerOf(caller);
        const printer = ctx.printer;
        if (printer === undefined) {
          throw new PosError(
            'NotReady',
            'no receipt printer is configured: start the node with --printer tcp://HOST:9100',
            'printer',
          );
        }
        const manager = managerOf(terminal, body.manager);
        const width = body.width ?? 80;
        const issued = await printReceipt(
          terminal,
          params.invoice_no,
          { cashier, ...(manager ? { manager } : {}) },
          (receipt) => sendToPrinter(renderEscPos(receipt, { width }), printer),
        );
        return { invoice_no: params.invoice_no, copy: issued.copy, seq: issued.seq };
      },
    }),
  ];
}
