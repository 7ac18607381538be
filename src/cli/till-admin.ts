import { existsSync } from 'node:fs';
import { exportJournal, readHeadFile, verifyJournal, type VerifyResult } from '../journal/index.js';
import { openStore, type Db } from '../store/db.js';
import { readPublicKeys as readKeysOf, terminalFiles } from '../pos/node-files.js';
import { anchorMissingSeqs } from '../store/docs.js';
import {
  addCashier,
  amountsPerMode,
  authenticate,
  closeShift,
  openShift,
  xReport,
} from '../pos/index.js';
import { UsageError, flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { readStoreConfig } from './config.js';
import { modeAmount, openReadOnly, openTill, refused } from './till.js';
import { keyMap, tillPaths } from './terminal-key.js';
import { checkReceipt, receiptCodeArg, receiptLine, type ReceiptCheck } from './verify-receipt.js';

const json = (io: Io, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

const cashierHelp = `Usage: outpost cashier add --data DIR --id ID --name NAME --pin PIN --role cashier|manager

Adds a cashier to this store. The PIN (4–12 digits) is kept only as a scrypt hash; the
addition is journaled.
`;

export const cashierCommand: Command = {
  name: 'cashier',
  summary: 'add a cashier or manager (PIN login)',
  help: cashierHelp,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'add')
      throw new UsageError(`expected \`outpost cashier add ...\`; got ${sub ?? 'nothing'}`);
    const { values } = flags(rest, {
      data: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      pin: { type: 'string' },
      role: { type: 'string' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const input = {
      id: required(values.id, '--id', 'the cashier id'),
      name: required(values.name, '--name', "the cashier's name"),
      pin: required(values.pin, '--pin', '4 to 12 digits'),
      role: required(values.role, '--role', 'cashier or manager'),
    };
    const till = openTill(dir);
    try {
      json(io, { cashier: addCashier(till.term, input) });
      return Promise.resolve(0);
    } catch (e) {
      return Promise.resolve(refused(io, e));
    } finally {
      till.close();
    }
  },
};

const shiftHelp = `Usage: outpost shift open --data DIR [--terminal T] --cashier ID --pin PIN [--float MODE:AMOUNT ...]
       outpost shift x --data DIR
       outpost shift close --data DIR --cashier ID --pin PIN [--count MODE:AMOUNT ...]

open: starts a shift with the drawer's float per mode of payment.
x: the shift's figures so far (X report), journaled.
close: counted amounts per mode against expected; seals the Z report as a signed journal
record (first/last seq, head hash, totals per tax rate and mode, perpetual grand total).
`;

export const shiftCommand: Command = {
  name: 'shift',
  summary: 'open a shift, print an X report, close with a Z report',
  help: shiftHelp,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'open' && sub !== 'x' && sub !== 'close') {
      throw new UsageError(`expected open, x or close; got ${sub ?? 'nothing'}`);
    }
    const { values } = flags(rest, {
      data: { type: 'string' },
      terminal: { type: 'string' },
      cashier: { type: 'string' },
      pin: { type: 'string' },
      float: { type: 'string', multiple: true },
      count: { type: 'string', multiple: true },
    });
    const dir = required(values.data, '--data', 'the store directory');
    if (sub === 'x' && (values.cashier || values.float || values.count)) {
      throw new UsageError('shift x takes only --data');
    }
    if (sub === 'open' && values.count) throw new UsageError('--count belongs to shift close');
    if (sub === 'close' && values.float) throw new UsageError('--float belongs to shift open');
    const till = openTill(dir, values.terminal);
    try {
      const term = till.term;
      if (sub === 'x') {
        json(io, { x_report: xReport(term) });
        return Promise.resolve(0);
      }
      const id = required(values.cashier, '--cashier', 'the cashier id');
      const pin = required(values.pin, '--pin', "the cashier's PIN");
      const cashier = authenticate(term, id, pin);
      if (sub === 'open') {
        const float = amountsPerMode(
          term,
          (values.float ?? []).map((f) => modeAmount(f, '--float')),
          '--float',
        );
        json(io, { shift: openShift(term, cashier, float) });
      } else {
        const counted = amountsPerMode(
          term,
          (values.count ?? []).map((c) => modeAmount(c, '--count')),
          '--count',
        );
        json(io, { z_report: closeShift(term, cashier, counted) });
      }
      return Promise.resolve(0);
    } catch (e) {
      return Promise.resolve(refused(io, e));
    } finally {
      till.close();
    }
  },
};

const verifyHelp = `Usage: outpost verify --data DIR [--terminal T | --receipt CODE] [--json]

Checks every terminal's journal (or T's) from the database file alone, trusting nothing in it:
every record's hashes and Ed25519 signature (keys from the terminal's terminal-keys.json), the
gapless seq, the hash chain, and its end against the signed head.json kept beside the key (the
first terminal's in DIR, the others' in DIR/terminals/T/). Reads only: works on a read-only
backup. Exit 0 when clean; exit 1 listing ALTERED, MISSING, REORDERED, FORK, TRUNCATED or
BAD_SIGNATURE with seq numbers. --json: the first terminal's result, with every terminal's
under \`terminals\`.

--receipt CODE checks a printed receipt: its check code (under the QR, e.g. T1/9/K7QM-4X2P-AB3C,
or the QR's OUTPOST/T1/9/... text) names a record of T's chain; that chain is verified and the
record's hash must begin with the code. Exit 1 when it does not (or the chain fails).
`;

interface TerminalVerdict extends VerifyResult {
  readonly terminal: string;
  readonly notes: readonly string[];
}

/** One terminal's chain against its keys and head.json, on an open read-only connection. */
function verifyTerminal(db: Db, dir: string, name: string, first: boolean): TerminalVerdict {
  const files = terminalFiles(dir, name, first);
  const keys = keyMap(readKeysOf(files));
  const notes: string[] = [];
  let expectedHead: { seq: number; hash: string } | undefined;
  if (existsSync(files.head)) {
    try {
      const head = readHeadFile(files.head, keys);
      expectedHead = { seq: head.seq, hash: head.hash };
    } catch (e) {
      notes.push(`head.json not usable: ${(e as Error).message}`);
    }
  }
  const result = verifyJournal(db, {
    publicKeys: keys,
    terminal: name,
    ...(expectedHead ? { expectedHead } : {}),
  });
  const gaps = result.count > 0 ? anchorMissingSeqs(db, name) : [];
  // Without the anchor a cut tail or a restored older file looks like a clean chain.
  if (!existsSync(files.head) && result.count > 0) {
    notes.push('head.json is missing: the end of the chain cannot be checked');
  }
  for (const seq of gaps) {
    notes.push(
      `head.json was missing before seq ${seq} (recorded by the till): records before it may have been cut; compare with the head ERPNext acknowledged`,
    );
  }
  return { ...result, ok: result.ok && notes.length === 0, notes, terminal: name };
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "verify the terminals' signed, hash-chained journals",
  help: verifyHelp,
  run(argv, io) {
    const { values } = flags(argv, {
      data: { type: 'string' },
      terminal: { type: 'string' },
      receipt: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.receipt !== undefined && values.terminal !== undefined) {
      throw new UsageError('--receipt: names its terminal itself; leave out --terminal');
    }
    const only =
      values.receipt !== undefined ? receiptCodeArg(values.receipt).terminal : values.terminal;
    const dir = required(values.data, '--data', 'the store directory');
    const config = readStoreConfig(dir);
    // Read-only, so an auditor can check a backup on read-only media.
    const db = openStore(tillPaths(dir).db, { readonly: true });
    let verdicts: TerminalVerdict[];
    let receipt: ReceiptCheck | undefined;
    try {
      const known = storeTerminals(db, config.terminal);
      if (only !== undefined && !known.includes(only)) {
        const flag = values.receipt !== undefined ? '--receipt' : '--terminal';
        throw new UsageError(
          `${flag}: ${only} is not a terminal of this store (${known.join(', ')})`,
        );
      }
      const names = only !== undefined ? [only] : known;
      verdicts = names.map((name) => verifyTerminal(db, dir, name, name === config.terminal));
      if (values.receipt !== undefined) receipt = checkReceipt(db, values.receipt);
    } finally {
      db.close();
    }
    const ok = verdicts.every((v) => v.ok) && (receipt?.matches ?? true);
    const [main] = verdicts;
    if (values.json) {
      json(io, { ...main, ok, terminals: verdicts, ...(receipt ? { receipt } : {}) });
    } else {
      for (const v of verdicts) {
        const who = verdicts.length > 1 ? `${v.terminal} ` : '';
        for (const problem of v.problems) {
          io.stdout(
            `${who}${problem.code} ${problem.seq === null ? '-' : `seq ${problem.seq}`}: ${problem.detail}\n`,
          );
        }
        for (const note of v.notes) io.stdout(`${who}ANCHOR: ${note}\n`);
        io.stdout(
          v.ok
            ? `${who}OK: ${v.count} records, head seq ${v.head?.seq ?? 0} ${v.head?.hash ?? ''}\n`
            : `${who}FAILED: ${v.problems.length + v.notes.length} problem(s) in ${v.count} records\n`,
        );
      }
      if (receipt) io.stdout(receiptLine(receipt));
    }
    return Promise.resolve(ok ? 0 : 1);
  },
};

/**
 * The terminals whose chains the store holds or should hold: the first (config.json), those
 * registered, and any that wrote a record (a terminal row deleted must not hide its chain).
 */
function storeTerminals(db: Db, first: string): string[] {
  const has = (name: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
  const found = new Set<string>([first]);
  if (has('terminal')) {
    for (const t of db.prepare('SELECT name FROM terminal').pluck().all() as string[]) found.add(t);
  }
  if (has('journal')) {
    for (const t of db.prepare('SELECT DISTINCT terminal FROM journal').pluck().all() as string[]) {
      found.add(t);
    }
  }
  return [first, ...[...found].filter((t) => t !== first).sort()];
}

const journalHelp = `Usage: outpost journal export --data DIR --out FILE [--terminal T]

Writes the journal as signed JSON Lines: every record's header, body, hash and signature byte
for byte, then a manifest signed by the terminal (count, head, perpetual grand total): the
chain of T (default: the node's first terminal). Reads the store only (works on a read-only
backup); an encrypted key needs OUTPOST_KEY_PASSPHRASE.
`;

export const journalCommand: Command = {
  name: 'journal',
  summary: 'export the signed journal (JSON Lines with a manifest)',
  help: journalHelp,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'export')
      throw new UsageError(`expected \`outpost journal export ...\`; got ${sub ?? 'nothing'}`);
    const { values } = flags(rest, {
      data: { type: 'string' },
      out: { type: 'string' },
      terminal: { type: 'string' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const out = required(values.out, '--out', 'the file to write');
    // Read-only: exporting a backup on read-only media writes only the --out file.
    const { db, key } = openReadOnly(dir, values.terminal);
    try {
      json(io, { manifest: exportJournal(db, key, out) });
      return Promise.resolve(0);
    } finally {
      db.close();
    }
  },
};
