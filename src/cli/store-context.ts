import { HttpErpClient } from '../erpnext/client.js';
import { openStore, type Db } from '../store/db.js';
import { paths, readConfig, type StoreConfig } from './config.js';

export interface StoreContext {
  readonly dir: string;
  readonly config: StoreConfig;
  readonly db: Db;
  readonly erp: HttpErpClient;
}

/** Opens a configured store; the caller closes `db`. */
export function openContext(dir: string, timeoutMs?: number): StoreContext {
  const { config, secrets } = readConfig(dir);
  const db = openStore(paths(dir).db);
  const erp = new HttpErpClient({
    baseUrl: config.erpnext_url,
    apiKey: secrets.api_key,
    apiSecret: secrets.api_secret,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  return { dir, config, db, erp };
}
