import { quoteCommand } from './quote.js';
import { initCommand } from './init.js';
import { erpnextSetupCommand } from './erpnext-setup.js';
import { syncCommand } from './sync.js';
import { serveCommand } from './serve.js';
import { demoCommand } from './demo.js';
import { auditCommand } from './audit.js';
import { itemCommand } from './item.js';
import { statusCommand } from './status.js';
import { simCommand } from './sim.js';
import { sellCommand } from './sell.js';
import { returnCommand, voidCommand } from './return.js';
import { exchangeCommand } from './exchange.js';
import { receiptCommand } from './receipt.js';
import { customerCommand } from './customer.js';
import { reviewCommand } from './review.js';
import { conflictsCommand } from './conflicts.js';
import { loyaltyCommand } from './loyalty.js';
import { cashierCommand, journalCommand, shiftCommand, verifyCommand } from './till-admin.js';
import { terminalCommand } from './terminal.js';
import { UsageError } from './args.js';
import { reportFailure } from './errors.js';
import type { Command, Io } from './command.js';

const commands: readonly Command[] = [
  simCommand,
  initCommand,
  erpnextSetupCommand,
  syncCommand,
  serveCommand,
  demoCommand,
  auditCommand,
  conflictsCommand,
  itemCommand,
  statusCommand,
  reviewCommand,
  cashierCommand,
  customerCommand,
  loyaltyCommand,
  shiftCommand,
  sellCommand,
  returnCommand,
  exchangeCommand,
  voidCommand,
  receiptCommand,
  verifyCommand,
  journalCommand,
  terminalCommand,
  quoteCommand,
];

const usage = (): string =>
  [
    'Usage: outpost <command> [options]',
    '',
    'Outpost: an offline-first point of sale for retail chains whose back office is ERPNext.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(13)} ${c.summary}`),
    '',
    'Run `outpost <command> --help` for the options of a command.',
    '',
  ].join('\n');

/** Runs the CLI with the given arguments; returns the process exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 1 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(usage());
    return reportFailure(io, new UsageError(`unknown command '${name}'`, 'command'));
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  // The one error handler: whatever a command throws leaves as the envelope, never a stack.
  try {
    return await command.run(rest, io);
  } catch (e) {
    return reportFailure(io, e);
  }
}
