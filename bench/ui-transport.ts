/**
 * What a scan's request costs by transport, from a page in Debian's Chromium to a Node server
 * on 127.0.0.1: `fetch()`, `XMLHttpRequest` and a message on a WebSocket kept open, each
 * answered with the same small JSON (the size of a scan's answer). The node has no WebSocket
 * server; this one is the least the protocol needs (RFC 6455: the handshake, one unfragmented
 * masked text frame in, one unmasked out), enough to time the browser's side of the transport.
 * Run: `node --import tsx bench/ui-transport.ts [samples]`.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { z } from 'zod';
import { launch } from '../test/e2e/browser.js';
import { stats } from './ui-scan-sample.js';

const SAMPLES = Number(process.argv[2] ?? 300);
const ANSWER = JSON.stringify({
  items: [{ item_code: 'ITM-000001', item_name: 'x'.repeat(40) }],
  records: { Item: [{ name: 'ITM-000001', fields: 'y'.repeat(1500) }] },
});

const server = createServer((req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title>');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
});

/** One server frame: FIN + text, unmasked, with the 7- or 16-bit length. */
function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const head =
    body.length < 126
      ? Buffer.from([0x81, body.length])
      : Buffer.from([0x81, 126, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([head, body]);
}

server.on('upgrade', (req, socket) => {
  const key = z.string().parse(req.headers['sec-websocket-key']);
  const accept = createHash('sha1')
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  if (socket instanceof Socket) socket.setNoDelay(true);
  // Each client message of this bench is one small masked text frame (< 126 bytes).
  socket.on('data', (data: Buffer) => {
    // Opcode 8: the page closes; anything else is a question.
    if (((data[0] ?? 0) & 0x0f) === 0x08) socket.end();
    else socket.write(frame(ANSWER));
  });
});

await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  const load = [loadavg()[0] ?? 0];
  const times: unknown = await page.evaluate(`(async () => {
    const ws = new WebSocket('${url.replace('http', 'ws')}/ws');
    await new Promise((r) => (ws.onopen = r));
    const viaWs = () => new Promise((r) => { ws.onmessage = (e) => r(JSON.parse(e.data)); ws.send('{"barcode":"4006381333931"}'); });
    const viaFetch = async () => (await fetch('/api/pricing/scan?barcode=4006381333931')).json();
    const viaXhr = () => new Promise((r) => { const x = new XMLHttpRequest(); x.open('GET', '/api/pricing/scan?barcode=4006381333931'); x.onload = () => r(JSON.parse(x.responseText)); x.send(); });
    const out = { fetch: [], xhr: [], websocket: [] };
    for (let i = 0; i < ${SAMPLES} + 20; i++) {
      for (const [name, f] of [['fetch', viaFetch], ['xhr', viaXhr], ['websocket', viaWs]]) {
        const t0 = performance.now();
        await f();
        if (i >= 20) out[name].push(performance.now() - t0);
      }
    }
    ws.close();
    return out;
  })()`);
  load.push(loadavg()[0] ?? 0);
  const t = z.record(z.string(), z.array(z.number())).parse(times);
  const out = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, stats(v)]));
  console.log(
    JSON.stringify(
      { date: new Date().toISOString(), samples: SAMPLES, load_avg_1m: load, round_trip_ms: out },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  server.close();
}
