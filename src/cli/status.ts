import { Catalog } from '../store/catalog.js';
import { flags, required } from './args.js';
import { openContext } from './store-context.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost status --data DIR [--json]

Shows the last pull per doctype, record counts, whether ERPNext answers now, and the sales
waiting to be pushed.
`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'show pulls, counts, connectivity and pending pushes',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
    const dir = required(values.data, '--data', 'the store directory');
    const ctx = openContext(dir, 3000);
    try {
      const db = ctx.db;
      const counts = new Catalog(db).counts();
      const pulls = db
        .prepare(
          'SELECT doctype, last_pull_at, last_ok_at, cursor_modified, complete FROM sync_state ORDER BY doctype',
        )
        .all() as Record<string, unknown>[];
      const snapshot = Number(
        db.prepare("SELECT value FROM meta WHERE key = 'snapshot_version'").pluck().get() ?? 0,
      );
      const lastOk =
        (db.prepare("SELECT value FROM meta WHERE key = 'last_pull_ok_at'").pluck().get() as
          string | undefined) ?? null;
      const hasOutbox =
        db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get() !==
        undefined;
      const pending = hasOutbox
        ? (db.prepare("SELECT count(*) FROM outbox WHERE state != 'done'").pluck().get() as number)
        : 0;
      let online = true;
      let reason = '';
      try {
        await ctx.erp.ping();
      } catch (e) {
        online = false;
        reason = (e as Error).message;
      }
      const report = {
        data: dir,
        erpnext: ctx.config.erpnext_url,
        pos_profile: ctx.config.pos_profile,
        terminal: ctx.config.terminal,
        online,
        ...(online ? {} : { offline_reason: reason }),
        snapshot,
        last_pull_ok_at: lastOk,
        pending_pushes: pending,
        counts,
        pulls,
      };
      if (values.json) {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        io.stdout(
          [
            `Store ${dir}  profile ${ctx.config.pos_profile}  terminal ${ctx.config.terminal}`,
            `ERPNext ${ctx.config.erpnext_url}: ${online ? 'online' : `OFFLINE (${reason})`}`,
            `Snapshot ${snapshot}, last complete pull ${lastOk ?? 'never'}; pending pushes: ${pending}`,
            '',
            'Doctype                              records  last pull',
            ...pulls.map((p) => {
              const dt = String(p['doctype']);
              const lastPull = typeof p['last_pull_at'] === 'string' ? p['last_pull_at'] : '';
              return `${dt.padEnd(36)} ${String(counts[dt] ?? 0).padStart(7)}  ${lastPull}`;
            }),
            '',
          ].join('\n'),
        );
      }
      return 0;
    } finally {
      ctx.db.close();
    }
  },
};
