import type { ServedNode } from './served-node.js';
import { MANAGER } from './store-dir.js';

export interface DeviceTokens {
  /** Approved, then revoked by the manager. */
  readonly revoked: string;
  /** Asked to pair; no manager approved it. */
  readonly pending: string;
  /** Never issued by the node (a well-formed random token). */
  readonly unknown: string;
}

/** Devices in each state a refusal must cover, made through the API as a terminal would. */
export async function refusedDevices(s: ServedNode, terminal = 'TX9'): Promise<DeviceTokens> {
  const paired = await s.pairDevice(terminal);
  const device = s.store
    .devices()
    .find((d) => d.terminal === paired.terminal && d.state === 'active');
  if (!device) throw new Error(`no active device on ${paired.terminal}`);
  const session = await s.login(MANAGER.id, MANAGER.pin);
  const r = await s.call('POST', `/api/devices/${encodeURIComponent(device.id)}/revoke`, {
    session,
    body: { manager: { id: MANAGER.id, pin: MANAGER.pin } },
  });
  if (r.status !== 200) throw new Error(`revoke: ${r.status} ${await r.text()}`);
  await s.call('DELETE', '/api/session', { session });
  const pending = await s.askPairing('torture pending');
  return {
    revoked: paired.token,
    pending: pending.token,
    unknown: 'd'.repeat(8) + '0123456789abcdef'.repeat(3),
  };
}
