import type { PullProgress } from '../sync/pull.js';

/** A one-line progress bar on a terminal: doctype, count, records/s and ETA. */
export function progressBar(write: (s: string) => void, isTty: boolean): (p: PullProgress) => void {
  let doctype = '';
  let started = Date.now();
  return (p) => {
    if (p.doctype !== doctype) {
      if (doctype && isTty) write('\n');
      doctype = p.doctype;
      started = Date.now();
    }
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = p.done / secs;
    const total = p.total ?? 0;
    const pct = total ? Math.min(1, p.done / total) : 1;
    const width = 24;
    const bar = '#'.repeat(Math.round(pct * width)).padEnd(width, '.');
    const eta = total && rate > 0 ? `${Math.max(0, Math.ceil((total - p.done) / rate))}s` : '-';
    const line = `${p.doctype.padEnd(32)} [${bar}] ${p.done}/${p.total ?? '?'}  ${Math.round(rate)} rec/s  ETA ${eta}`;
    write(isTty ? `\r${line}` : `${line}\n`);
  };
}
