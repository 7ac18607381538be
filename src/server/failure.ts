import { QuoteError } from '../core/index.js';
import { FrappeError, UnreachableError } from '../erpnext/errors.js';
import { JournalError, KeyFileError } from '../journal/index.js';
import { PosError } from '../pos/index.js';
import { ReceiptError } from '../receipt/index.js';
import { SqliteError, StoreError } from '../store/db.js';
import { SetupError } from '../sync/preflight.js';

/**
 * The one error mapping of Outpost's edges: the CLI (`src/cli/errors.ts`, exit codes) and the
 * store node's HTTP server (`src/server/http-errors.ts`, status codes) both turn what the inner
 * layers throw into `{"error": {"kind", "message", "field"}}` through `failureOf`.
 */
export interface Envelope {
  readonly kind: string;
  readonly message: string;
  readonly field?: string;
}

/**
 * What kind of failure, for an edge to choose its exit or status code: bad input, a refusal
 * (the input was fine but the till said no, or the machine failed), a set-up problem, or
 * ERPNext out of reach.
 */
export type FailureClass = 'bad_input' | 'refused' | 'setup' | 'offline';

export interface Failure {
  readonly envelope: Envelope;
  readonly class: FailureClass;
}

export const envelope = (kind: string, message: string, field?: string): Envelope =>
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
export const oneLine = (text: string): string => text.split('\n', 1)[0] ?? '';

const refused = (kind: string, message: string, field?: string): Failure => ({
  envelope: envelope(kind, message, field),
  class: 'refused',
});

/** Any error of the inner layers as the envelope and its class. */
export function failureOf(e: unknown): Failure {
  if (e instanceof PosError)
    return {
      envelope: envelope(e.kind, e.message, e.field),
      class: e.kind === 'InvalidInput' ? 'bad_input' : 'refused',
    };
  // The engine's refusals are about the invoice given: bad input, as `quote` has always exited.
  if (e instanceof QuoteError)
    return { envelope: envelope(e.kind, e.message, e.field), class: 'bad_input' };
  if (e instanceof StoreError) return refused(e.kind, e.message, e.field);
  if (e instanceof JournalError)
    return refused(e.kind, e.message, e.field ?? (e.seq === undefined ? undefined : 'journal'));
  if (e instanceof KeyFileError) return refused('KeyFileError', e.message, e.path);
  if (e instanceof ReceiptError) return refused('ReceiptError', e.message, e.field);
  if (e instanceof SetupError)
    return {
      envelope: envelope('SetupError', `${e.message}; fix: ${e.fix}`, e.problem),
      class: 'setup',
    };
  if (e instanceof UnreachableError)
    return { envelope: envelope('Unreachable', e.message), class: 'offline' };
  if (e instanceof FrappeError) return refused(e.excType || 'FrappeError', e.message);
  if (e instanceof SqliteError) {
    const hit =
      SQLITE.find(([code]) => e.code === code) ??
      SQLITE.find(([code]) => e.code.startsWith(`${code}_`));
    if (hit) return refused(hit[1], `${hit[2]} (${e.code})`);
    return refused('StorageError', `the store database: ${oneLine(e.message)} (${e.code})`);
  }
  const errno = errnoOf(e);
  const known = errno && ERRNO[errno.code];
  if (errno && known) {
    const [kind, what] = known;
    const message = errno.path
      ? `${errno.path}: ${what} (${errno.code})`
      : `${what} (${errno.code})`;
    return refused(kind, message, errno.path);
  }
  const message = e instanceof Error ? `${e.name}: ${oneLine(e.message)}` : oneLine(String(e));
  return refused('InternalError', message);
}
