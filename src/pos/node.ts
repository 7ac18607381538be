import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import type { Clock } from '../journal/index.js';
import { systemClock } from '../journal/index.js';
import { openStore, type Db } from '../store/db.js';
import { docText, fixTerminalState, terminalState } from '../store/docs.js';
import {
  findTerminal,
  listTerminals,
  registerTerminal,
  type TerminalRow,
} from '../store/terminals.js';
import { PosError, invalid } from './errors.js';
import {
  TERMINAL_NAME,
  keyMap,
  readPublicKeys,
  terminalFiles,
  terminalKeyOf,
  type KeyEnv,
  type TerminalFiles,
} from './node-files.js';
import { parseSettings, storeIdFrom, type PosSettings } from './settings.js';
import { Terminal } from './terminal.js';
import type { DeviceRow } from '../store/devices.js';
import {
  approvePairing,
  authenticateDevice,
  devices,
  requestPairing,
  revokeDevice,
  type Approval,
  type PairedDevice,
  type PairingRequest,
} from './devices.js';
import { readNodeConfig } from './node-config.js';
import { SessionUse, authenticateSession, login, logout, type Session } from './sessions.js';

export { TERMINAL_NAME };

/** What a store node is opened with: config.json's fields, read by the caller. */
export interface NodeConfig {
  /** The data directory: store.db, and each terminal's key and head files. */
  readonly dir: string;
  readonly posProfile: string;
  /** config.json's `terminal`: the node's first terminal, whose files lie in DIR itself. */
  readonly firstTerminal: string;
  /** config.json's `store`: the {store} of invoice numbers (else from the profile's warehouse). */
  readonly store?: string | undefined;
  /** config.json's `pos` rules (pos/settings.ts). */
  readonly rules?: unknown;
  readonly env?: KeyEnv;
  readonly clock?: Clock;
}

/**
 * One store node: one database holding several terminals, each with its own chain, key, head
 * file and invoice series. Terminals are opened once and kept (a Terminal holds prepared
 * statements and its head file open); `close` releases them and the database.
 */
export class StoreNode {
  readonly clock: Clock;
  private readonly open = new Map<string, Terminal>();
  /** Sessions' last use, between the throttled writes of their rows (pos/sessions.ts). */
  readonly sessionUse = new SessionUse();

  constructor(
    readonly db: Db,
    readonly config: NodeConfig,
  ) {
    this.clock = config.clock ?? systemClock;
    registerTerminal(db, config.firstTerminal, new Date(this.clock.now()).toISOString());
  }

  get firstTerminal(): string {
    return this.config.firstTerminal;
  }

  files(name: string): TerminalFiles {
    return terminalFiles(this.config.dir, name, name === this.config.firstTerminal);
  }

  /** Every key `name` has signed with, by key_id (none for a name no terminal can have). */
  publicKeys(name: string): Map<string, string> {
    // The name may come from a journal row: never let it walk out of DIR/terminals.
    if (!TERMINAL_NAME.test(name)) return new Map();
    return keyMap(readPublicKeys(this.files(name)));
  }

  terminals(): TerminalRow[] {
    return listTerminals(this.db);
  }

  /** The terminal `name` (the first by default), its key made at first use. */
  terminal(name: string = this.config.firstTerminal): Terminal {
    const kept = this.open.get(name);
    if (kept) return kept;
    const row = findTerminal(this.db, name);
    if (!row)
      throw new PosError('NotFound', `terminal ${name} is not held by this node`, 'terminal');
    if (row.retired_at) {
      throw new PosError(
        'NotPermitted',
        `terminal ${name} was retired on ${row.retired_at}`,
        'terminal',
      );
    }
    const files = this.files(name);
    const key = terminalKeyOf(files, name, this.config.env ?? process.env);
    const term = new Terminal({
      db: this.db,
      key,
      settings: this.settings(name),
      posProfile: this.config.posProfile,
      headPath: files.head,
      publicKeys: this.publicKeys(name),
      keysOf: (other) => this.publicKeys(other),
      clock: this.clock,
    });
    this.open.set(name, term);
    return term;
  }

  /** The till rules with `name`'s series id. */
  settings(name: string): PosSettings {
    if (!TERMINAL_NAME.test(name))
      throw invalid('terminal', 'expected 1–16 letters, digits, - or _');
    return parseSettings(this.config.rules, { storeId: this.storeId(), terminalId: name });
  }

  /** config.json's `store`, else the one fixed at first use from the profile's warehouse. */
  storeId(): string {
    if (this.config.store) return this.config.store;
    const kept = terminalState(this.db, 'store_id');
    if (kept !== undefined) return kept;
    const profile = docText(this.db, 'POS Profile', this.config.posProfile);
    if (profile === undefined) {
      throw new PosError(
        'NotReady',
        `POS Profile ${this.config.posProfile} is not in the local store: run \`outpost sync --pull --once\``,
      );
    }
    const { warehouse } = parseJsonWith(warehouseSchema, profile, 'POS Profile');
    const id = storeIdFrom(warehouse ?? '');
    fixTerminalState(this.db, 'store_id', id);
    return id;
  }

  // The server's calls, in the order a device makes them (pos/devices.ts, pos/sessions.ts).

  /** A new device asks to pair: its code (for the manager) and its token (kept by it). */
  pair(input: { label?: string } = {}): PairingRequest {
    return requestPairing(this, input);
  }

  /** A manager approves a code (CLI `outpost terminal approve`, later the screen). */
  approve(input: Parameters<typeof approvePairing>[1]): Approval {
    return approvePairing(this, input);
  }

  /** A manager revokes a device by id or code. */
  revoke(input: Parameters<typeof revokeDevice>[1]): ReturnType<typeof revokeDevice> {
    return revokeDevice(this, input);
  }

  devices(): DeviceRow[] {
    return devices(this);
  }

  /** The device behind a bearer token, or DeviceUnknown / DeviceRevoked / PairingPending / PairingExpired. */
  device(token: string): PairedDevice {
    return authenticateDevice(this.db, token, this.clock.now());
  }

  /** A cashier's PIN login on a paired device: the session token, shown once. */
  login(deviceToken: string, input: { cashier: string; pin: string }): ReturnType<typeof login> {
    return login(this, deviceToken, input);
  }

  /** Every cashier call: the device, then its open, unexpired session, and the Terminal to act at. */
  authenticate(deviceToken: string, sessionToken: string): Session {
    return authenticateSession(this, deviceToken, sessionToken);
  }

  logout(deviceToken: string, sessionToken: string): void {
    logout(this, deviceToken, sessionToken);
  }

  /** Releases every terminal's head file, then the database. */
  close(): void {
    for (const term of this.open.values()) term.close();
    this.open.clear();
    this.db.close();
  }
}

const warehouseSchema = z.looseObject({ warehouse: z.string().optional() });

/**
 * Opens the node in a data directory (its store.db must exist: only `outpost init` makes one),
 * with config.json's settings, or `config` as given (a test's clock, the environment).
 */
export function openNode(dirOrConfig: string | NodeConfig): StoreNode {
  const config = typeof dirOrConfig === 'string' ? readNodeConfig(dirOrConfig) : dirOrConfig;
  const db = openStore(join(config.dir, 'store.db'), { mustExist: true });
  try {
    return new StoreNode(db, config);
  } catch (e) {
    db.close();
    throw e;
  }
}
