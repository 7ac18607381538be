import { exportPublicKey } from '../journal/index.js';
import { acknowledgeChainBehind, authenticateManager, forceOffline } from '../pos/index.js';
import { approvePairing, devices, requestPairing, revokeDevice } from '../pos/devices.js';
import { activeDeviceOf } from '../store/devices.js';
import { UsageError, flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { openNodeIn, refused } from './till.js';

const json = (io: Io, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

const help = `Usage: outpost terminal list --data DIR
       outpost terminal pair --data DIR [--label TEXT]
       outpost terminal approve CODE --data DIR --cashier M --pin P [--terminal NAME]
       outpost terminal revoke DEVICE --data DIR --cashier M --pin P
       outpost terminal key --data DIR [--terminal NAME]
       outpost terminal offline --data DIR --manager ID --manager-pin PIN --hours N
       outpost terminal acknowledge --data DIR --cashier ID --pin PIN --note TEXT [--terminal NAME]

The store node holds several terminals in one data directory, each with its own invoice series,
signed chain, key and head file.
list: the node's terminals and the devices paired with (or waiting for) them; no tokens.
pair: asks to pair a new device, as a device does over the API: prints its code (XXXX-XXXX,
valid 10 minutes) and the device token (shown once; only its hash is kept).
approve: a manager approves a pairing CODE (PIN checked and journaled like any approval): the
device is bound to terminal NAME (an existing one no device holds, or a new one, made with its
own key and series), else to the first free terminal, else to a new T<n>.
revoke: a manager revokes a device (its id or code): its token and cashier sessions get nothing.
key: prints a terminal's public key (key_id, raw base64, PEM) for registration in ERPNext.
offline: a manager forces the till offline for N hours (0 ends it): it sells by the offline
rules (limits, modes) even when ERPNext answers, e.g. on a flapping link; \`outpost sync\`
neither pulls nor pushes meanwhile. Journaled.
acknowledge: a manager accepts that terminal NAME's journal (the first terminal's by default) is
behind what ERPNext holds of it (a restored backup, a cloned disk: that terminal's selling
refuses with ChainBehind; each terminal is checked and acknowledged on its own). Journaled with the fork
(the local head the chain goes on from, ERPNext's seqs it will never hold); the invoice series
continues after ERPNext's highest receipt number. See README, "Restored from a backup".
`;

const SUBCOMMANDS = ['list', 'pair', 'approve', 'revoke', 'key', 'offline', 'acknowledge'];

export const terminalCommand: Command = {
  name: 'terminal',
  summary: "the node's terminals: pair, approve and revoke devices; keys; offline; acknowledge",
  help,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || !SUBCOMMANDS.includes(sub)) {
      throw new UsageError(
        `expected \`outpost terminal ${SUBCOMMANDS.join('|')} ...\`; got ${sub ?? 'nothing'}`,
      );
    }
    const { values, positionals } = flags(
      rest,
      {
        data: { type: 'string' },
        manager: { type: 'string' },
        'manager-pin': { type: 'string' },
        hours: { type: 'string' },
        cashier: { type: 'string' },
        pin: { type: 'string' },
        note: { type: 'string' },
        terminal: { type: 'string' },
        label: { type: 'string' },
      },
      true,
    );
    const node = openNodeIn(required(values.data, '--data', 'the store directory'));
    try {
      if (sub === 'list') {
        const terminals = node.terminals().map((t) => ({
          ...t,
          device: activeDeviceOf(node.db, t.name)?.id ?? null,
        }));
        json(io, { terminals, devices: devices(node) });
        return Promise.resolve(0);
      }
      if (sub === 'pair') {
        json(io, { pairing: requestPairing(node, { label: values.label ?? '' }) });
        return Promise.resolve(0);
      }
      if (sub === 'approve' || sub === 'revoke') {
        const target = positionals[0];
        if (target === undefined) {
          throw new UsageError(
            `outpost terminal ${sub}: expected the ${sub === 'approve' ? 'pairing code' : 'device id or code'}`,
          );
        }
        const manager = required(values.cashier, '--cashier', 'the manager id');
        const pin = required(values.pin, '--pin', "the manager's PIN");
        if (sub === 'approve') {
          const approved = approvePairing(node, {
            code: target,
            manager,
            pin,
            ...(values.terminal !== undefined ? { terminal: values.terminal } : {}),
          });
          // The new terminal's key is made now, not at its first sale: list and key show it.
          node.terminal(approved.terminal);
          json(io, { approved });
        } else {
          json(io, { revoked: revokeDevice(node, { device: target, manager, pin }) });
        }
        return Promise.resolve(0);
      }
      const term = node.terminal(values.terminal);
      if (sub === 'key') {
        json(io, { terminal: term.key.terminal, ...exportPublicKey(term.key.publicKey) });
        return Promise.resolve(0);
      }
      if (sub === 'acknowledge') {
        const id = required(values.cashier, '--cashier', 'the manager id');
        const pin = required(values.pin, '--pin', "the manager's PIN");
        const note = required(values.note, '--note', 'why the journal is behind ERPNext');
        const manager = authenticateManager(term, id, pin);
        json(io, { acknowledged: acknowledgeChainBehind(term, manager, note) });
        return Promise.resolve(0);
      }
      const id = required(values.manager, '--manager', 'the manager id');
      const pin = required(values['manager-pin'], '--manager-pin', "the manager's PIN");
      const hours = Number(required(values.hours, '--hours', 'how long, 0 to end'));
      const manager = authenticateManager(term, id, pin);
      json(io, { forced_offline_until: forceOffline(term, manager, hours) });
      return Promise.resolve(0);
    } catch (e) {
      return Promise.resolve(refused(io, e));
    } finally {
      node.close();
    }
  },
};
