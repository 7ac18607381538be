import { BurstDetector } from './burst';

/**
 * Listens on the whole window (capture phase, so no field has to have the focus) and calls
 * `onScan` for each burst. A burst typed into a text field is taken out of it again by the
 * caller (`onScan` gets the field), so a scan in the search box does not also search.
 */
export function listenForScans(
  target: Window,
  onScan: (code: string, field: HTMLInputElement | null) => void,
): () => void {
  const detector = new BurstDetector();
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    // The event's own time: when the key came, not when a busy page got round to it.
    const code = detector.feed(e.key, e.timeStamp);
    if (code === null) return;
    e.preventDefault();
    e.stopPropagation();
    const field = e.target instanceof HTMLInputElement ? e.target : null;
    onScan(code, field);
  };
  target.addEventListener('keydown', onKey, { capture: true });
  return () => target.removeEventListener('keydown', onKey, { capture: true });
}
