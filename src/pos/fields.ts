import { Dec, asText } from '../core/index.js';

/** A JSON field as text ('' when absent or not text/number). */
export const str = (v: unknown): string => asText(v);

/** A JSON field as an exact decimal (0 when absent or blank). */
export const dec = (v: unknown): Dec => new Dec(asText(v) || 0);
