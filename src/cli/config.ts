import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { parseJsonWith, QuoteError } from '../core/index.js';
import { storeConfigSchema } from '../pos/node-config.js';

/** DIR/config.json (its schema is the store node's: pos/node-config.ts). */
const configSchema = storeConfigSchema;
export type StoreConfig = z.output<typeof configSchema>;

/** The sync user's API credentials (a secrets file: DIR/secrets.json or `secrets_file`). */
const secretsSchema = z.object({
  api_key: z.string().min(1),
  api_secret: z.string().min(1),
});
type Secrets = z.output<typeof secretsSchema>;

/** A store that cannot be opened as configured: `kind` NotReady (not set up) or InvalidInput. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly kind: 'InvalidInput' | 'NotReady' = 'InvalidInput',
    readonly field?: string,
  ) {
    super(message);
  }
}

export const paths = (dir: string) => ({
  config: join(dir, 'config.json'),
  secrets: join(dir, 'secrets.json'),
  db: join(dir, 'store.db'),
});

/** The environment the secrets may come from instead of files in the data directory. */
export interface SecretEnv {
  readonly OUTPOST_API_KEY?: string | undefined;
  readonly OUTPOST_API_SECRET?: string | undefined;
}

/** Creates (or narrows) the store directory to its owner only: it holds PIN hashes and contacts. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes `text` to a file only its owner may read, narrowing an existing file too. */
export function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Saves config.json and, unless the secret comes from the environment, the credentials: in
 * `config.secrets_file` when set (it must lie outside DIR), else in DIR/secrets.json (0600).
 */
export function writeConfig(dir: string, config: StoreConfig, secrets: Secrets | null): void {
  privateDir(dir);
  const p = paths(dir);
  if (secrets) {
    const file = config.secrets_file ?? p.secrets;
    if (config.secrets_file) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    }
    writePrivate(file, `${JSON.stringify(secrets, null, 2)}\n`);
  }
  writePrivate(p.config, `${JSON.stringify(config, null, 2)}\n`);
}

/** True when `file` is DIR or inside it (after resolving symlinks of what exists). */
export function isInside(dir: string, file: string): boolean {
  const real = (p: string): string => {
    const abs = resolve(p);
    return existsSync(abs)
      ? realpathSync(abs)
      : join(real(dirname(abs)), relative(dirname(abs), abs));
  };
  const rel = relative(real(dir), real(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Reads DIR/config.json, checked against its schema; errors name the field. */
export function readStoreConfig(dir: string): StoreConfig {
  const p = paths(dir);
  if (!existsSync(p.config)) {
    throw new ConfigError(
      `--data ${dir}: no store here (no config.json); run outpost init --data ${dir} first`,
      'NotReady',
      '--data',
    );
  }
  return readJsonFile(configSchema, p.config, 'config.json');
}

/** The store's configuration and the sync user's credentials (environment first). */
export function readConfig(
  dir: string,
  env: SecretEnv = process.env,
): { config: StoreConfig; secrets: Secrets } {
  const config = readStoreConfig(dir);
  return { config, secrets: readSecrets(dir, config, env) };
}

function readSecrets(dir: string, config: StoreConfig, env: SecretEnv): Secrets {
  const file = config.secrets_file ?? paths(dir).secrets;
  if (env.OUTPOST_API_SECRET) {
    const key = env.OUTPOST_API_KEY || (existsSync(file) ? readSecretsFile(file).api_key : '');
    if (!key) {
      throw new ConfigError(
        'OUTPOST_API_SECRET is set but not OUTPOST_API_KEY: set both',
        'NotReady',
        'OUTPOST_API_KEY',
      );
    }
    return { api_key: key, api_secret: env.OUTPOST_API_SECRET };
  }
  if (!existsSync(file)) {
    throw new ConfigError(
      `no API credentials: set OUTPOST_API_KEY and OUTPOST_API_SECRET, or write ${file}`,
      'NotReady',
      'secrets_file',
    );
  }
  return readSecretsFile(file);
}

function readSecretsFile(file: string): Secrets {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new ConfigError(
      `${file}: readable by others (mode ${mode.toString(8)}); run chmod 600 on it`,
      'InvalidInput',
      'secrets_file',
    );
  }
  return readJsonFile(secretsSchema, file, file);
}

/** A JSON file of the store checked against `schema`; a bad one is an InvalidInput ConfigError. */
export function readJsonFile<S extends z.ZodType>(
  schema: S,
  file: string,
  where: string,
): z.output<S> {
  try {
    return parseJsonWith(schema, readFileSync(file, 'utf8'), where);
  } catch (e) {
    if (e instanceof QuoteError) throw new ConfigError(e.message, 'InvalidInput', e.field);
    throw e;
  }
}
