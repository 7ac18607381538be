import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MANAGER, query } from '../pos/till-fixture.js';
import { nodesPerTest, type Served, written } from './node-fixture.js';

type Json = Record<string, unknown>;

const nodes = nodesPerTest();

const start = (): Promise<Served> => nodes.start();

const SALE = { items: [{ item_code: 'SKU-0000001', qty: '2' }] };

describe('outpost serve: the till over HTTP', () => {
  it('prices, sells, and prints the receipt as text, then a copy, ESC/POS and PDF', async () => {
    const s = await start();
    const session = await s.login();
    const priced = await s.api('POST', '/api/cart/price', { session, body: SALE });
    expect(priced.status).toBe(200);
    expect(((await priced.json()) as Json)['grand_total']).toBe(7.87);
    const r = await s.api('POST', '/api/sales', { session, body: SALE });
    expect(r.status).toBe(201);
    // The node's group commit says where the sale's time went; alone, it was a group of one.
    expect(r.headers.get('server-timing')).toMatch(
      /^price;dur=\d+\.\d\d, queue;dur=\d+\.\d\d, commit;dur=\d+\.\d\d;desc="1 sales", sql;dur=\d+\.\d\d$/,
    );
    const sale = (await r.json()) as Json;
    expect(sale).toMatchObject({
      invoice_no: 'STORE-NORTH-T1-2026-000001',
      kind: 'sale',
      customer: 'Walk-in Customer',
      grand_total: '7.87',
      paid_amount: '7.87',
      change_amount: '0.00',
    });
    expect(query(s.dir, 'SELECT invoice_no, grand_total FROM sale')).toEqual([
      { invoice_no: 'STORE-NORTH-T1-2026-000001', grand_total: '7.87' },
    ]);
    const receipt = (format: string) =>
      s.api('POST', `/api/receipts/${String(sale['invoice_no'])}`, { session, body: { format } });
    const text = await receipt('text');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('x-outpost-receipt-copy')).toBe('0');
    const body = await text.text();
    expect(body).toContain('STORE-NORTH-T1-2026-000001');
    expect(body).toContain('7.87');
    expect(body).not.toContain('COPY');
    const copy = await receipt('text');
    expect(copy.headers.get('x-outpost-receipt-copy')).toBe('1');
    expect(await copy.text()).toContain('COPY 1');
    const escpos = new Uint8Array(await (await receipt('escpos')).arrayBuffer());
    expect([...escpos.slice(0, 2)]).toEqual([0x1b, 0x40]);
    const pdf = Buffer.from(await (await receipt('pdf')).arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const missing = await s.api('POST', '/api/receipts/NOPE-1', {
      session,
      body: { format: 'text' },
    });
    expect(missing.status).toBe(404);
  });

  it('returns at the till, voids with a manager, holds and recalls a cart once', async () => {
    const s = await start();
    const session = await s.login();
    const sale = (await (
      await s.api('POST', '/api/sales', { session, body: SALE })
    ).json()) as Json;
    const ret = await s.api('POST', '/api/returns', {
      session,
      body: {
        return_against: sale['invoice_no'],
        items: [{ item_code: 'SKU-0000001', qty: '1' }],
      },
    });
    expect(ret.status).toBe(201);
    expect(((await ret.json()) as Json)['kind']).toBe('return');
    const second = (await (
      await s.api('POST', '/api/sales', { session, body: SALE })
    ).json()) as Json;
    const noManager = await s.api('POST', '/api/voids', {
      session,
      body: { invoice_no: second['invoice_no'], manager: { id: MANAGER.id, pin: '0000' } },
    });
    expect(noManager.status).toBe(401);
    const voided = await s.api('POST', '/api/voids', {
      session,
      body: {
        invoice_no: second['invoice_no'],
        manager: { id: MANAGER.id, pin: MANAGER.pin },
        reason: 'wrong item',
      },
    });
    expect(voided.status).toBe(201);
    expect(((await voided.json()) as Json)['kind']).toBe('void');
    const held = await s.api('POST', '/api/holds', { session, body: { ...SALE, note: 'wallet' } });
    expect(held.status).toBe(201);
    expect(await held.json()).toEqual({ name: 'HOLD-1' });
    const list = (await (await s.api('GET', '/api/holds', { session })).json()) as {
      holds: Json[];
    };
    expect(list.holds.map((h) => [h['name'], h['note'], h['cart']])).toEqual([
      ['HOLD-1', 'wallet', SALE],
    ]);
    const recalled = await s.api('POST', '/api/holds/HOLD-1/recall', { session, body: {} });
    expect(await recalled.json()).toEqual({ name: 'HOLD-1', note: 'wallet', cart: SALE });
    const again = await s.api('POST', '/api/holds/HOLD-1/recall', { session, body: {} });
    expect(again.status).toBe(404);
    expect(query(s.dir, 'SELECT kind FROM sale ORDER BY seq')).toEqual([
      { kind: 'sale' },
      { kind: 'return' },
      { kind: 'sale' },
      { kind: 'void' },
    ]);
  });

  it('streams an outbox event to a subscriber when a sale is queued', async () => {
    const s = await start();
    const session = await s.login();
    const controller = new AbortController();
    const res = await fetch(`${s.node.url}/api/events`, {
      headers: { 'x-outpost-device': s.device, 'x-outpost-session': session },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    if (!res.body) throw new Error('no stream');
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async (): Promise<{ event: string; data: Json }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as Json;
          return { event, data };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const ready = await next();
    expect(ready.event).toBe('ready');
    // The template's shift opening waits in the outbox (ERPNext is out of reach).
    expect(ready.data['pending']).toBe(1);
    expect(s.node.events.size()).toBe(1);
    await s.api('POST', '/api/sales', { session, body: SALE });
    expect(await next()).toEqual({ event: 'outbox', data: { pending: 2 } });
    controller.abort();
  });

  it('reports sales, pending pushes and errors by kind on /metrics', async () => {
    const s = await start();
    const session = await s.login();
    await s.api('POST', '/api/sales', { session, body: SALE });
    await s.api('POST', '/api/sales', { session, body: { items: [] } });
    await s.api('GET', '/api/sync/status');
    const text = await (await fetch(`${s.node.url}/metrics`)).text();
    expect(text).toContain('outpost_sales_total{kind="sale"} 1\n');
    // The shift opening and the sale.
    expect(text).toContain('outpost_push_pending 2\n');
    expect(text).toContain('outpost_push_rejected 0\n');
    expect(text).toContain('outpost_errors_total{kind="InvalidInput"} 1\n');
    expect(text).toContain('outpost_errors_total{kind="SessionRequired"} 1\n');
    expect(text).toContain(`outpost_connectivity{state="${s.node.loops.connectivity()}"} 1\n`);
    // The sale's group commit was synced once (on the loop: this disk syncs fast, or not).
    const syncs = ['inline', 'pooled'].map((w) =>
      Number(new RegExp(`outpost_commit_syncs_total\\{where="${w}"\\} (\\d+)`).exec(text)?.[1]),
    );
    expect(syncs[0]! + syncs[1]!).toBe(1);
    // The WAL's checkpoints are the worker thread's: none ran on the event loop for one sale.
    expect(text).toMatch(/outpost_wal_checkpoints_total\{by="worker"\} \d+\n/);
    expect(text).toContain('outpost_wal_checkpoints_total{by="node"} 0\n');
    expect(text).toContain('outpost_wal_checkpoint_errors_total 0\n');
  });

  it('lets a sale in flight finish when shutdown begins, then refuses connections', async () => {
    const s = await start();
    const session = await s.login();
    const before = written(s.dir);
    // The body arrives in two parts: the request is in flight when close() is called.
    let sendRest: () => void = () => {};
    const text = JSON.stringify(SALE);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(text.slice(0, 10)));
        sendRest = () => {
          c.enqueue(new TextEncoder().encode(text.slice(10)));
          c.close();
        };
      },
    });
    const pending = fetch(`${s.node.url}/api/sales`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-outpost-device': s.device,
        'x-outpost-session': session,
      },
      body,
      duplex: 'half',
    });
    while (s.node.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
    const closed = s.node.close();
    await new Promise((r) => setTimeout(r, 50));
    sendRest();
    const r = await pending;
    expect(r.status).toBe(201);
    expect(((await r.json()) as Json)['invoice_no']).toBe('STORE-NORTH-T1-2026-000001');
    await closed;
    await expect(fetch(`${s.node.url}/healthz`)).rejects.toThrow();
    const after = written(s.dir);
    expect(after.sale).toBe((before.sale ?? 0) + 1);
    expect(after.push_job).toBe((before.push_job ?? 0) + 1);
  });

  it('looks items and customers up, creates a customer, exchanges, and runs the shift X, Z and a new opening', async () => {
    const s = await start();
    const session = await s.login();
    const get = async (path: string) => {
      const r = await s.api('GET', path, { session });
      expect([path, r.status]).toEqual([path, 200]);
      return (await r.json()) as Json;
    };
    const milk = {
      item_code: 'SKU-0000001',
      item_name: 'Meadow Farms Whole Milk 1 gal',
      item_group: 'Dairy',
      brand: 'Meadow Farms',
      stock_uom: 'Nos',
      uom: 'Nos',
      qty: '1',
      warehouse: 'Store North - ODR',
      stock: { actual_qty: '84', reserved_qty: '0', pending_qty: null, stock_qty: '84' },
      price: { price_list_rate: 4.29, rate: 4.29, amount: 4.29, grand_total: 4.38 },
    };
    expect(await get('/api/items?item_code=SKU-0000001')).toEqual({ items: [milk] });
    expect(await get('/api/items?barcode=0742710093377')).toEqual({
      items: [{ ...milk, barcode: '0742710093377', barcode_rule: null, barcode_amount: null }],
    });
    // A look-up's price is what one unit sells for (the cart priced as a sale prices it), for
    // every item of the first page: rules, taxes and rounding included.
    const page = (await get('/api/items?search=SKU-00000')) as { items: Json[] };
    expect(page.items.length).toBe(20);
    for (const found of page.items) {
      const code = String(found['item_code']);
      const [item = {}] = ((await get(`/api/items?item_code=${code}`)) as { items: Json[] }).items;
      const cart = await s.api('POST', '/api/cart/price', {
        session,
        body: { items: [{ item_code: item['item_code'], qty: '1' }] },
      });
      const inv = (await cart.json()) as Json & { items: Json[] };
      const row = inv.items[0] ?? {};
      expect([item['item_code'], item['price']]).toEqual([
        item['item_code'],
        {
          price_list_rate: row['price_list_rate'],
          rate: row['rate'],
          amount: row['amount'],
          grand_total: inv['grand_total'],
        },
      ]);
    }
    const search = (await get('/api/items?search=SKU-000000')) as { items: Json[] };
    expect(search.items.slice(0, 3).map((i) => i['item_code'])).toEqual([
      'SKU-0000001',
      'SKU-0000002',
      'SKU-0000003',
    ]);
    const unknown = await s.api('GET', '/api/items?barcode=0000000000000', { session });
    expect([unknown.status, ((await unknown.json()) as { error: Json }).error['kind']]).toEqual([
      404,
      'NotFound',
    ]);

    const created = await s.api('POST', '/api/customers', {
      session,
      body: { customer_name: 'Ann Lee', mobile_no: '555-0100' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      name: 'Ann Lee',
      customer_group: 'Individual',
      territory: 'United States',
      mobile_no: '555-0100',
    });
    expect(await get('/api/customers?search=Ann')).toEqual({
      customers: [
        {
          name: 'Ann Lee',
          customer_name: 'Ann Lee',
          mobile_no: '555-0100',
          email_id: '',
          loyalty_program: '',
          customer_group: 'Individual',
          pending_push: true,
        },
      ],
    });

    const sale = (await (
      await s.api('POST', '/api/sales', {
        session,
        body: { items: [{ item_code: 'SKU-0000003', qty: '3' }] },
      })
    ).json()) as Json;
    const ex = await s.api('POST', '/api/exchanges', {
      session,
      body: {
        return_against: sale['invoice_no'],
        return_items: [{ item_code: 'SKU-0000003', qty: '1' }],
        items: [{ item_code: 'SKU-0000002', qty: '1' }],
      },
    });
    expect(ex.status).toBe(201);
    expect(await ex.json()).toMatchObject({
      return: { invoice_no: 'STORE-NORTH-T1-2026-000002', grand_total: '-2.03' },
      sale: { invoice_no: 'STORE-NORTH-T1-2026-000003', grand_total: '5.60' },
      credit: '2.03',
      difference: '3.57',
    });
    const x = (await get('/api/shifts/current/x-report')) as { x_report: Json };
    expect(x.x_report).toMatchObject({
      sales: { count: 2, grand_total: '11.69' },
      returns: { count: 1, grand_total: '-2.03' },
      per_mode: { Cash: '9.66' },
      expected: { Cash: '109.66' },
    });
    const z = await s.api('POST', '/api/shifts/current/close', {
      session,
      body: { payment_reconciliation: [{ mode_of_payment: 'Cash', closing_amount: '109.66' }] },
    });
    expect(z.status).toBe(200);
    expect(((await z.json()) as { z_report: Json }).z_report).toMatchObject({
      counted: { Cash: '109.66' },
      difference: { Cash: '0.00' },
    });
    const opened = await s.api('POST', '/api/shifts', {
      session,
      body: { balance_details: [{ mode_of_payment: 'Cash', opening_amount: '50' }] },
    });
    expect(opened.status).toBe(201);
    expect(((await opened.json()) as { shift: Json }).shift).toMatchObject({
      id: 2,
      opened_by: 'alice',
      float: { Cash: '50.00' },
    });
    expect(await get('/api/review')).toEqual({ review: [] });
    expect(await get('/api/conflicts?since=2026-01-01')).toEqual({
      since: '2026-01-01',
      conflicts: [],
    });
    // Two openings, the sale, the exchange's return and sale, the closing; and the customer.
    expect(((await get('/api/sync/status')) as { push: Json }).push).toEqual({
      pending: 6,
      in_review: 0,
      customers_pending: 1,
      conflicts: 0,
      resolved: 0,
    });
  });

  it("prints on the store's network printer; a print that failed is not a copy", async () => {
    const jobs: Buffer[] = [];
    const sockets = new Set<Socket>();
    const printer = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.add(socket);
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => {
        jobs.push(Buffer.concat(chunks));
        socket.end();
      });
    });
    await new Promise<void>((r) => printer.listen(0, '127.0.0.1', () => r()));
    const address = printer.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const s = await nodes.start({ printer: `tcp://127.0.0.1:${port}` });
      const session = await s.login();
      const sale = (await (
        await s.api('POST', '/api/sales', { session, body: SALE })
      ).json()) as Json;
      const print = () =>
        s.api('POST', `/api/receipts/${String(sale['invoice_no'])}/print`, { session, body: {} });
      const first = await print();
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ invoice_no: sale['invoice_no'], copy: 0 });
      expect(jobs.length).toBe(1);
      expect([...(jobs[0] ?? Buffer.alloc(0)).subarray(0, 2)]).toEqual([0x1b, 0x40]);
      // The printer goes away: the print fails, and the next one is again copy 1, not 2.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => printer.close(() => r()));
      const failed = await print();
      expect(failed.status).toBe(502);
      expect(((await failed.json()) as { error: Json }).error['kind']).toBe('ReceiptError');
      await new Promise<void>((r) => printer.listen(port, '127.0.0.1', () => r()));
      const again = await print();
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ copy: 1 });
      expect(jobs.length).toBe(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      if (printer.listening) await new Promise<void>((r) => printer.close(() => r()));
    }
  });
});
