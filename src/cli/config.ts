import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The store's configuration, in DIR/config.json. Secrets live apart in DIR/secrets.json (0600). */
export interface StoreConfig {
  readonly erpnext_url: string;
  readonly pos_profile: string;
  readonly terminal: string;
  /** Minutes between scheduled pulls. */
  readonly pull_interval_minutes: number;
}

export interface Secrets {
  readonly api_key: string;
  readonly api_secret: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const paths = (dir: string) => ({
  config: join(dir, 'config.json'),
  secrets: join(dir, 'secrets.json'),
  db: join(dir, 'store.db'),
});

export function writeConfig(dir: string, config: StoreConfig, secrets: Secrets): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = paths(dir);
  writeFileSync(p.config, `${JSON.stringify(config, null, 2)}\n`);
  // Create with 0600 and set it again in case the file already existed with wider rights.
  writeFileSync(p.secrets, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(p.secrets, 0o600);
}

export function readConfig(dir: string): { config: StoreConfig; secrets: Secrets } {
  const p = paths(dir);
  if (!existsSync(p.config)) {
    throw new ConfigError(
      `--data ${dir}: no store here (no config.json). Run \`outpost init --data ${dir} ...\` first.`,
    );
  }
  const config = parse(p.config) as Partial<StoreConfig>;
  for (const k of ['erpnext_url', 'pos_profile', 'terminal'] as const) {
    if (typeof config[k] !== 'string' || !config[k])
      throw new ConfigError(`${p.config}: ${k} is missing or not text`);
  }
  const minutes = config.pull_interval_minutes ?? 5;
  if (typeof minutes !== 'number' || !(minutes > 0)) {
    throw new ConfigError(`${p.config}: pull_interval_minutes must be a number above 0`);
  }
  const mode = statSync(p.secrets).mode & 0o777;
  if (mode & 0o077)
    throw new ConfigError(
      `${p.secrets}: readable by others (mode ${mode.toString(8)}); run chmod 600 on it`,
    );
  const secrets = parse(p.secrets) as Partial<Secrets>;
  if (typeof secrets.api_key !== 'string' || typeof secrets.api_secret !== 'string') {
    throw new ConfigError(`${p.secrets}: api_key and api_secret are required`);
  }
  return {
    config: { ...(config as StoreConfig), pull_interval_minutes: minutes },
    secrets: { api_key: secrets.api_key, api_secret: secrets.api_secret },
  };
}

function parse(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new ConfigError(`${file}: ${(e as Error).message}`);
  }
}
