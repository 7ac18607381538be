/**
 * Part 7: disk trouble. A data directory on a file system that fills up, and one that is
 * read-only: the sale is refused with the error envelope, nothing is half-written (the chain
 * verifies, the counts are unchanged) and selling works again once space is freed or the file
 * system is writable. Then a restored older backup: once ERPNext's high-water mark is known the
 * node refuses to sell (ChainBehind) until a manager acknowledges it.
 */
import { closeSync, openSync, rmSync, writeSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import type { PartOptions, PartResult, TorturePart } from './types.js';
import { outpost } from './lib/cli.js';
import { mountSmallFs, remount } from './lib/small-mount.js';
import { seededRandom, type Rng } from './lib/seeded-random.js';
import { randomCart } from './lib/sell-load.js';
import { serveStore } from './lib/served-node.js';
import { startTortureSim, type TortureSim } from './lib/sim-site.js';
import { CASHIER, MANAGER, copyStore, makeStore, pointStoreAt, query } from './lib/store-dir.js';

type Figures = Record<string, number | string>;

/**
 * What a sale writes: its numbered journal record, its sale row, its outbox entry. The node's
 * own events (logins, its till's pairing at start, connectivity) are journaled too and are
 * left out of the comparison.
 */
const counts = (dir: string) =>
  query<{ j: number; s: number; o: number }>(
    dir,
    `SELECT (SELECT count(*) FROM journal WHERE invoice_no IS NOT NULL) AS j,
            (SELECT count(*) FROM sale) AS s, (SELECT count(*) FROM outbox) AS o`,
  )[0];
const kindOf = (text: string) => /"kind":"([^"]*)"/.exec(text)?.[1] ?? '';

export const diskPart: TorturePart = {
  name: 'disk',
  title:
    'a full or read-only data directory refuses the sale cleanly; a restored backup blocks selling until a manager acknowledges',
  async run(o: PartOptions): Promise<PartResult> {
    const figures: Figures = {};
    const failures: string[] = [];
    const rng = seededRandom(o.seed);
    const sim = await startTortureSim({ items: 300, customers: 40 });
    const base = join(o.workDir, 'store');
    try {
      await makeStore(base, sim.url, 300);
      await fullDisk(base, join(o.workDir, 'full'), o.quick ? 5 : 25, rng, figures, failures);
      await readOnly(base, join(o.workDir, 'ro'), rng, figures, failures);
      await restoredBackup(base, join(o.workDir, 'restored'), sim, figures, failures);
    } finally {
      await sim.close();
    }
    return { figures, failures };
  },
};

/** Fills the file system with one file until ENOSPC; returns its path and size. */
function fill(dir: string): { file: string; bytes: number } {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 0x55);
  let bytes = 0;
  try {
    for (;;) bytes += writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return { file, bytes };
}

