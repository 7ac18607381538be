import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import {
  activateDevice,
  activeDeviceOf,
  codeTaken,
  deviceByCode,
  deviceById,
  deviceByTokenHash,
  insertDevice,
  listDevices,
  waitingPairings,
  revokeDeviceRow,
  type DeviceRow,
} from '../store/devices.js';
import { findTerminal, listTerminals, registerTerminal } from '../store/terminals.js';
import { authenticateManager, recordApproval, type Cashier } from './cashiers.js';
import { PosError, invalid } from './errors.js';
import type { StoreNode } from './node.js';
import { TERMINAL_NAME } from './node-files.js';

/** A pairing code lives this long; the device then asks again. */
export const PAIRING_MINUTES = 10;
/**
 * At most this many codes wait at once. A code dies after PAIRING_MINUTES, so this also bounds
 * the requests a flood can make per PAIRING_MINUTES while no manager approves any.
 */
export const MAX_WAITING = 10;

/** Crockford's base 32: no I, L, O, U, so a code read aloud or off a screen types back right. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new device's request: its token (shown once, kept only hashed) and the code to approve. */
export interface PairingRequest {
  readonly device_id: string;
  /** Eight characters as XXXX-XXXX (40 bits), typed by the manager. */
  readonly code: string;
  /** The bearer token the device sends on every call; worth nothing until approved. */
  readonly token: string;
  readonly expires_at: string;
}

/** An approved device as the server sees it. */
export interface PairedDevice {
  readonly device_id: string;
  readonly terminal: string;
  readonly label: string;
}

export const tokenHash = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

const iso = (ms: number) => new Date(ms).toISOString();

function newCode(db: Db): string {
  for (;;) {
    let c = '';
    for (let i = 0; i < 8; i += 1) c += ALPHABET[randomInt(ALPHABET.length)];
    const code = `${c.slice(0, 4)}-${c.slice(4)}`;
    // Codes are never reused, even expired ones: an old code typed late must not pair a stranger.
    if (!codeTaken(db, code)) return code;
  }
}

/** A code as typed: case, spaces and dashes do not matter; O is 0, I and L are 1. */
export function normalizeCode(typed: string): string {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(c)) {
    throw invalid('code', 'a pairing code is 8 letters and digits, e.g. K7QM-4X2P');
  }
  return `${c.slice(0, 4)}-${c.slice(4)}`;
}

/**
 * A device asks to pair. Refused with RateLimited while MAX_WAITING codes wait (a flood would
 * bury the real one on the manager's list).
 */
export function requestPairing(node: StoreNode, input: { label?: string } = {}): PairingRequest {
  const label = (input.label ?? '').trim();
  if (label.length > 64) throw invalid('label', 'at most 64 characters');
  const now = node.clock.now();
  return node.db
    .transaction(() => {
      const waiting = waitingPairings(node.db, iso(now));
      if (waiting >= MAX_WAITING) {
        throw new PosError(
          'RateLimited',
          `${waiting} pairing codes already wait for a manager: ask again in a few minutes`,
        );
      }
      const request: PairingRequest = {
        device_id: randomUUID(),
        code: newCode(node.db),
        token: randomBytes(32).toString('base64url'),
        expires_at: iso(now + PAIRING_MINUTES * 60_000),
      };
      insertDevice(node.db, {
        id: request.device_id,
        tokenHash: tokenHash(request.token),
        code: request.code,
        label,
        at: iso(now),
        expiresAt: request.expires_at,
      });
      return request;
    })
    .immediate();
}

/**
 * Who holds `token`, checked on every call: an active device and its terminal, else a PosError
 * DeviceUnknown, DeviceRevoked, PairingPending or PairingExpired.
 */
export function authenticateDevice(db: Db, token: string, nowMs: number): PairedDevice {
  const row = token ? deviceByTokenHash(db, tokenHash(token)) : undefined;
  if (!row)
    throw new PosError('DeviceUnknown', 'this device is not paired with the store', 'token');
  if (row.state === 'revoked') {
    throw new PosError('DeviceRevoked', `this device was revoked on ${row.revoked_at}`, 'token');
  }
  if (row.state === 'pending') {
    if (Date.parse(row.expires_at) <= nowMs) {
      throw new PosError('PairingExpired', 'the pairing code expired: ask to pair again', 'token');
    }
    throw new PosError(
      'PairingPending',
      `waiting for a manager to approve code ${row.code}`,
      'token',
    );
  }
  return { device_id: row.id, terminal: row.terminal ?? '', label: row.label };
}

/** The result of an approval: the device, its terminal, and the override record's seq. */
export interface Approval extends PairedDevice {
  readonly approved_by: string;
  readonly approved_at: string;
  /** Whether the terminal was made for this device (its key is made at its first use). */
  readonly new_terminal: boolean;
  readonly seq: number;
}

/**
 * A manager approves a pairing code at the node's terminal `at`: the PIN is checked as for any
 * approval (failures journaled, lockout), then the device is bound to `terminal` (an existing
 * one no device holds, or a new one) and the approval journaled as an override record, in one
 * transaction. Without `terminal`, the first free one, else a new T<n>.
 */
