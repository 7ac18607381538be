import { QuoteError } from '../core/index.js';
import { FrappeError, UnreachableError } from '../erpnext/errors.js';
import { JournalError, KeyFileError } from '../journal/index.js';
import { PosError } from '../pos/index.js';
import { ReceiptError } from '../receipt/index.js';
import { ListenError } from '../sim/server.js';
import { SqliteError, StoreError } from '../store/db.js';
import { SetupError } from '../sync/preflight.js';
import { UsageError } from './args.js';
import { ConfigError } from './config.js';
import type { Io } from './command.js';

/** What every failed command prints: `{"error": {"kind", "message", "field"}}`. */
interface Envelope {
  readonly kind: string;
  readonly message: string;
  readonly field?: string;
}

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

interface Failure {
  readonly envelope: Envelope;
  readonly exit: number;
}

const env = (kind: string, message: string, field?: string): Envelope =>
  field === undefined || field === '' ? { kind, message } : { kind, message, field };

/** SQLite result codes as the till's user sees them (extended codes share the primary's name). */
const SQLITE: readonly (readonly [string, string, string])[] = [
  [
    'SQLITE_CORRUPT',
    'StoreDamaged',
    'the store database is damaged; restore it from a backup or set the store up again',
  ],
  [
    'SQLITE_NOTADB',
    'StoreDamaged',
    'the store database is not a database (truncated or overwritten); restore it from a backup',
  ],
  ['SQLITE_FULL', 'DiskFull', 'the disk is full: nothing was saved; free space and try again'],
  // The -shm file is extended on first use; this fails when the disk has no room left.
  [
    'SQLITE_IOERR_SHMSIZE',
    'DiskFull',
    'the disk is full (the store database cannot grow its index file): nothing was saved; free space and try again',
  ],
  ['SQLITE_IOERR', 'StorageError', 'the disk failed to read or write the store database'],
  ['SQLITE_READONLY', 'ReadOnly', 'the store database cannot be written (read-only media?)'],
  ['SQLITE_CANTOPEN', 'CannotOpen', 'the store database cannot be opened'],
  ['SQLITE_PERM', 'PermissionDenied', 'no permission to use the store database'],
  ['SQLITE_BUSY', 'Busy', 'the store database is busy (another command holds it); try again'],
];

/** Filesystem error codes (node:fs) that say something about the machine, not the program. */
const ERRNO: Readonly<Record<string, readonly [string, string]>> = {
  ENOSPC: ['DiskFull', 'the disk is full'],
  EDQUOT: ['DiskFull', 'the disk quota is used up'],
  EROFS: ['ReadOnly', 'the file system is read-only'],
  EACCES: ['PermissionDenied', 'permission denied'],
  EPERM: ['PermissionDenied', 'operation not permitted'],
  ENOENT: ['NotFound', 'no such file or directory'],
  EISDIR: ['InvalidInput', 'is a directory'],
  ENOTDIR: ['InvalidInput', 'a part of the path is not a directory'],
  EIO: ['StorageError', 'input/output error'],
};

function errnoOf(e: unknown): { code: string; path?: string } | undefined {
  if (!(e instanceof Error) || !('code' in e) || typeof e.code !== 'string') return undefined;
  const path = 'path' in e && typeof e.path === 'string' ? e.path : undefined;
  return path === undefined ? { code: e.code } : { code: e.code, path };
}

/** The first line of a message: the envelope never carries a stack or a dump. */
const oneLine = (text: string): string => text.split('\n', 1)[0] ?? '';

/** Any error a command can raise, as the envelope and an exit code. */
export function failureOf(e: unknown): Failure {
  if (e instanceof UsageError)
    return { envelope: env('InvalidInput', e.message, e.field), exit: Exit.BadInput };
  if (e instanceof ConfigError)
    return {
      envelope: env(e.kind, e.message, e.field),
      exit: e.kind === 'InvalidInput' ? Exit.BadInput : Exit.Refused,
    };
  if (e instanceof PosError)
    return {
      envelope: env(e.kind, e.message, e.field),
      exit: e.kind === 'InvalidInput' ? Exit.BadInput : Exit.Refused,
    };
  // The engine's refusals are about the invoice given: bad input, as `quote` has always exited.
  if (e instanceof QuoteError)
    return { envelope: env(e.kind, e.message, e.field), exit: Exit.BadInput };
  if (e instanceof StoreError)
    return { envelope: env(e.kind, e.message, e.field), exit: Exit.Refused };
  if (e instanceof JournalError)
    return {
      envelope: env(e.kind, e.message, e.field ?? (e.seq === undefined ? undefined : 'journal')),
      exit: Exit.Refused,
    };
  if (e instanceof KeyFileError)
    return { envelope: env('KeyFileError', e.message, e.path), exit: Exit.Refused };
  if (e instanceof ReceiptError)
    return { envelope: env('ReceiptError', e.message, e.field), exit: Exit.Refused };
  if (e instanceof SetupError)
    return {
      envelope: env('SetupError', `${e.message}; fix: ${e.fix}`, e.problem),
      exit: Exit.Setup,
    };
  if (e instanceof ListenError) {
    const hint =
      e.kind === 'PortInUse' ? ': stop it or choose another --port (0 = any free port)' : '';
    return { envelope: env(e.kind, `${e.message}${hint}`, '--port'), exit: Exit.Refused };
  }
  if (e instanceof UnreachableError)
    return { envelope: env('Unreachable', e.message), exit: Exit.Offline };
  if (e instanceof FrappeError)
    return { envelope: env(e.excType || 'FrappeError', e.message), exit: Exit.Refused };
  if (e instanceof SqliteError) {
    const hit =
      SQLITE.find(([code]) => e.code === code) ??
      SQLITE.find(([code]) => e.code.startsWith(`${code}_`));
    if (hit) return { envelope: env(hit[1], `${hit[2]} (${e.code})`), exit: Exit.Refused };
    return {
      envelope: env('StorageError', `the store database: ${oneLine(e.message)} (${e.code})`),
      exit: Exit.Refused,
    };
  }
  const errno = errnoOf(e);
  const known = errno && ERRNO[errno.code];
  if (errno && known) {
    const [kind, what] = known;
    const message = errno.path
      ? `${errno.path}: ${what} (${errno.code})`
      : `${what} (${errno.code})`;
    return { envelope: env(kind, message, errno.path), exit: Exit.Refused };
  }
  const message = e instanceof Error ? `${e.name}: ${oneLine(e.message)}` : oneLine(String(e));
  return { envelope: env('InternalError', message), exit: Exit.Refused };
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
