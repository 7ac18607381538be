import { HttpErpClient } from '../erpnext/client.js';
import { preflight, SetupError } from '../sync/preflight.js';
import { Puller } from '../sync/pull.js';
import { openStore } from '../store/db.js';
import { paths, writeConfig } from './config.js';
import { flags, required, UsageError } from './args.js';
import { progressBar } from './progress.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost init --data DIR --erpnext URL --api-key K --api-secret S --pos-profile NAME [--terminal ID]

Sets up a store: checks that ERPNext answers, that the key works and may read everything the
pull needs, reads the POS Profile, saves the configuration (the secret in DIR/secrets.json,
readable by its owner only) and runs the first full pull with a progress bar.

  --data DIR          where the store keeps its database and configuration
  --erpnext URL       the ERPNext site, e.g. https://erp.example.com or http://127.0.0.1:8000
  --api-key K         API key of the sync user (User > Settings > API Access)
  --api-secret S      its API secret
  --pos-profile NAME  the POS Profile this store sells under
  --terminal ID       this terminal's id in invoice numbers (default: T1)
  --pull-interval M   minutes between scheduled pulls (default: 5)
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
      'pos-profile': { type: 'string' },
      terminal: { type: 'string' },
      'pull-interval': { type: 'string' },
    });
    const dir = required(values.data, '--data', 'a directory for the store');
    const url = required(values.erpnext, '--erpnext', 'the ERPNext URL');
    const apiKey = required(values['api-key'], '--api-key', "the sync user's API key");
    const apiSecret = required(values['api-secret'], '--api-secret', "the sync user's API secret");
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
      if (e instanceof SetupError) {
        io.stderr(`outpost init: ${e.message}\n  fix: ${e.fix}\n`);
        return 3;
      }
      throw e;
    }
    writeConfig(
      dir,
      { erpnext_url: url, pos_profile: profileName, terminal, pull_interval_minutes: minutes },
      { api_key: apiKey, api_secret: apiSecret },
    );
    const db = openStore(paths(dir).db);
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
