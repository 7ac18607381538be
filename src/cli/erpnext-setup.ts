import { exportPublicKey } from '../journal/index.js';
import { runSetup, type SetupReport } from '../sync/setup.js';
import { localKeys } from '../sync/setup-local-keys.js';
import { flags, required } from './args.js';
import { Exit } from './errors.js';
import { erpClient, openContext } from './store-context.js';
import { readPublicKeys, terminalKey } from './terminal-key.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost erpnext-setup --data DIR [--dry-run] [--user NAME] [--json]

Prepares the store's ERPNext for Outpost, through its REST API, with the store's connection
(config.json; OUTPOST_API_KEY / OUTPOST_API_SECRET first, as for outpost sync):
  - installs the Custom Fields Outpost writes (sale uuid, receipt number, terminal, seq, record
    hash, signature and key id on POS Invoice and Sales Invoice; shift uuid and chain anchor on
    POS Opening / Closing Entry; a uuid on Customer);
  - creates the DocType "Outpost Terminal Key" if missing, and registers this terminal's public
    keys in it (rotations recorded in the journal included), for HQ's audit;
  - checks the user's roles and names each one missing, with what it is needed for.
Idempotent: what is there as specified is left alone; what is there but different is reported
with its fix and never changed. Installing needs an Administrator or a System Manager.

  --dry-run   say what would change, change nothing
  --user NAME check this user's roles instead of the key's own (when the setup runs with an
              administrator's key and the store syncs as another user)
  --json      the report as JSON (snake_case keys)

Exit code 0 when everything is in place, 3 when something needs fixing (the report says what
and how), 4 when ERPNext cannot be reached. See docs/ERPNEXT-SETUP.md.
`;

const list = (label: string, items: readonly string[]): string[] =>
  items.length === 0 ? [] : [`${label}: ${items.join(', ')}`];

/** The report in words, for a person at a terminal. */
function text(r: SetupReport): string {
  const says = (would: string, did: string) => (r.dry_run ? `would ${would}` : did);
  const lines = [`ERPNext user: ${r.user}${r.dry_run ? ' (dry run: nothing changed)' : ''}`];
  if (r.custom_fields) {
    const f = r.custom_fields;
    lines.push(
      ...list(`Custom Fields ${says('create', 'created')}`, r.dry_run ? f.to_create : f.created),
      `Custom Fields already in place: ${f.ok.length}`,
    );
  }
  for (const d of r.doctypes ?? [])
    lines.push(`DocType ${d.name}: ${d.created ? 'created' : d.status}`);
  if (r.keys) {
    const k = r.keys;
    lines.push(
      ...list(`Keys ${says('register', 'registered')}`, r.dry_run ? k.to_register : k.registered),
      ...list(
        `Keys ${says('mark retired', 'marked retired')}`,
        r.dry_run ? k.to_retire : k.retired,
      ),
      ...list('Keys already registered', k.ok),
    );
  }
  for (const m of r.roles.missing) {
    lines.push(`Role missing for ${r.roles.user}: ${m.role}, to ${m.needed_for.join('; ')}`);
  }
  for (const p of r.problems) lines.push(`PROBLEM (${p.problem}): ${p.message}. Fix: ${p.fix}`);
  lines.push(r.ok ? 'ERPNext is ready for Outpost.' : 'Something needs fixing (above).');
  return `${lines.join('\n')}\n`;
}

export const erpnextSetupCommand: Command = {
  name: 'erpnext-setup',
  summary: "install Outpost's Custom Fields and terminal key in ERPNext; check the user's roles",
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      data: { type: 'string' },
      'dry-run': { type: 'boolean' },
      user: { type: 'string' },
      json: { type: 'boolean' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const erp = erpClient(dir);
    const ctx = openContext(dir, { readonly: true });
    try {
      // The key is made here if the till never sold yet: registered before its first sale.
      const current = exportPublicKey(terminalKey(dir, ctx.config.terminal).publicKey);
      const recorded = [...readPublicKeys(dir), current];
      const report = await runSetup(erp, {
        dryRun: values['dry-run'] ?? false,
        keys: localKeys(ctx.db, ctx.config.terminal, recorded),
        ...(values.user ? { checkUser: values.user } : {}),
        now: () => new Date(),
      });
      io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : text(report));
      return report.ok ? 0 : Exit.Setup;
    } finally {
      ctx.db.close();
    }
  },
};