async function fullDisk(
  base: string,
  mountAt: string,
  attempts: number,
  rng: Rng,
  figures: Figures,
  failures: string[],
) {
  const mount = mountSmallFs(mountAt, 24 * 1024 * 1024);
  if ('error' in mount) {
    figures['full disk'] = `not run: cannot mount a tmpfs here (${mount.error})`;
    return;
  }
  figures['full disk'] = 'a 24 MiB tmpfs filled to ENOSPC';
  const dir = copyStore(base, join(mountAt, 'store'));
  try {
    const s = await serveStore(dir);
    try {
      const session = await s.login();
      const first = await s.call('POST', '/api/sales', { session, body: randomCart(rng) });
      if (first.status !== 201)
        failures.push(`the sale before the disk filled: ${first.status} ${await first.text()}`);
      else await first.text();
      const before = counts(dir);
      const filler = fill(mountAt);
      const kinds = new Map<string, number>();
      for (let i = 0; i < attempts; i++) {
        const r = await s.call('POST', '/api/sales', { session, body: randomCart(rng) });
        const text = await r.text();
        const k = `${r.status} ${kindOf(text)}`;
        kinds.set(k, (kinds.get(k) ?? 0) + 1);
        if (r.status < 400) failures.push(`a sale on a full disk answered ${r.status}`);
        else if (!/^\{"error":\{"kind":"[^"]+","message":"[^"]+"/.test(text))
          failures.push(`full disk: not the envelope: ${text.slice(0, 200)}`);
      }
      figures['full disk: sales tried'] = attempts;
      figures['full disk: answers'] = [...kinds].map(([k, n]) => `${k}×${n}`).join(' ');
      const after = counts(dir);
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        failures.push(
          `full disk: counts moved from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
        );
      }
      rmSync(filler.file);
      const next = await s.call('POST', '/api/sales', { session, body: randomCart(rng) });
      const nextText = await next.text();
      figures['full disk: next sale after freeing space'] = next.status;
      if (next.status !== 201)
        failures.push(`the sale after space was freed: ${next.status} ${nextText.slice(0, 200)}`);
    } finally {
      await s.close();
    }
    const v = await outpost(['verify', '--data', dir]);
    figures['full disk: verify'] = v.code === 0 ? 'OK' : 'FAILED';
    if (v.code !== 0) failures.push(`full disk: outpost verify: ${v.out.slice(0, 300)}`);
  } finally {
    mount.unmount();
  }
}

const sellArgs = (dir: string, item: string) => [
  'sell',
  '--data',
  dir,
  '--cashier',
  CASHIER.id,
  '--pin',
  CASHIER.pin,
  '--item',
  item,
];

async function readOnly(
  base: string,
  mountAt: string,
  rng: Rng,
  figures: Figures,
  failures: string[],
) {
  const mount = mountSmallFs(mountAt, 24 * 1024 * 1024);
  if ('error' in mount) {
    figures['read-only'] = `not run: cannot mount a tmpfs here (${mount.error})`;
    return;
  }
  try {
    const dir = copyStore(base, join(mountAt, 'store'));
    const before = counts(dir);
    // Read-only before anything opens the store: Linux refuses the remount while a file is open
    // for writing, as a disk the kernel turned read-only after errors is found at the next start.
    const ro = remount(mountAt, true);
    if (ro !== null) {
      figures['read-only'] = `not run: cannot remount read-only (${ro})`;
      return;
    }
    figures['read-only'] = 'the tmpfs remounted ro';
    const cli = await outpost(sellArgs(dir, 'SKU-0000001:1'));
    figures['read-only: outpost sell'] = `exit ${cli.code} ${kindOf(cli.out + cli.err)}`;
    if (cli.code === 0) failures.push('outpost sell on a read-only data directory succeeded');
    else if (!kindOf(cli.out + cli.err))
      failures.push(`outpost sell on read-only: no envelope: ${(cli.out + cli.err).slice(0, 200)}`);
    // `outpost serve` as an operator starts it: it must stop at once with the envelope.
    const serve = await Promise.race([
      outpost(['serve', '--data', dir, '--port', '0']),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 20_000)),
    ]);
    if (serve === null) failures.push('outpost serve on a read-only data directory kept running');
    else {
      figures['read-only: outpost serve'] = `exit ${serve.code} ${kindOf(serve.out + serve.err)}`;
      if (serve.code === 0 || !kindOf(serve.out + serve.err)) {
        failures.push(
          `outpost serve on read-only: exit ${serve.code} ${(serve.out + serve.err).slice(0, 200)}`,
        );
      }
    }
    const after = counts(dir);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      failures.push(
        `read-only: counts moved from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
      );
    }
    const rw = remount(mountAt, false);
    if (rw !== null) failures.push(`could not remount read-write: ${rw}`);
    const again = await outpost(sellArgs(dir, 'SKU-0000001:1'));
    figures['read-only: next sale once writable'] = `exit ${again.code}`;
    if (again.code !== 0) failures.push(`the sale once writable again: ${again.out.slice(0, 200)}`);
    const v = await outpost(['verify', '--data', dir]);
    figures['read-only: verify'] = v.code === 0 ? 'OK' : 'FAILED';
    if (v.code !== 0) failures.push(`read-only: outpost verify: ${v.out.slice(0, 300)}`);
  } finally {
    mount.unmount();
  }
}

/**
 * The whole data directory restored from a backup taken before sales ERPNext now holds: the
 * next pull learns ERPNext's high-water mark, selling stops with ChainBehind (CLI and node),
 * a cashier cannot lift it, a manager's acknowledgement does.
 */
async function restoredBackup(
  base: string,
  dir: string,
  sim: TortureSim,
  figures: Figures,
  failures: string[],
) {
  copyStore(base, dir);
  pointStoreAt(dir, sim.url, 'sales_invoice');
  const must = async (args: string[], what: string) => {
    const r = await outpost(args);
    if (r.code !== 0) throw new Error(`${what}: exit ${r.code} ${r.out}${r.err}`);
    return r;
  };
  await must(sellArgs(dir, 'SKU-0000001:1'), 'first sale');
  const backup = copyStore(dir, `${dir}-backup`);
  for (const item of ['SKU-0000002:1', 'SKU-0000003:2', 'SKU-0000004:1'])
    await must(sellArgs(dir, item), 'sale');
  await must(['sync', '--data', dir, '--push', '--once', '--json'], 'push');
  const held = sim.list('Sales Invoice', [['outpost_si_terminal', '=', 'T1']], ['name']);
  figures['backup: sales ERPNext holds'] = held.length;
  rmSync(dir, { recursive: true });
  cpSync(backup, dir, { recursive: true });
  rmSync(backup, { recursive: true });
  const before = counts(dir);
  await must(['sync', '--data', dir, '--pull', '--once', '--json'], 'pull after the restore');
  const cli = await outpost(sellArgs(dir, 'SKU-0000005:1'));
  figures['backup: outpost sell'] = `exit ${cli.code} ${kindOf(cli.out)}`;
  if (kindOf(cli.out) !== 'ChainBehind')
    failures.push(`a restored backup sold (CLI): exit ${cli.code} ${cli.out.slice(0, 200)}`);
  const s = await serveStore(dir);
  try {
    const session = await s.login();
    const r = await s.call('POST', '/api/sales', {
      session,
      body: { items: [{ item_code: 'SKU-0000005', qty: '1' }] },
    });
    const text = await r.text();
    figures['backup: node sale'] = `${r.status} ${kindOf(text)}`;
    if (kindOf(text) !== 'ChainBehind')
      failures.push(`a restored backup sold (node): ${r.status} ${text.slice(0, 200)}`);
  } finally {
    await s.close();
  }
  const after = counts(dir);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    failures.push(
      `the refused sales moved the counts from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
    );
  }
  const ack = (who: { id: string; pin: string }) =>
    outpost([
      'terminal',
      'acknowledge',
      '--data',
      dir,
      '--cashier',
      who.id,
      '--pin',
      who.pin,
      '--note',
      "restored from last night's backup",
    ]);
  const byCashier = await ack(CASHIER);
  figures['backup: cashier acknowledges'] = `exit ${byCashier.code} ${kindOf(byCashier.out)}`;
  if (byCashier.code === 0) failures.push('a cashier acknowledged the restored backup');
  const still = await outpost(sellArgs(dir, 'SKU-0000005:1'));
  if (kindOf(still.out) !== 'ChainBehind')
    failures.push(`selling was not blocked after the cashier's try: ${still.out.slice(0, 200)}`);
  const byManager = await ack(MANAGER);
  figures['backup: manager acknowledges'] = `exit ${byManager.code}`;
  if (byManager.code !== 0)
    failures.push(`the manager's acknowledgement: ${byManager.out.slice(0, 200)}`);
  const sold = await outpost(sellArgs(dir, 'SKU-0000005:1'));
  figures['backup: sale after the acknowledgement'] = `exit ${sold.code}`;
  if (sold.code !== 0)
    failures.push(`no sale after the acknowledgement: ${sold.out.slice(0, 200)}`);
  const v = await outpost(['verify', '--data', dir]);
  figures['backup: verify'] = v.code === 0 ? 'OK' : `FAILED`;
  if (v.code !== 0)
    failures.push(`after the acknowledgement: outpost verify: ${v.out.slice(0, 300)}`);
}
