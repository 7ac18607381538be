import { Catalog } from '../store/catalog.js';
import { readConnectivity } from '../store/connectivity-state.js';
import { readHighWater } from '../store/high-water.js';
import { listTerminals } from '../store/terminals.js';
import { lastPush, pushCounts } from '../store/push-status.js';
import { syncStatus } from '../store/sync-status.js';
import { flags, required } from './args.js';
import { erpClient, openContext } from './store-context.js';
import { keyProtection } from './terminal-key.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost status --data DIR [--json]

Shows the last pull per doctype, record counts, whether ERPNext answers now (a 3 s check) and
the connectivity \`outpost sync\` last journaled (online, offline, forced_offline: since when,
why; when ERPNext last answered), ERPNext's high-water mark for this terminal, the
push: documents still to push (pending), customers created here still to push, what waits in
review (\`outpost review\`), conflicts (ERPNext's figures differing from the signed ones),
what a manager marked resolved outside Outpost, and the last push run (time and result: ok,
pending = something still to retry, offline) with when ERPNext last took a document; and how
the terminal key is kept. Reads the store only: works on read-only media. --json: snake_case keys.
`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'show pulls, counts, connectivity, what is left to push and in review',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
    const dir = required(values.data, '--data', 'the store directory');
    const ctx = openContext(dir, { readonly: true });
    try {
      const counts = new Catalog(ctx.db).counts();
      const sync = syncStatus(ctx.db);
      const push = pushCounts(ctx.db);
      const last = lastPush(ctx.db);
      const conn = readConnectivity(ctx.db);
      const highWater = readHighWater(ctx.db, ctx.config.terminal);
      const highWaters = Object.fromEntries(
        listTerminals(ctx.db).map((t) => [t.name, readHighWater(ctx.db, t.name)]),
      );
      let online = true;
      let reason = '';
      try {
        await erpClient(dir, 3000).ping();
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
        connectivity: {
          state: conn.last?.state ?? 'unknown',
          since: conn.last?.since ?? null,
          reason: conn.last?.reason ?? null,
          seq: conn.last?.seq ?? null,
          last_answer_at: conn.last_answer_at,
        },
        erpnext_high_water: highWater,
        erpnext_high_water_by_terminal: highWaters,
        snapshot: sync.snapshot,
        last_pull_ok_at: sync.last_pull_ok_at,
        pending_pushes: sync.pending_pushes,
        push: { ...push, last_push: last },
        terminal_key: keyProtection(dir),
        counts,
        pulls: sync.pulls,
      };
      if (values.json) {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        io.stdout(
          [
            `Store ${dir}  profile ${ctx.config.pos_profile}  terminal ${ctx.config.terminal}`,
            `ERPNext ${ctx.config.erpnext_url}: ${online ? 'online' : `OFFLINE (${reason})`}`,
            `Connectivity (outpost sync): ${conn.last ? `${conn.last.state} since ${conn.last.since} (${conn.last.reason})` : 'unknown (outpost sync has not run)'}; ERPNext last answered ${conn.last_answer_at ?? 'never'}`,
            `ERPNext holds this terminal up to ${highWater ? `seq ${highWater.seq} (${highWater.doctype} ${highWater.name}; receipt ${highWater.receipt_no ?? 'none'}; asked ${highWater.checked_at})` : 'nothing known'}`,
            ...Object.entries(highWaters)
              .filter(([t]) => t !== ctx.config.terminal)
              .map(
                ([t, m]) =>
                  `ERPNext holds terminal ${t} up to ${m ? `seq ${m.seq} (${m.doctype} ${m.name}; receipt ${m.receipt_no ?? 'none'})` : 'nothing known'}`,
              ),
            `Snapshot ${sync.snapshot}, last complete pull ${sync.last_pull_ok_at ?? 'never'}; sales not yet sent to ERPNext: ${sync.pending_pushes}`,
            `Push: ${push.pending} to push, ${push.customers_pending} customer(s) to push, ${push.in_review} in review, ${push.conflicts} conflict(s), ${push.resolved} resolved outside Outpost`,
            `Last push: ${last.run ? `${last.run.at} ${last.run.result} (${last.run.pushed} pushed, ${last.run.rejected} to review${last.run.error ? `; ${last.run.error}` : ''})` : 'never'}; last document taken by ERPNext ${last.last_document_at ?? 'never'}`,
            `Terminal key: ${report.terminal_key}`,
            '',
            'Doctype                              records  last pull',
            ...sync.pulls.map(
              (p) =>
                `${p.doctype.padEnd(36)} ${String(counts[p.doctype] ?? 0).padStart(7)}  ${p.last_pull_at ?? ''}`,
            ),
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
