import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReceiptError, sendToPrinter } from '../../src/receipt/index.js';

/** Server-side sockets still open, destroyed after each test so the servers can close. */
const open = new Set<Socket>();

/** A raw-port printer in process: it reads to end of input, then closes, as printers do. */
function fakePrinter(onJob: (bytes: Buffer) => void, { hang = false } = {}): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      onJob(Buffer.concat(chunks));
      if (!hang) socket.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (s: Server): number => {
  const a = s.address();
  if (a === null || typeof a === 'string') throw new Error('not listening on TCP');
  return a.port;
};

describe('sendToPrinter', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map(
        (s) =>
          new Promise<void>((r) => {
            for (const socket of open) socket.destroy();
            s.close(() => r());
          }),
      ),
    );
  });

  it('delivers every byte to tcp://host:port and resolves when the printer closes', async () => {
    const jobs: Buffer[] = [];
    const server = await fakePrinter((b) => jobs.push(b));
    servers.push(server);
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    await sendToPrinter(bytes, `tcp://127.0.0.1:${portOf(server)}`);
    expect(jobs).toHaveLength(1);
    expect(Buffer.compare(jobs[0] ?? Buffer.alloc(0), Buffer.from(bytes))).toBe(0);
  });

  it('says clearly when nothing listens', async () => {
    const server = await fakePrinter(() => undefined);
    const port = portOf(server);
    await new Promise<void>((r) => server.close(() => r()));
    await expect(sendToPrinter(new Uint8Array([1]), `tcp://127.0.0.1:${port}`)).rejects.toThrow(
      /refused the connection/,
    );
  });

  it('gives up on a printer that never finishes the job', async () => {
    const server = await fakePrinter(() => undefined, { hang: true });
    servers.push(server);
    const sent = sendToPrinter(new Uint8Array([1, 2, 3]), `tcp://127.0.0.1:${portOf(server)}`, {
      timeoutMs: 200,
    });
    await expect(sent).rejects.toThrow(/did not take the receipt within 200 ms/);
  });

  it('writes to a file or device path', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outpost-receipt-')), 'receipt.bin');
    await sendToPrinter(new Uint8Array([0x1b, 0x40, 0x41]), path);
    expect([...readFileSync(path)]).toEqual([0x1b, 0x40, 0x41]);
    await expect(sendToPrinter(new Uint8Array([1]), join(path, 'not-a-dir', 'x'))).rejects.toThrow(
      ReceiptError,
    );
  });

  it('refuses other URL schemes', async () => {
    await expect(sendToPrinter(new Uint8Array([1]), 'usb://printer')).rejects.toThrow(
      /tcp:\/\/host:port/,
    );
  });
});
