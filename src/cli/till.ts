import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exportPublicKey,
  generateTerminalKey,
  loadTerminalKey,
  saveTerminalKey,
  type PublicKeyExport,
  type TerminalKey,
} from '../journal/index.js';
import { PosError, Terminal, parseSettings, storeIdFrom } from '../pos/index.js';
import { openStore, type Db } from '../store/db.js';
import { ConfigError, paths, readConfig } from './config.js';
import type { Io } from './command.js';

export const tillPaths = (dir: string) => ({
  ...paths(dir),
  key: join(dir, 'terminal-key.json'),
  publicKeys: join(dir, 'terminal-keys.json'),
  head: join(dir, 'head.json'),
  keySecret: join(dir, 'terminal-key.secret'),
});

/** The till's signing key: loaded, or made on first use with its public half recorded. */
function terminalKey(dir: string, terminal: string): TerminalKey {
  const p = tillPaths(dir);
  if (!existsSync(p.keySecret)) {
    if (existsSync(p.key)) {
      throw new ConfigError(
        `${p.keySecret} is missing: the terminal key ${p.key} cannot be opened`,
      );
    }
    writeFileSync(p.keySecret, randomBytes(32).toString('base64'), { mode: 0o600 });
    chmodSync(p.keySecret, 0o600);
  }
  const secret = readFileSync(p.keySecret, 'utf8').trim();
  if (existsSync(p.key)) return loadTerminalKey(p.key, secret);
  const key = generateTerminalKey(terminal);
  // The secret is 256 random bits: a slow KDF would guard nothing and slow every command.
  saveTerminalKey(p.key, key, secret, { N: 2 ** 10, r: 8, p: 1 });
  writePublicKeys(dir, [...readPublicKeys(dir), exportPublicKey(key.publicKey)]);
  return key;
}

export function readPublicKeys(dir: string): PublicKeyExport[] {
  const file = tillPaths(dir).publicKeys;
  if (!existsSync(file)) return [];
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PublicKeyExport[];
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as Error).message}`);
  }
}

function writePublicKeys(dir: string, keys: readonly PublicKeyExport[]): void {
  writeFileSync(tillPaths(dir).publicKeys, `${JSON.stringify(keys, null, 2)}\n`);
}

export const keyMap = (keys: readonly PublicKeyExport[]): Map<string, string> =>
  new Map(keys.map((k) => [k.key_id, k.raw_base64]));

export interface Till {
  readonly term: Terminal;
  readonly db: Db;
  close(): void;
}

/** Opens the store in DIR as a till: database, settings, key and head file. */
export function openTill(dir: string): Till {
  const { config } = readConfig(dir);
  const raw = JSON.parse(readFileSync(tillPaths(dir).config, 'utf8')) as Record<string, unknown>;
  const db = openStore(paths(dir).db);
  try {
    const key = terminalKey(dir, config.terminal);
    const storeId = storeIdOf(db, raw, config.pos_profile);
    const settings = parseSettings(raw['pos'], { storeId, terminalId: config.terminal });
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

/** config.json's `store`, else the one fixed at first use from the profile's warehouse. */
function storeIdOf(db: Db, raw: Record<string, unknown>, profileName: string): string {
  if (typeof raw['store'] === 'string' && raw['store']) return raw['store'];
  const kept = db.prepare("SELECT value FROM terminal_state WHERE key = 'store_id'").pluck().get();
  if (typeof kept === 'string') return kept;
  const profile = db
    .prepare("SELECT data FROM doc WHERE doctype = 'POS Profile' AND name = ?")
    .pluck()
    .get(profileName) as string | undefined;
  if (!profile) {
    throw new PosError(
      'NotReady',
      `POS Profile ${profileName} is not in the local store: run \`outpost sync --pull\``,
    );
  }
  const warehouse = (JSON.parse(profile) as Record<string, unknown>)['warehouse'];
  const id = storeIdFrom(typeof warehouse === 'string' ? warehouse : '');
  db.prepare("INSERT INTO terminal_state (key, value) VALUES ('store_id', ?)").run(id);
  return id;
}

/** A refusal as one JSON object on stdout: exit 2 for bad input, 1 for anything else. */
export function refused(io: Io, e: unknown): number {
  if (e instanceof PosError) {
    io.stdout(`${JSON.stringify({ error: e.toJSON() })}\n`);
    return e.kind === 'InvalidInput' ? 2 : 1;
  }
  throw e;
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
