import { createServer, type Server } from 'node:net';

export interface FakePrinter {
  /** `tcp://127.0.0.1:PORT`, as `outpost serve --printer` takes it. */
  readonly url: string;
  /** Bytes received since the last `take()`. */
  take(): number;
  close(): Promise<void>;
}

/** A raw-TCP receipt printer (port 9100 style) that counts the bytes it is sent. */
export async function fakePrinter(): Promise<FakePrinter> {
  let bytes = 0;
  const server: Server = createServer((socket) => {
    socket.on('data', (chunk) => (bytes += chunk.length));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `tcp://127.0.0.1:${port}`,
    take: () => {
      const n = bytes;
      bytes = 0;
      return n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