export function approvePairing(
  node: StoreNode,
  input: { code: string; manager: string; pin: string; terminal?: string; at?: string },
): Approval {
  const code = normalizeCode(input.code);
  const term = node.terminal(input.at);
  const manager = authenticateManager(term, input.manager, input.pin);
  const now = node.clock.now();
  return term.transact((tx) => {
    const device = deviceByCode(node.db, code);
    if (!device) throw new PosError('NotFound', `no pairing request with code ${code}`, 'code');
    if (device.state !== 'pending') {
      throw new PosError(
        'PairingUsed',
        `code ${code} was already ${device.state === 'active' ? 'approved' : 'revoked'}`,
        'code',
      );
    }
    if (Date.parse(device.expires_at) <= now) {
      throw new PosError('PairingExpired', `code ${code} expired at ${device.expires_at}`, 'code');
    }
    const { name, created } = chooseTerminal(node.db, input.terminal, iso(now));
    const record = recordApproval(tx, manager, manager, 'pair_device', {
      device_id: device.id,
      code,
      label: device.label,
      terminal: name,
      new_terminal: created,
    });
    activateDevice(node.db, device.id, name, iso(now), manager.id);
    return {
      device_id: device.id,
      terminal: name,
      label: device.label,
      approved_by: manager.id,
      approved_at: iso(now),
      new_terminal: created,
      seq: record,
    };
  });
}

function chooseTerminal(
  db: Db,
  wanted: string | undefined,
  at: string,
): { name: string; created: boolean } {
  if (wanted !== undefined) {
    if (!TERMINAL_NAME.test(wanted)) {
      throw invalid('terminal', `${JSON.stringify(wanted)} must be 1–16 letters, digits, - or _`);
    }
    const row = findTerminal(db, wanted);
    if (row?.retired_at) throw invalid('terminal', `terminal ${wanted} is retired`);
    if (row && activeDeviceOf(db, wanted)) {
      throw invalid('terminal', `terminal ${wanted} is held by another device: revoke it first`);
    }
    return { name: wanted, created: registerTerminal(db, wanted, at) };
  }
  const rows = listTerminals(db);
  const free = rows.find((t) => !t.retired_at && !activeDeviceOf(db, t.name));
  if (free) return { name: free.name, created: false };
  let n = rows.length + 1;
  while (findTerminal(db, `T${n}`)) n += 1;
  registerTerminal(db, `T${n}`, at);
  return { name: `T${n}`, created: true };
}

/** A manager revokes a device (pending or paired): its token and sessions get nothing more. */
export function revokeDevice(
  node: StoreNode,
  input: { device: string; manager: string; pin: string; at?: string },
): { device_id: string; revoked_at: string; seq: number } {
  const term = node.terminal(input.at);
  const manager: Cashier = authenticateManager(term, input.manager, input.pin);
  const now = iso(node.clock.now());
  return term.transact((tx) => {
    const device =
      deviceById(node.db, input.device) ?? deviceByCode(node.db, safeCode(input.device));
    if (!device) throw new PosError('NotFound', `no device ${input.device}`, 'device');
    if (!revokeDeviceRow(node.db, device.id, now, manager.id)) {
      throw new PosError('PairingUsed', `device ${device.id} is already revoked`, 'device');
    }
    const seq = recordApproval(tx, manager, manager, 'revoke_device', {
      device_id: device.id,
      terminal: device.terminal,
    });
    return { device_id: device.id, revoked_at: now, seq };
  });
}

const safeCode = (text: string): string => {
  try {
    return normalizeCode(text);
  } catch {
    return text;
  }
};

/** Every device the node has heard of, without tokens. */
export const devices = (node: StoreNode): DeviceRow[] => listDevices(node.db);

/** Who approves the node's own till at `outpost serve` start: no manager, the operator. */
export const NODE_OPERATOR = 'node-operator';

/**
 * The node's own till (a one-till shop, the demo): binds a device holding `token` to the
 * node's first terminal without a manager's PIN, because whoever starts `outpost serve` can
 * read the data directory (keys, database) anyway. Journaled honestly as an override by the
 * node operator (no manager named), in the same transaction as the binding. `token` is the
 * device token the till's screen already holds (a store from before pairing keeps it), or a
 * new one.
 */
export function bindNodeDevice(node: StoreNode, token: string, label: string): PairedDevice {
  const name = node.firstTerminal;
  const term = node.terminal(name);
  const now = iso(node.clock.now());
  return term.transact((tx) => {
    const held = activeDeviceOf(node.db, name);
    if (held) throw invalid('terminal', `terminal ${name} is held by device ${held.id}`);
    const id = randomUUID();
    const code = newCode(node.db);
    insertDevice(node.db, {
      id,
      tokenHash: tokenHash(token),
      code,
      label,
      at: now,
      expiresAt: now,
    });
    activateDevice(node.db, id, name, now, NODE_OPERATOR);
    tx.append({
      type: 'override',
      body: {
        action: 'pair_device',
        detail: { device_id: id, code, label, terminal: name, new_terminal: false },
        manager: null,
        approved_by: NODE_OPERATOR,
        cashier_id: null,
      },
    });
    return { device_id: id, terminal: name, label };
  });
}
