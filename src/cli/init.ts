import { chmodSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { HttpErpClient } from '../erpnext/client.js';
import { preflight, SetupError } from '../sync/preflight.js';
import { Puller } from '../sync/pull.js';
import { openStore } from '../store/db.js';
import { isInside, paths, privateDir, writeConfig, type SecretEnv } from './config.js';
import { flags, required, UsageError } from './args.js';
import { progressBar } from './progress.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost init --data DIR --erpnext URL --pos-profile NAME
                    [--api-key K --api-secret S [--secrets-file PATH]] [--terminal ID]

Sets up a store: checks that ERPNext answers, that the key works and may read everything the
pull needs, reads the POS Profile, saves the configuration and runs the first full pull with a
progress bar. DIR is made readable by its owner only (0700, files 0600), also when it exists.

  --data DIR          where the store keeps its database and configuration
  --erpnext URL       the ERPNext site, e.g. https://erp.example.com or http://127.0.0.1:8000
  --api-key K         API key of the sync user (User > Settings > API Access)
  --api-secret S      its API secret
  --secrets-file PATH where to keep the key and secret, outside DIR (default: DIR/secrets.json)
  --pos-profile NAME  the POS Profile this store sells under
  --terminal ID       the node's first terminal: its id in invoice numbers (default: T1);
                      more are added by pairing devices (outpost terminal approve)
  --pull-interval M   minutes between pulls while \`outpost sync\` runs (default: 5)
  --posting-mode M    how sales reach ERPNext: pos_invoice (POS Invoices consolidated by the
                      shift's POS Closing Entry; default) or sales_invoice (one Sales Invoice
                      per sale, stock posted at once); config.json's posting_mode

Secrets. The API secret is kept in clear in its secrets file (0600), or nowhere: without
--api-secret, init and every later command take OUTPOST_API_KEY and OUTPOST_API_SECRET from the
environment (e.g. a systemd credential). The terminal's signing key, made at the first till
command, is encrypted under OUTPOST_KEY_PASSPHRASE when that is set in the environment;
otherwise it is stored unencrypted, readable by its owner only (0600).
`;

export const initCommand: Command = {
  name: 'init',
  summary: 'set up a store against ERPNext and run the first pull',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      data: { type: 'string' },
      erpnext: { type: 'string' },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      'secrets-file': { type: 'string' },
      'pos-profile': { type: 'string' },
      terminal: { type: 'string' },
      'pull-interval': { type: 'string' },
      'posting-mode': { type: 'string' },
    });
    const env: SecretEnv = process.env;
    const dir = required(values.data, '--data', 'a directory for the store');
    const url = required(values.erpnext, '--erpnext', 'the ERPNext URL');
    const secretInEnv = values['api-secret'] === undefined && Boolean(env.OUTPOST_API_SECRET);
    const apiKey = secretInEnv
      ? required(env.OUTPOST_API_KEY, '--api-key', 'OUTPOST_API_KEY, with OUTPOST_API_SECRET')
      : required(values['api-key'], '--api-key', "the sync user's API key");
    const apiSecret = secretInEnv
      ? (env.OUTPOST_API_SECRET ?? '')
      : required(values['api-secret'], '--api-secret', "the sync user's API secret");
    const secretsFile = values['secrets-file'];
    if (secretsFile !== undefined) {
      if (secretInEnv) {
        throw new UsageError('--secrets-file: the secret comes from OUTPOST_API_SECRET');
      }
      if (isInside(dir, secretsFile)) {
        throw new UsageError(`--secrets-file: ${secretsFile} must lie outside --data ${dir}`);
      }
    }
    const profileName = required(values['pos-profile'], '--pos-profile', 'the POS Profile name');
    const terminal = values.terminal ?? 'T1';
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(terminal)) {
      throw new UsageError(
        `--terminal: ${JSON.stringify(terminal)} must be 1–16 letters, digits, - or _`,
      );
    }
    const minutes = values['pull-interval'] === undefined ? 5 : Number(values['pull-interval']);
    if (!(minutes > 0))
      throw new UsageError('--pull-interval: must be a number of minutes above 0');
    const postingMode = values['posting-mode'] ?? 'pos_invoice';
    if (postingMode !== 'pos_invoice' && postingMode !== 'sales_invoice') {
      throw new UsageError(
        `--posting-mode: expected pos_invoice or sales_invoice, got ${JSON.stringify(postingMode)}`,
        '--posting-mode',
      );
    }
    try {
      new URL(url);
    } catch {
      throw new UsageError(
        `--erpnext: ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:8000)`,
      );
    }

    const erp = new HttpErpClient({ baseUrl: url, apiKey, apiSecret });
    try {
      const { user } = await preflight(erp, profileName);
      io.stderr(`ERPNext ${url}: signed in as ${user}; POS Profile ${profileName} found.\n`);
    } catch (e) {
      if (e instanceof SetupError) io.stderr(`outpost init: ${e.message}\n  fix: ${e.fix}\n`);
      throw e;
    }
    privateDir(dir);
    writeConfig(
      dir,
      {
        erpnext_url: url,
        pos_profile: profileName,
        terminal,
        pull_interval_minutes: minutes,
        posting_mode: postingMode,
        ...(secretsFile !== undefined ? { secrets_file: resolve(secretsFile) } : {}),
      },
      secretInEnv ? null : { api_key: apiKey, api_secret: apiSecret },
    );
    const db = openStore(paths(dir).db);
    // A store.db left by an earlier init keeps its old mode; SQLite's -wal and -shm copy it.
    for (const suffix of ['', '-wal', '-shm']) {
      const file = `${paths(dir).db}${suffix}`;
      if (existsSync(file)) chmodSync(file, 0o600);
    }
    try {
      const started = Date.now();
      const result = await new Puller(db, erp, {
        posProfile: profileName,
        onProgress: progressBar((s) => io.stderr(s), Boolean(process.stderr.isTTY)),
      }).run();
      const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
      const secs = (Date.now() - started) / 1000;
      io.stderr(
        `\nFirst pull done: ${total} records in ${secs.toFixed(1)} s (${Math.round(total / secs)} rec/s), snapshot ${result.snapshot}.\n`,
      );
      io.stdout(
        `${JSON.stringify({ data: dir, snapshot: result.snapshot, counts: result.counts }, null, 2)}\n`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
