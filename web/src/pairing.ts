import { z } from 'zod';
import { Api } from './api/client';
import {
  pairingRequested,
  pairingStateSchema,
  type PairingRequested,
  type PairingState,
} from './api/schemas';

/*
 * A device asking to pair (src/server/routes-pairing.ts): POST /api/pairing gives a short code
 * for a manager and this device's token; GET /api/pairing with that token says whether a
 * manager approved it. The request is kept in localStorage so a reload while waiting shows the
 * same code rather than asking again (each ask takes one of the node's few waiting slots).
 */

const PENDING_KEY = 'outpost.pairing';

export const DEVICE_HEADER = 'x-outpost-device';

const pendingSchema = z.object({
  device_token: z.string().min(16),
  code: z.string(),
  expires_at: z.string(),
});
export type PendingPairing = z.output<typeof pendingSchema>;

export function loadPending(storage: Storage): PendingPairing | null {
  const text = storage.getItem(PENDING_KEY);
  if (text === null) return null;
  try {
    return pendingSchema.parse(JSON.parse(text));
  } catch {
    storage.removeItem(PENDING_KEY);
    return null;
  }
}

export function clearPending(storage: Storage): void {
  storage.removeItem(PENDING_KEY);
}

/** Asks the node for a code; what comes back is kept until approved, expired or dropped. */
export async function askToPair(storage: Storage, label: string): Promise<PendingPairing> {
  // No credentials: this browser has none yet.
  const api = new Api({ headers: () => ({}), onRefused: () => undefined });
  const r: PairingRequested = await api.post(
    '/api/pairing',
    label.trim() === '' ? {} : { label: label.trim() },
    pairingRequested,
  );
  const pending = { device_token: r.device_token, code: r.code, expires_at: r.expires_at };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  return pending;
}

/** Where this device's request stands; DeviceUnknown (an ApiError) when the node forgot it. */
export function pairingState(token: string): Promise<PairingState> {
  // A refusal here is about the request, not a paired device: nothing to unpair.
  const api = new Api({ headers: () => ({ [DEVICE_HEADER]: token }), onRefused: () => undefined });
  return api.get('/api/pairing', pairingStateSchema);
}
