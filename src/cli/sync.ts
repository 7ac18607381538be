import { Puller } from '../sync/pull.js';
import { UnreachableError } from '../erpnext/errors.js';
import { flags, required, UsageError } from './args.js';
import { erpClient, openContext } from './store-context.js';
import { progressBar } from './progress.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost sync --data DIR --pull

Pulls what changed in ERPNext since the last pull (items, prices, pricing rules, taxes,
customers, loyalty, stock) and publishes it as a new snapshot in one step. Resumes an
interrupted pull. Runs once, when you run it: nothing pulls in the background yet, and sales are
not sent to ERPNext yet (they wait in the outbox; \`outpost status\` counts them).
Exit code 4 when ERPNext cannot be reached (the store keeps selling offline).

  --data DIR   the store
  --pull       pull master data now

The API key and secret come from OUTPOST_API_KEY and OUTPOST_API_SECRET when set, else from the
secrets file \`outpost init\` wrote (see \`outpost init --help\`).
`;

export const syncCommand: Command = {
  name: 'sync',
  summary: 'pull master data from ERPNext now (once)',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, { data: { type: 'string' }, pull: { type: 'boolean' } });
    const dir = required(values.data, '--data', 'the store directory');
    if (!values.pull) throw new UsageError('say what to sync: --pull (master data from ERPNext)');
    const erp = erpClient(dir);
    const ctx = openContext(dir);
    try {
      const result = await new Puller(ctx.db, erp, {
        posProfile: ctx.config.pos_profile,
        onProgress: progressBar((s) => io.stderr(s), Boolean(process.stderr.isTTY)),
      }).run();
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    } catch (e) {
      // The human sentence on stderr; the envelope (exit 4) from the edge.
      if (e instanceof UnreachableError) {
        io.stderr(`outpost sync: ${e.message}; the store stays on its current snapshot.\n`);
      }
      throw e;
    } finally {
      ctx.db.close();
    }
  },
};
