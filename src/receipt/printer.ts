import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { ReceiptError } from './errors.js';

interface SendOptions {
  /** Whole exchange deadline for a network printer, in ms (connect, write, close). */
  readonly timeoutMs?: number;
}

const TCP = /^tcp:\/\/([^:/\s]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;

/**
 * Sends printer bytes to `tcp://host[:port]` (raw port 9100 by default, as network receipt
 * printers listen) or writes them to a file or device path such as /dev/usb/lp0.
 * Resolves once the printer has closed the connection or the file is written.
 */
export async function sendToPrinter(
  bytes: Uint8Array,
  target: string,
  options: SendOptions = {},
): Promise<void> {
  const m = TCP.exec(target);
  if (m) {
    const host = (m[1] ?? '').replace(/^\[|\]$/g, '');
    const port = Number(m[2] ?? 9100);
    if (port < 1 || port > 65535) throw new ReceiptError(`bad port ${port}`, 'target');
    return sendTcp(bytes, host, port, options.timeoutMs ?? 10_000);
  }
  if (target.includes('://')) {
    throw new ReceiptError(`expected tcp://host:port or a path, got ${target}`, 'target');
  }
  try {
    await writeFile(target, bytes);
  } catch (e) {
    throw new ReceiptError(`cannot write to ${target}: ${(e as Error).message}`, 'target');
  }
}

function sendTcp(bytes: Uint8Array, host: string, port: number, timeoutMs: number): Promise<void> {
  const where = `printer at ${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let connected = false;
    const fail = (message: string): void => {
      socket.destroy();
      reject(new ReceiptError(message, 'target'));
    };
    // One deadline for the whole job: a printer that accepts but never drains must not hang a till.
    const timer = setTimeout(
      () =>
        fail(
          connected
            ? `${where} did not take the receipt within ${timeoutMs} ms`
            : `no answer from ${where} within ${timeoutMs} ms`,
        ),
      timeoutMs,
    );
    socket.once('connect', () => {
      connected = true;
      socket.end(bytes);
    });
    // Raw-port printers close once they have read to end of input: that is the acknowledgement.
    socket.once('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve();
    });
    socket.on('data', () => undefined); // status bytes some printers send back; drain them
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        e.code === 'ECONNREFUSED'
          ? `${where} refused the connection (is it on and listening?)`
          : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
            ? `cannot resolve printer host ${host}`
            : `${where}: ${e.message}`;
      fail(why);
    });
  });
}
