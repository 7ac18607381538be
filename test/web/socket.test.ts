import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SocketTransport } from '../../web/src/api/socket.js';

/** The browser's WebSocket as the transport uses it, driven by the test. */
class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  readonly sent: string[] = [];
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.closed = true;
  }
  /** The node answers request `id`. */
  answer(id: number, status: number, body: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ id, status, body }) });
  }
}

const URL = 'ws://node.test/api/ws';
const transport = () => new SocketTransport(URL, (u) => new FakeSocket(u) as unknown as WebSocket);
const last = () => FakeSocket.made[FakeSocket.made.length - 1];
const TOKENS = { device: 'dev-1', session: 'ses-1' };

beforeEach(() => {
  FakeSocket.made = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('the screen’s socket to the node', () => {
  it('answers nothing until open; then sends the tokens first and matches answers by id', async () => {
    const t = transport();
    expect(await t.ask('GET', '/api/till')).toBeNull();
    t.use(TOKENS);
    expect(await t.ask('GET', '/api/till')).toBeNull();
    const ws = last();
    ws?.onopen?.();
    const a = t.ask('GET', '/api/pricing/scan?barcode=1');
    const b = t.ask('GET', '/api/till');
    expect(ws?.sent).toEqual([
      '{"device":"dev-1","session":"ses-1"}',
      '{"id":1,"method":"GET","url":"/api/pricing/scan?barcode=1"}',
      '{"id":2,"method":"GET","url":"/api/till"}',
    ]);
    ws?.answer(2, 401, { error: { kind: 'SessionExpired', message: 'x' } });
    ws?.answer(1, 200, { items: [] });
    expect(await a).toEqual({ status: 200, body: { items: [] } });
    expect(await b).toEqual({
      status: 401,
      body: { error: { kind: 'SessionExpired', message: 'x' } },
    });
    expect(FakeSocket.made.length).toBe(1);
  });

  it('gives null for a request whose socket closes before the answer, and reopens after 250 ms, then 1 s', async () => {
    const t = transport();
    t.use(TOKENS);
    last()?.onopen?.();
    const pending = t.ask('GET', '/api/till');
    last()?.onclose?.();
    expect(await pending).toBeNull();
    expect(await t.ask('GET', '/api/till')).toBeNull();
    vi.advanceTimersByTime(249);
    expect(FakeSocket.made.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made.length).toBe(2);
    // Refused again (a proxy): the next try waits longer.
    last()?.onclose?.();
    vi.advanceTimersByTime(999);
    expect(FakeSocket.made.length).toBe(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made.length).toBe(3);
  });

  it('takes a socket silent for 5 s as dead: null, closed, reopened', async () => {
    const t = transport();
    t.use(TOKENS);
    const first = last();
    first?.onopen?.();
    const pending = t.ask('GET', '/api/till');
    vi.advanceTimersByTime(5000);
    expect(await pending).toBeNull();
    expect(first?.closed).toBe(true);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.made.length).toBe(2);
  });

  it('reopens with new tokens when the session changes, and closes for good at logout', async () => {
    const t = transport();
    t.use(TOKENS);
    const first = last();
    first?.onopen?.();
    t.use({ ...TOKENS });
    expect(FakeSocket.made.length).toBe(1);
    const pending = t.ask('GET', '/api/till');
    t.use({ device: 'dev-1', session: 'ses-2' });
    expect(await pending).toBeNull();
    expect(first?.closed).toBe(true);
    const second = last();
    second?.onopen?.();
    expect(second?.sent).toEqual(['{"device":"dev-1","session":"ses-2"}']);
    t.use(null);
    expect(second?.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.made.length).toBe(2);
    expect(await t.ask('GET', '/api/till')).toBeNull();
  });
});
