import { PosError, Terminal, parseSettings, storeIdFrom } from '../pos/index.js';
import { openStore, type Db } from '../store/db.js';
import { docText, fixTerminalState, terminalState } from '../store/docs.js';
import type { TerminalKey } from '../journal/index.js';
import { z } from 'zod';
import { parseJsonWith } from '../core/index.js';
import { readStoreConfig, type StoreConfig } from './config.js';
import { keyMap, readPublicKeys, terminalKey, tillPaths } from './terminal-key.js';
import { reportFailure } from './errors.js';
import type { Io } from './command.js';

export { keyMap, readPublicKeys, tillPaths } from './terminal-key.js';

export interface Till {
  readonly term: Terminal;
  readonly db: Db;
  close(): void;
}

/** Opens the store in DIR as a till: database (which must exist), settings, key and head file. */
export function openTill(dir: string): Till {
  const config = readStoreConfig(dir);
  const db = openStore(tillPaths(dir).db, { mustExist: true });
  try {
    const key = terminalKey(dir, config.terminal);
    const storeId = storeIdOf(db, config);
    const settings = parseSettings(config.pos, { storeId, terminalId: config.terminal });
    const term = new Terminal({
      db,
      key,
      settings,
      posProfile: config.pos_profile,
      headPath: tillPaths(dir).head,
      publicKeys: keyMap(readPublicKeys(dir)),
    });
    return {
      term,
      db,
      close: () => {
        term.close();
        db.close();
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The store read-only with the terminal's key, for commands that write nothing to it. */
export function openReadOnly(dir: string): {
  config: StoreConfig;
  db: Db;
  key: TerminalKey;
} {
  const config = readStoreConfig(dir);
  const key = terminalKey(dir, config.terminal, process.env, true);
  const db = openStore(tillPaths(dir).db, { readonly: true });
  return { config, db, key };
}

const warehouseSchema = z.looseObject({ warehouse: z.string().optional() });

/** config.json's `store`, else the one fixed at first use from the profile's warehouse. */
function storeIdOf(db: Db, config: StoreConfig): string {
  if (config.store) return config.store;
  const kept = terminalState(db, 'store_id');
  if (kept !== undefined) return kept;
  const profile = docText(db, 'POS Profile', config.pos_profile);
  if (profile === undefined) {
    throw new PosError(
      'NotReady',
      `POS Profile ${config.pos_profile} is not in the local store: run \`outpost sync --pull --once\``,
    );
  }
  const { warehouse } = parseJsonWith(warehouseSchema, profile, 'POS Profile');
  const id = storeIdFrom(warehouse ?? '');
  fixTerminalState(db, 'store_id', id);
  return id;
}

/** A refusal in the one envelope (kept for the commands that catch inside their own scope). */
export function refused(io: Io, e: unknown): number {
  return reportFailure(io, e);
}

/** MODE:AMOUNT, split at the last colon (mode names may hold colons). */
export function modeAmount(text: string, flag: string): { mode: string; amount: string } {
  const at = text.lastIndexOf(':');
  if (at <= 0 || at === text.length - 1) {
    throw new PosError(
      'InvalidInput',
      `${flag}: expected MODE:AMOUNT, got ${JSON.stringify(text)}`,
      flag,
    );
  }
  return { mode: text.slice(0, at), amount: text.slice(at + 1) };
}

/** CODE[:QTY], split at the last colon. */
export function codeQty(text: string, flag: string): { code: string; qty?: string } {
  const at = text.lastIndexOf(':');
  if (at === -1) return { code: text };
  const qty = text.slice(at + 1);
  if (at === 0 || !/^\d+(\.\d+)?$/.test(qty)) {
    throw new PosError(
      'InvalidInput',
      `${flag}: expected CODE[:QTY], got ${JSON.stringify(text)}`,
      flag,
    );
  }
  return { code: text.slice(0, at), qty };
}
