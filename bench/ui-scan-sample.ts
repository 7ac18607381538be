/**
 * One scan timed inside the cashier's screen (bench/ui-scan.ts): the script page.evaluate runs.
 * The scanner's keys are dispatched, then a MutationObserver notes the moment the new line, every
 * amount and the total are in the DOM with a price (the commit), and one requestAnimationFrame
 * from there gives the start of the frame that paints them. No frame loop runs while waiting: a
 * loop would keep the page's frames ticking on vsync, which the idle screen a cashier scans into
 * does not do (an idle page gets its next frame on demand), and would add its own work.
 * The split: the scan's request (the screen's `outpost:scan-request` measure, sent → answer
 * read, by the socket or by fetch: a socket's message has no resource timing entry), the page's
 * pricing (its `outpost:page-price` measures), the rest of the answer → commit (parse, React),
 * commit → frame.
 */
import { z } from 'zod';

export const sampleSchema = z.object({
  /** Keys → the frame that paints the priced line; -1: not painted within 10 s. */
  frame: z.number(),
  /** Keys → the DOM holds the priced line and total. */
  commit: z.number(),
  /** Whose price was painted first: the page's or the node's. */
  by: z.string(),
  /** Keys → the node's own price of the cart is shown. */
  node: z.number(),
  /** Keys → the scan's request sent; its round trip (sent → answer read), either transport. */
  keys_to_request: z.number(),
  request: z.number(),
  /** The page's pricing of the cart (sum of its measures before the commit). */
  pricing: z.number(),
});
export type Sample = z.output<typeof sampleSchema>;

/** The page script timing the scan of `barcode` into a cart of `lines` lines. */
export function sampleScript(barcode: string, lines: number): string {
  const keys = JSON.stringify([...barcode, 'Enter']);
  const want = lines + 1;
  return `new Promise((done) => {
    performance.clearMeasures('outpost:page-price');
    performance.clearMeasures('outpost:scan-request');
    const painted = () => {
      if (document.querySelectorAll('[data-testid=cart-line]').length !== ${want}) return false;
      const amounts = document.querySelectorAll('[data-testid=amount]');
      if (amounts.length !== ${want}) return false;
      for (const a of amounts) if (a.textContent === '…') return false;
      return document.querySelector('[data-testid=grand-total]') !== null;
    };
    const byNode = () => document.querySelector('[data-priced-by=node]') !== null;
    let commit = -1, frame = -1, by = '', keysToRequest = -1, request = -1, pricing = -1;
    const finish = (node) => {
      observer.disconnect();
      clearTimeout(timer);
      done({ frame, commit, by, node, keys_to_request: keysToRequest, request, pricing });
    };
    const observer = new MutationObserver(() => {
      const now = performance.now() - t0;
      if (commit < 0 && painted()) {
        commit = now;
        by = document.querySelector('[data-priced-by]')?.getAttribute('data-priced-by') ?? '';
        const scan = performance.getEntriesByName('outpost:scan-request')[0];
        if (scan) {
          keysToRequest = scan.startTime - t0;
          request = scan.duration;
        }
        pricing = performance.getEntriesByName('outpost:page-price').reduce((s, e) => s + e.duration, 0);
        requestAnimationFrame(() => {
          frame = performance.now() - t0;
          if (byNode()) finish(frame);
        });
      } else if (frame >= 0 && painted() && byNode()) finish(now);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    const timer = setTimeout(() => finish(-1), 10000);
    const t0 = performance.now();
    const target = document.activeElement ?? document.body;
    for (const key of ${keys}) {
      target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    }
  })`;
}

/**
 * The control of the socket's transport alone, in the page: a message the node refuses before
 * any route (a request for /api/ws itself) on a socket of its own, opened once with the
 * screen's tokens and kept; its round trip in ms.
 */
export const bareSocketScript = `(async () => {
  let c = window.__outpostControl;
  if (!c || c.readyState !== WebSocket.OPEN) {
    c = new WebSocket(location.origin.replace(/^http/, 'ws') + '/api/ws');
    await new Promise((opened, failed) => { c.onopen = opened; c.onerror = failed; });
    c.send(JSON.stringify({
      device: localStorage.getItem('outpost.device-token'),
      session: JSON.parse(sessionStorage.getItem('outpost.session')).session_token,
    }));
    window.__outpostControl = c;
  }
  const t0 = performance.now();
  await new Promise((answered) => {
    c.onmessage = answered;
    c.send('{"id":1,"method":"GET","url":"/api/ws"}');
  });
  return performance.now() - t0;
})()`;

/** p50, p95 and max, in ms to 0.1. */
export function stats(xs: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0).toFixed(1));
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}
