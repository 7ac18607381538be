import { toLines } from './columns.js';
import { layout } from './layout.js';
import type { Receipt } from './types.js';

/**
 * The receipt as plain text in `width` columns (48 for 80 mm, 32 for 58 mm paper). The QR
 * cannot be drawn in text, so its payload is printed instead: it is what a verifier reads.
 */
export function renderText(receipt: Receipt, width: number): string {
  if (!Number.isSafeInteger(width) || width < 20)
    throw new RangeError('width: expected 20 or more columns');
  return toLines(layout(receipt), width)
    .flatMap((l) => (l.kind === 'line' ? [l.text] : ['Verification:', ...chunks(l.payload, width)]))
    .join('\n')
    .concat('\n');
}

/** The payload has no spaces to wrap at; cut it into full lines. */
function chunks(payload: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < payload.length; i += width) out.push(payload.slice(i, i + width));
  return out;
}
