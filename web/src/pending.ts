import { z } from 'zod';

/*
 * A pairing request waiting for its approval, kept in localStorage so a reload shows the same
 * code rather than asking again (each ask takes one of the node's few waiting slots). Read back
 * through its schema: a damaged entry is forgotten, never trusted.
 */

/** The part of Web Storage used here (localStorage in the page, a map in tests). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PENDING_KEY = 'outpost.pairing';

const pendingSchema = z.object({
  device_token: z.string().min(16),
  code: z.string(),
  expires_at: z.string(),
});
export type PendingPairing = z.output<typeof pendingSchema>;

export function loadPending(storage: KeyValue): PendingPairing | null {
  const text = storage.getItem(PENDING_KEY);
  if (text === null) return null;
  try {
    return pendingSchema.parse(JSON.parse(text));
  } catch {
    storage.removeItem(PENDING_KEY);
    return null;
  }
}

export function clearPending(storage: KeyValue): void {
  storage.removeItem(PENDING_KEY);
}

export function savePending(storage: KeyValue, pending: PendingPairing): void {
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
}
