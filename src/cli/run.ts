import { quoteCommand } from './quote.js';
import type { Command, Io } from './command.js';

const commands: readonly Command[] = [quoteCommand];

const usage = (): string =>
  [
    'Usage: outpost <command> [options]',
    '',
    'Outpost: an offline-first point of sale for retail chains whose back office is ERPNext.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
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
    io.stderr(`outpost: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  return command.run(rest, io);
}
