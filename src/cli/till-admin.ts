import { existsSync } from 'node:fs';
import {
  exportJournal,
  exportPublicKey,
  readHeadFile,
  verifyJournal,
  type VerifyResult,
} from '../journal/index.js';
import { openStore } from '../store/db.js';
import { anchorMissingSeqs } from '../store/docs.js';
import {
  acknowledgeChainBehind,
  addCashier,
  amountsPerMode,
  authenticate,
  authenticateManager,
  closeShift,
  forceOffline,
  openShift,
  xReport,
} from '../pos/index.js';
import { UsageError, flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { readStoreConfig } from './config.js';
import { modeAmount, openReadOnly, openTill, refused } from './till.js';
import { keyMap, readPublicKeys, tillPaths } from './terminal-key.js';

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

const shiftHelp = `Usage: outpost shift open --data DIR --cashier ID --pin PIN [--float MODE:AMOUNT ...]
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
    const till = openTill(dir);
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

const verifyHelp = `Usage: outpost verify --data DIR [--json]

Checks the till's journal from the database file alone, trusting nothing in it: every record's
hashes and Ed25519 signature (keys from terminal-keys.json), the gapless seq, the hash chain,
and its end against the signed head.json kept beside it. Reads only: works on a read-only backup. Exit 0 when clean; exit 1 listing
ALTERED, MISSING, REORDERED, FORK, TRUNCATED or BAD_SIGNATURE with seq numbers.
`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: "verify the till's signed, hash-chained journal",
  help: verifyHelp,
  run(argv, io) {
    const { values } = flags(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
    const dir = required(values.data, '--data', 'the store directory');
    const config = readStoreConfig(dir);
    const p = tillPaths(dir);
    const keys = keyMap(readPublicKeys(dir));
    const notes: string[] = [];
    let expectedHead: { seq: number; hash: string } | undefined;
    if (existsSync(p.head)) {
      try {
        const head = readHeadFile(p.head, keys);
        expectedHead = { seq: head.seq, hash: head.hash };
      } catch (e) {
        notes.push(`head.json not usable: ${(e as Error).message}`);
      }
    }
    // Read-only, so an auditor can check a backup on read-only media.
    const db = openStore(p.db, { readonly: true });
    let result: VerifyResult;
    let gaps: number[];
    try {
      result = verifyJournal(db, {
        publicKeys: keys,
        terminal: config.terminal,
        ...(expectedHead ? { expectedHead } : {}),
      });
      gaps = result.count > 0 ? anchorMissingSeqs(db) : [];
    } finally {
      db.close();
    }
    // Without the anchor a cut tail or a restored older file looks like a clean chain.
    if (!existsSync(p.head) && result.count > 0) {
      notes.push('head.json is missing: the end of the chain cannot be checked');
    }
    for (const seq of gaps) {
      notes.push(
        `head.json was missing before seq ${seq} (recorded by the till): records before it may have been cut; compare with the head ERPNext acknowledged`,
      );
    }
    const ok = result.ok && notes.length === 0;
    if (values.json) json(io, { ...result, ok, notes });
    else {
      for (const problem of result.problems) {
        io.stdout(
          `${problem.code} ${problem.seq === null ? '-' : `seq ${problem.seq}`}: ${problem.detail}\n`,
        );
      }
      for (const note of notes) io.stdout(`ANCHOR: ${note}\n`);
      io.stdout(
        ok
          ? `OK: ${result.count} records, head seq ${result.head?.seq ?? 0} ${result.head?.hash ?? ''}\n`
          : `FAILED: ${result.problems.length + notes.length} problem(s) in ${result.count} records\n`,
      );
    }
    return Promise.resolve(ok ? 0 : 1);
  },
};

const journalHelp = `Usage: outpost journal export --data DIR --out FILE

Writes the journal as signed JSON Lines: every record's header, body, hash and signature byte
for byte, then a manifest signed by the terminal (count, head, perpetual grand total). Reads the
store only (works on a read-only backup); an encrypted key needs OUTPOST_KEY_PASSPHRASE.
`;

export const journalCommand: Command = {
  name: 'journal',
  summary: 'export the signed journal (JSON Lines with a manifest)',
  help: journalHelp,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'export')
      throw new UsageError(`expected \`outpost journal export ...\`; got ${sub ?? 'nothing'}`);
    const { values } = flags(rest, { data: { type: 'string' }, out: { type: 'string' } });
    const dir = required(values.data, '--data', 'the store directory');
    const out = required(values.out, '--out', 'the file to write');
    // Read-only: exporting a backup on read-only media writes only the --out file.
    const { db, key } = openReadOnly(dir);
    try {
      json(io, { manifest: exportJournal(db, key, out) });
      return Promise.resolve(0);
    } finally {
      db.close();
    }
  },
};

const terminalHelp = `Usage: outpost terminal key --data DIR
       outpost terminal offline --data DIR --manager ID --manager-pin PIN --hours N
       outpost terminal acknowledge --data DIR --cashier ID --pin PIN --note TEXT

key: prints this terminal's public key (key_id, raw base64, PEM) for registration in ERPNext.
offline: a manager forces the till offline for N hours (0 ends it): it sells by the offline
rules (limits, modes) even when ERPNext answers, e.g. on a flapping link; \`outpost sync\`
neither pulls nor pushes meanwhile. Journaled.
acknowledge: a manager accepts that this journal is behind what ERPNext holds of the terminal
(a restored backup, a cloned disk: selling refuses with ChainBehind). Journaled with the fork
(the local head the chain goes on from, ERPNext's seqs it will never hold); the invoice series
continues after ERPNext's highest receipt number. See README, "Restored from a backup".
`;

export const terminalCommand: Command = {
  name: 'terminal',
  summary: "the terminal's public key; force it offline, acknowledge a restored journal (manager)",
  help: terminalHelp,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'key' && sub !== 'offline' && sub !== 'acknowledge') {
      throw new UsageError(
        `expected \`outpost terminal key|offline|acknowledge ...\`; got ${sub ?? 'nothing'}`,
      );
    }
    const { values } = flags(rest, {
      data: { type: 'string' },
      manager: { type: 'string' },
      'manager-pin': { type: 'string' },
      hours: { type: 'string' },
      cashier: { type: 'string' },
      pin: { type: 'string' },
      note: { type: 'string' },
    });
    const till = openTill(required(values.data, '--data', 'the store directory'));
    try {
      if (sub === 'key') {
        json(io, { terminal: till.term.key.terminal, ...exportPublicKey(till.term.key.publicKey) });
        return Promise.resolve(0);
      }
      if (sub === 'acknowledge') {
        const id = required(values.cashier, '--cashier', 'the manager id');
        const pin = required(values.pin, '--pin', "the manager's PIN");
        const note = required(values.note, '--note', 'why the journal is behind ERPNext');
        const manager = authenticateManager(till.term, id, pin);
        json(io, { acknowledged: acknowledgeChainBehind(till.term, manager, note) });
        return Promise.resolve(0);
      }
      const id = required(values.manager, '--manager', 'the manager id');
      const pin = required(values['manager-pin'], '--manager-pin', "the manager's PIN");
      const hours = Number(required(values.hours, '--hours', 'how long, 0 to end'));
      const manager = authenticateManager(till.term, id, pin);
      json(io, { forced_offline_until: forceOffline(till.term, manager, hours) });
      return Promise.resolve(0);
    } catch (e) {
      return Promise.resolve(refused(io, e));
    } finally {
      till.close();
    }
  },
};
