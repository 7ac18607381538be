import { Api } from './api/client';
import {
  pairingRequested,
  pairingStateSchema,
  type PairingRequested,
  type PairingState,
} from './api/schemas';
import { savePending, type KeyValue, type PendingPairing } from './pending';

/*
 * A device asking to pair (src/server/routes-pairing.ts): POST /api/pairing gives a short code
 * for a manager and this device's token; GET /api/pairing with that token says whether a
 * manager approved it. The request waiting is kept by pending.ts.
 */

export const DEVICE_HEADER = 'x-outpost-device';

/** Asks the node for a code; what comes back is kept until approved, expired or dropped. */
export async function askToPair(storage: KeyValue, label: string): Promise<PendingPairing> {
  // No credentials: this browser has none yet.
  const api = new Api({ headers: () => ({}), onRefused: () => undefined });
  const r: PairingRequested = await api.post(
    '/api/pairing',
    label.trim() === '' ? {} : { label: label.trim() },
    pairingRequested,
  );
  const pending = { device_token: r.device_token, code: r.code, expires_at: r.expires_at };
  savePending(storage, pending);
  return pending;
}

/** Where this device's request stands; DeviceUnknown (an ApiError) when the node forgot it. */
export function pairingState(token: string): Promise<PairingState> {
  // A refusal here is about the request, not a paired device: nothing to unpair.
  const api = new Api({ headers: () => ({ [DEVICE_HEADER]: token }), onRefused: () => undefined });
  return api.get('/api/pairing', pairingStateSchema);
}
