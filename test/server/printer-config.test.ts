import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStoreNode } from '../../src/cli/serve.js';
import { CASHIER, cli, makeTemplate } from '../pos/till-fixture.js';

type Json = Record<string, unknown>;

let template: Awaited<ReturnType<typeof makeTemplate>>;
beforeAll(async () => {
  template = await makeTemplate();
}, 120_000);

/** A raw-port printer on loopback that keeps each job's bytes. */
async function fakePrinter(): Promise<{ server: Server; url: string; jobs: Buffer[] }> {
  const jobs: Buffer[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      jobs.push(Buffer.concat(chunks));
      socket.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { server, url: `tcp://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, jobs };
}

function configure(dir: string, extra: Json): void {
  const file = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
  writeFileSync(file, JSON.stringify({ ...config, ...extra }));
}

/** Sells one item on the node and asks for its receipt on the printer. */
async function sellAndPrint(dir: string, flag?: string): Promise<number> {
  const node = await startStoreNode(dir, '127.0.0.1', 0, {
    logger: pino({ level: 'silent' }),
    ...(flag !== undefined ? { printer: flag } : {}),
  });
  try {
    const device = { 'x-outpost-device': node.deviceToken ?? '' };
    const post = (path: string, body: unknown, session?: string) =>
      fetch(`${node.url}${path}`, {
        method: 'POST',
        headers: {
          ...device,
          'content-type': 'application/json',
          ...(session ? { 'x-outpost-session': session } : {}),
        },
        body: JSON.stringify(body),
      });
    const login = (await (
      await post('/api/session', { cashier: CASHIER.id, pin: CASHIER.pin })
    ).json()) as { session_token: string };
    const sale = (await (
      await post('/api/sales', { items: [{ item_code: 'SKU-0000001' }] }, login.session_token)
    ).json()) as Json;
    const printed = await post(
      `/api/receipts/${String(sale['invoice_no'])}/print`,
      {},
      login.session_token,
    );
    return printed.status;
  } finally {
    await node.close();
  }
}

describe("the store's receipt printer in config.json", () => {
  const printers: Server[] = [];
  afterAll(async () => {
    await Promise.all(printers.map((p) => new Promise<void>((r) => p.close(() => r()))));
  });

  it('outpost serve prints on config.json\'s "printer"; --printer overrides it', async () => {
    const configured = await fakePrinter();
    const flagged = await fakePrinter();
    printers.push(configured.server, flagged.server);
    const dir = template.copy();
    configure(dir, { printer: configured.url });
    expect(await sellAndPrint(dir)).toBe(200);
    expect(configured.jobs.length).toBe(1);
    expect([...(configured.jobs[0] ?? Buffer.alloc(0)).subarray(0, 2)]).toEqual([0x1b, 0x40]);

    expect(await sellAndPrint(dir, flagged.url)).toBe(200);
    expect([configured.jobs.length, flagged.jobs.length]).toEqual([1, 1]);
  }, 60_000);

  it('a printer that is neither tcp://HOST[:PORT] nor a device path is refused naming the field', async () => {
    const dir = template.copy();
    configure(dir, { printer: 'http://printer.local/' });
    const r = await cli(['status', '--data', dir, '--json']);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      error: {
        kind: 'InvalidInput',
        field: 'printer',
        message:
          'config.json: printer: expected tcp://HOST[:PORT] or an absolute device path such as /dev/usb/lp0',
      },
    });
  });
});
