import { HttpErpClient } from '../erpnext/client.js';
import { openStore, type Db } from '../store/db.js';
import { paths, readConfig, readStoreConfig, type StoreConfig } from './config.js';

interface StoreContext {
  readonly dir: string;
  readonly config: StoreConfig;
  readonly db: Db;
}

/**
 * Opens a set-up store (never creating one: only `init` does); the caller closes `db`.
 * `readonly` for commands that only look, so they work on read-only media too.
 */
export function openContext(dir: string, options: { readonly?: boolean } = {}): StoreContext {
  const config = readStoreConfig(dir);
  const db = openStore(paths(dir).db, { mustExist: true, readonly: options.readonly ?? false });
  return { dir, config, db };
}

/** The ERPNext client of a set-up store, with its credentials (environment first). */
export function erpClient(dir: string, timeoutMs?: number): HttpErpClient {
  const { config, secrets } = readConfig(dir);
  return new HttpErpClient({
    baseUrl: config.erpnext_url,
    apiKey: secrets.api_key,
    apiSecret: secrets.api_secret,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}
