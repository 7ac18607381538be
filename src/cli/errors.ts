import { ListenError } from '../sim/server.js';
import {
  envelope,
  failureOf as sharedFailureOf,
  type Envelope,
  type FailureClass,
} from '../server/failure.js';
import { UsageError } from './args.js';
import { ConfigError } from './config.js';
import type { Io } from './command.js';

/** Exit codes scripts can branch on; the envelope's `kind` says the rest. */
export const Exit = {
  /** Refused: the input was fine but the till said no, or the machine failed. */
  Refused: 1,
  /** Bad input: a flag, a file, a value. */
  BadInput: 2,
  /** `init` cannot set up against this ERPNext (the message says how to fix it). */
  Setup: 3,
  /** ERPNext cannot be reached; the store keeps selling offline. */
  Offline: 4,
  /** `sync --once`: ERPNext answered, but work a later try may get through is still pending. */
  Pending: 5,
} as const;

const EXIT_OF: Readonly<Record<FailureClass, number>> = {
  bad_input: Exit.BadInput,
  refused: Exit.Refused,
  setup: Exit.Setup,
  offline: Exit.Offline,
};

/**
 * Any error a command can raise, as the envelope and an exit code: the CLI's own errors here,
 * the rest through the mapping the HTTP server shares (`src/server/failure.ts`).
 */
export function failureOf(e: unknown): { readonly envelope: Envelope; readonly exit: number } {
  if (e instanceof UsageError)
    return { envelope: envelope('InvalidInput', e.message, e.field), exit: Exit.BadInput };
  if (e instanceof ConfigError)
    return {
      envelope: envelope(e.kind, e.message, e.field),
      exit: e.kind === 'InvalidInput' ? Exit.BadInput : Exit.Refused,
    };
  if (e instanceof ListenError) {
    const hint =
      e.kind === 'PortInUse' ? ': stop it or choose another --port (0 = any free port)' : '';
    return { envelope: envelope(e.kind, `${e.message}${hint}`, '--port'), exit: Exit.Refused };
  }
  const f = sharedFailureOf(e);
  return { envelope: f.envelope, exit: EXIT_OF[f.class] };
}

/**
 * Prints `e` as the one envelope on stdout (where a command's result goes too, so a script reads
 * one JSON document either way) and returns the exit code. With OUTPOST_DEBUG=1 the stack of an
 * unexpected error goes to stderr, for a bug report.
 */
export function reportFailure(io: Io, e: unknown, debug = process.env['OUTPOST_DEBUG']): number {
  const { envelope, exit } = failureOf(e);
  io.stdout(`${JSON.stringify({ error: envelope })}\n`);
  if (debug === '1' && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  return exit;
}
