import { useCallback, useEffect, useRef } from 'react';
import type { Item } from '../api/schemas';
import type { Auth } from '../auth';
import { inOrder } from '../in-order';
import { scanSchema, type ScanAnswer } from '../pricing/book';
import { listenForScans } from '../scanner';

/** Calls the latest `onScan` for each scan; one listener for the screen's life (its burst
 * detector must not be reset mid-scan by a re-render). */
export function useScans(onScan: (code: string, field: HTMLInputElement | null) => void): void {
  const current = useRef(onScan);
  current.current = onScan;
  useEffect(() => listenForScans(window, (code, field) => current.current(code, field)), []);
}

/** The performance measure of a scan's request (bench/ui-scan-sample.ts reads it). */
export const SCAN_REQUEST = 'outpost:scan-request';

/**
 * Looks scanned codes up one after the other, so lines appear in the order they were scanned:
 * one request, which brings the records the page prices the item on (`learn`, before `found`).
 * A code scanned while no lookup is on its way is sent at once, from the scan's own key event,
 * before React renders anything (in bench/ui-scan.ts, keys → request sent went from p50 0.5 to
 * 0.2 ms). Its answer is rendered by React's scheduler, in a task of its
 * own: `flushSync` there would save that hop (~0.5 ms) but run every passive effect of the
 * render before the frame (~0.85 ms, measured in a trace), so it is not used.
 */
export function useLookups(auth: Auth, learn: (answer: ScanAnswer) => void) {
  const queue = useRef(inOrder());
  const learnRef = useRef(learn);
  learnRef.current = learn;
  return useCallback(
    (code: string, found: (item: Item) => void, failed: (e: unknown) => void) => {
      queue.current(() =>
        auth.api
          .get(`/api/pricing/scan?barcode=${encodeURIComponent(code)}`, scanSchema, SCAN_REQUEST)
          .then((r) => {
            const item = r.items[0];
            learnRef.current(r);
            if (item) found(item);
          }, failed),
      );
    },
    [auth],
  );
}
