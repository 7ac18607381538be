import { PosError, type Terminal } from '../pos/index.js';
import { StoreNode, TERMINAL_NAME, type NodeConfig } from '../pos/node.js';
import { nodeConfigOf } from '../pos/node-config.js';
import {
  keyMap,
  readPublicKeys as readKeysOf,
  terminalFiles,
  terminalKeyOf,
} from '../pos/node-files.js';
import { openStore, type Db } from '../store/db.js';
import type { TerminalKey, VerifiedRead } from '../journal/index.js';
import { readStoreConfig, type StoreConfig } from './config.js';
import { tillPaths } from './terminal-key.js';
import { reportFailure } from './errors.js';
import type { Io } from './command.js';

export { keyMap, readPublicKeys, tillPaths } from './terminal-key.js';

export interface Till {
  readonly term: Terminal;
  readonly db: Db;
  readonly node: StoreNode;
  close(): void;
}

/** The node's configuration from DIR/config.json. */
export function nodeConfig(dir: string, config: StoreConfig = readStoreConfig(dir)): NodeConfig {
  return nodeConfigOf(dir, config);
}

/** Opens the store node in DIR (whose database must exist). */
export function openNodeIn(dir: string): StoreNode {
  const config = readStoreConfig(dir);
  const db = openStore(tillPaths(dir).db, { mustExist: true });
  try {
    return new StoreNode(db, nodeConfig(dir, config));
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Opens the store in DIR as a till: the node's terminal `terminal` (its first, config.json's
 * `terminal`, by default) with its key, settings and head file.
 */
export function openTill(dir: string, terminal?: string): Till {
  const node = openNodeIn(dir);
  try {
    const term = node.terminal(terminal);
    return { term, db: node.db, node, close: () => node.close() };
  } catch (e) {
    node.close();
    throw e;
  }
}

/**
 * How the sync and the reports read a journal record back: under the keys of the terminal
 * whose chain holds it (the node's first in DIR, the others in DIR/terminals/NAME).
 */
export function journalRead(dir: string, config: StoreConfig): VerifiedRead {
  const keysOf = (name: string) =>
    TERMINAL_NAME.test(name)
      ? keyMap(readKeysOf(terminalFiles(dir, name, name === config.terminal)))
      : new Map<string, string>();
  return { publicKeys: keysOf(config.terminal), terminal: config.terminal, keysOf };
}

/** The store read-only with a terminal's key (the first's by default), for commands that write nothing. */
export function openReadOnly(
  dir: string,
  terminal?: string,
): {
  config: StoreConfig;
  db: Db;
  key: TerminalKey;
} {
  const config = readStoreConfig(dir);
  const name = terminal ?? config.terminal;
  const files = terminalFiles(dir, name, name === config.terminal);
  const key = terminalKeyOf(files, name, process.env, true);
  const db = openStore(tillPaths(dir).db, { readonly: true });
  return { config, db, key };
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
