import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { canonicalize } from './canonical.js';
import type { Clock } from './clock.js';
import { isoTime, systemClock } from './clock.js';
import { GENESIS_PREV_HASH, sha256Hex } from './digest.js';
import { JournalError } from './errors.js';
import { readHead } from './journal.js';
import type { Signer } from './keys.js';
import { publicKeyRaw } from './keys.js';
import type { ExportManifest } from './shapes.js';

/*
 * Signed JSON Lines archive (NF525 "archivage"): one line per record holding the stored header
 * and body texts byte for byte (so the export can neither heal nor hide an alteration), then a
 * manifest line signed by the terminal that pins the count, the head and a hash of all lines.
 */

interface Row {
  seq: number;
  header: string;
  body: string;
  hash: string;
  signature: string;
}

/**
 * Writes the signer's terminal's whole chain to `path` (atomically replaced) and returns the
 * signed manifest. A store that holds no record of that terminal is refused (a wrong key).
 */
export function exportJournal(
  db: Database.Database,
  signer: Signer,
  path: string,
  clock: Clock = systemClock,
): ExportManifest {
  const any = db.prepare('SELECT 1 FROM journal LIMIT 1').get();
  if (any && !readHead(db, signer.terminal)) {
    throw new JournalError(
      'WrongKey',
      `this journal holds no chain of terminal ${signer.terminal}`,
    );
  }
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    const manifest = writeExport(db, signer, fd, clock);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    return manifest;
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw e;
  }
}

function writeExport(
  db: Database.Database,
  signer: Signer,
  fd: number,
  clock: Clock,
): ExportManifest {
  const lines = createHash('sha256');
  let count = 0;
  let first: number | null = null;
  let last = { seq: 0, hash: GENESIS_PREV_HASH };
  // One SELECT is one snapshot, even while the till keeps appending on another connection.
  // The signer's own chain: an export is one terminal's, signed with its key.
  const rows = db
    .prepare(
      'SELECT chain_seq AS seq, header, body, hash, signature FROM journal WHERE terminal = ? ORDER BY rowid',
    )
    .iterate(signer.terminal) as IterableIterator<Row>;
  for (const { seq, header, body, hash, signature } of rows) {
    const line = `${canonicalize({ header, body, hash, signature })}\n`;
    writeSync(fd, line);
    lines.update(line);
    count += 1;
    first ??= seq;
    last = { seq, hash: sha256Hex(header) };
  }
  const manifest: ExportManifest = {
    format: 'outpost-journal-export/1',
    terminal: signer.terminal,
    key_id: signer.keyId,
    public_key: publicKeyRaw(signer.publicKey).toString('base64'),
    first_seq: first,
    last_seq: last.seq,
    head_hash: last.hash,
    count,
    lines_sha256: lines.digest('hex'),
    exported_at: isoTime(clock.now()),
  };
  const signature = signer.sign(Buffer.from(canonicalize(manifest))).toString('base64');
  writeSync(fd, `${canonicalize({ manifest, signature })}\n`);
  return manifest;
}
