import { beforeAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from '../../src/cli/till.js';
import {
  authenticateManager,
  forcedOfflineUntil,
  forceOffline,
  noteErpAnswer,
  recordConnectivity,
} from '../../src/pos/index.js';
import { readConnectivity } from '../../src/store/connectivity-state.js';
import {
  ConnectivityMonitor,
  PING_TIMEOUT_MS,
  PROBE_OFFLINE_MS,
  PROBE_ONLINE_MS,
  type ConnectivityChange,
} from '../../src/sync/connectivity.js';
import type { CycleResult } from '../../src/sync/push/cycle.js';
import { PUSH_POLL_MS, PushLoop, type LoopTimers } from '../../src/sync/push/loop.js';
import { syncLoop } from '../../src/cli/sync-loop.js';
import { MANAGER, cli, cliJson, makeTemplate, query, sellArgs } from '../pos/till-fixture.js';
import { pointAt, simWithFields } from './push-fixture.js';

/** Fake time: timers fire only when the test advances the clock. */
class FakeTimers implements LoopTimers {
  t = Date.now();
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((q) => q.id !== handle);
  }
  now(): number {
    return this.t;
  }
  random(): number {
    return 0.5;
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > end) break;
      this.queue.shift();
      this.t = due.at;
      due.fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.t = end;
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}

/** ERPNext's ping as the link behaves: it answers, refuses the connection, or never answers. */
class Link {
  mode: 'up' | 'refused' | 'hang' = 'up';
  pings = 0;
  ping = (): Promise<void> => {
    this.pings++;
    if (this.mode === 'up') return Promise.resolve();
    if (this.mode === 'refused') return Promise.reject(new Error('connect ECONNREFUSED'));
    return new Promise<void>(() => {});
  };
}

const idle: CycleResult = {
  customers: { pushed: 0, matched: 0, review: 0, pending: 0 },
  pushed: [],
  rejected: [],
  blocked: 0,
  queued: 0,
  retryAt: null,
  retryError: null,
  retryable: false,
};

describe('ConnectivityMonitor (fake timers)', () => {
  it('goes online on the first answer, offline after 2 failures in a row or 1 timeout, back after 2 answers', async () => {
    const timers = new FakeTimers();
    const link = new Link();
    const changes: ConnectivityChange[] = [];
    const answers: number[] = [];
    const m = new ConnectivityMonitor({
      ping: link.ping,
      timers,
      forcedUntil: () => null,
      onChange: (c) => changes.push(c),
      onAnswer: (at) => answers.push(at),
    });
    const t0 = timers.t;
    m.start();
    await timers.advance(0);
    expect(m.current()).toMatchObject({ state: 'online', since: t0, lastAnswerAt: t0 });
    expect(changes).toEqual([
      { from: 'unknown', to: 'online', reason: 'ERPNext answered', at: t0 },
    ]);

    link.mode = 'refused';
    await timers.advance(PROBE_ONLINE_MS);
    // One failure is not enough to leave online (a flapping link).
    expect(m.current()).toMatchObject({ state: 'online', failures: 1 });
    await timers.advance(PROBE_ONLINE_MS);
    const t2 = t0 + 2 * PROBE_ONLINE_MS;
    expect(m.current()).toMatchObject({ state: 'offline', since: t2, failures: 2 });
    expect(changes[1]).toEqual({
      from: 'online',
      to: 'offline',
      reason: 'ping failed 2 times in a row: connect ECONNREFUSED',
      at: t2,
    });

    link.mode = 'up';
    await timers.advance(PROBE_OFFLINE_MS);
    expect(m.current()).toMatchObject({ state: 'offline', successes: 1 });
    await timers.advance(PROBE_OFFLINE_MS);
    const t4 = t2 + 2 * PROBE_OFFLINE_MS;
    expect(changes[2]).toEqual({
      from: 'offline',
      to: 'online',
      reason: 'ERPNext answered 2 times in a row',
      at: t4,
    });

    // One ping not answered within the timeout takes it offline at once.
    link.mode = 'hang';
    await timers.advance(PROBE_ONLINE_MS + PING_TIMEOUT_MS);
    const t5 = t4 + PROBE_ONLINE_MS + PING_TIMEOUT_MS;
    expect(changes[3]).toEqual({
      from: 'online',
      to: 'offline',
      reason: `no answer within ${PING_TIMEOUT_MS} ms`,
      at: t5,
    });
    expect(changes).toHaveLength(4);
    expect(answers).toEqual([t0, t2 + PROBE_OFFLINE_MS, t4]);
    expect(link.pings).toBe(6);
    await m.stop();
  });
});

describe('connectivity on a till', () => {
  let till: Till;
  let dir: string;
  let t: Awaited<ReturnType<typeof makeTemplate>>;
  beforeAll(async () => {
    t = await makeTemplate({ items: 20, openShift: false });
    dir = t.copy();
    till = openTill(dir);
    return () => till.close();
  }, 120_000);

  it('journals every change, honours a forced offline (no ping, no push) and resumes the push when lifted', async () => {
    const timers = new FakeTimers();
    const link = new Link();
    const cycles: number[] = [];
    let push: PushLoop | null = null;
    const m = new ConnectivityMonitor({
      ping: link.ping,
      timers,
      // Read from the store, as `outpost sync` does: a manager's command sets it.
      forcedUntil: () => forcedOfflineUntil(till.term),
      onChange: (c) => {
        recordConnectivity(till.term, c);
        if (c.to === 'online') push?.wake();
      },
      onAnswer: (at) => noteErpAnswer(till.term, at),
    });
    push = new PushLoop(
      () => {
        cycles.push(timers.now());
        return Promise.resolve(idle);
      },
      timers,
      () => {},
      PUSH_POLL_MS,
      () => m.isOnline(),
    );
    const t0 = timers.t;
    link.mode = 'refused';
    m.start();
    push.start();
    await timers.advance(0);
    // Offline from the start: the push sleeps (no cycle) instead of polling a dead link.
    expect(m.current().state).toBe('offline');
    expect(push.current().state).toBe('offline');
    await timers.advance(3 * PROBE_OFFLINE_MS);
    expect(cycles).toEqual([]);

    link.mode = 'up';
    await timers.advance(2 * PROBE_OFFLINE_MS);
    const tOn = t0 + 5 * PROBE_OFFLINE_MS;
    // Online: the push woke at once, without waiting for a poll.
    expect(cycles).toEqual([tOn]);

    const manager = authenticateManager(till.term, MANAGER.id, MANAGER.pin);
    const until = forceOffline(till.term, manager, 1);
    const pingsBefore = link.pings;
    await timers.advance(PROBE_ONLINE_MS);
    const tForced = tOn + PROBE_ONLINE_MS;
    expect(m.current().state).toBe('forced_offline');
    const cyclesBefore = cycles.length;
    await timers.advance(10 * PROBE_OFFLINE_MS);
    // Forced: ERPNext is not even pinged, and nothing is pushed although the link is up.
    expect(link.pings).toBe(pingsBefore);
    expect(cycles.length).toBe(cyclesBefore);
    expect(push.current().state).toBe('offline');

    forceOffline(till.term, manager, 0);
    await timers.advance(PROBE_OFFLINE_MS);
    const tLifted = tForced + 11 * PROBE_OFFLINE_MS;
    expect(m.current().state).toBe('online');
    expect(cycles.at(-1)).toBe(tLifted);

    const events = query<{ seq: number; body: string }>(
      dir,
      "SELECT seq, body FROM journal WHERE type = 'event' AND body LIKE '%connectivity_changed%' ORDER BY seq",
    ).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(events).toEqual([
      {
        event: 'connectivity_changed',
        from: 'unknown',
        to: 'offline',
        reason: 'connect ECONNREFUSED',
      },
      {
        event: 'connectivity_changed',
        from: 'offline',
        to: 'online',
        reason: 'ERPNext answered 2 times in a row',
      },
      {
        event: 'connectivity_changed',
        from: 'online',
        to: 'forced_offline',
        reason: `forced offline by a manager until ${until}`,
      },
      {
        event: 'connectivity_changed',
        from: 'forced_offline',
        to: 'online',
        reason: 'forced offline lifted; ERPNext answered',
      },
    ]);
    const overrides = query<{ body: string }>(
      dir,
      "SELECT body FROM journal WHERE type = 'override' ORDER BY seq",
    ).map(
      (r) => (JSON.parse(r.body) as { action: string; detail: { hours: number } }).detail.hours,
    );
    expect(overrides).toEqual([1, 0]);
    const state = readConnectivity(till.db);
    expect(state.last).toMatchObject({
      state: 'online',
      reason: 'forced offline lifted; ERPNext answered',
    });
    expect(state.last_answer_at).toBe(new Date(tLifted).toISOString());
    await m.stop();
    await push.stop();
    const verified = await cliJson<{ ok: boolean }>(['verify', '--data', dir, '--json']);
    expect(verified.ok).toBe(true);
  });

  it('`outpost sync --once` neither pulls nor pushes while forced offline (exit 4, the reason named)', async () => {
    const manager = authenticateManager(till.term, MANAGER.id, MANAGER.pin);
    const until = forceOffline(till.term, manager, 2);
    try {
      const r = await cli(['sync', '--data', dir, '--once', '--json']);
      expect(r.code).toBe(4);
      expect(JSON.parse(r.out)).toMatchObject({
        online: false,
        offline_reason: `forced offline by a manager until ${until} (outpost terminal offline --hours 0 lifts it)`,
        pulled: null,
      });
    } finally {
      forceOffline(till.term, manager, 0);
    }
  });

  it('the till counts its offline window from the last ping answered, not only the last pull', () => {
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    till.db.prepare('UPDATE sync_state SET last_ok_at = ?').run(threeHoursAgo);
    till.db.prepare("DELETE FROM terminal_state WHERE key = 'erp_last_answer_at'").run();
    expect(till.term.connectivity()).toMatchObject({ lastContact: threeHoursAgo, online: false });
    const answered = Date.now() - 60_000;
    noteErpAnswer(till.term, answered);
    expect(till.term.connectivity()).toMatchObject({
      lastContact: new Date(answered).toISOString(),
      online: true,
    });
  });

  it('`outpost sync` journals going online, pushes, records ERPNext’s mark; status shows both', async () => {
    const loopDir = t.copy();
    const sim = await simWithFields();
    const stop = new AbortController();
    let err = '';
    let sale: Record<string, unknown> = {};
    try {
      pointAt(loopDir, sim, 'sales_invoice');
      sale = await cliJson(sellArgs(loopDir, '--item', 'SKU-0000001:1'));
      const running = syncLoop(
        loopDir,
        { pull: false, push: true },
        { stdout: () => {}, stderr: (s) => (err += s) },
        stop.signal,
      );
      const seen = () =>
        query<{ n: number }>(
          loopDir,
          "SELECT count(*) AS n FROM journal WHERE body LIKE '%connectivity_changed%'",
        )[0]?.n ?? 0;
      const marked = () =>
        query(loopDir, "SELECT 1 FROM terminal_local WHERE key = 'erp_high_water'").length > 0;
      for (let i = 0; i < 200 && (seen() === 0 || !marked()); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      stop.abort();
      expect(await running).toBe(0);
    } finally {
      await sim.close();
    }
    const [record] = query<{ seq: number; created_at: string; body: string }>(
      loopDir,
      "SELECT seq, created_at, body FROM journal WHERE body LIKE '%connectivity_changed%'",
    );
    expect(JSON.parse(record?.body ?? '{}')).toEqual({
      event: 'connectivity_changed',
      from: 'unknown',
      to: 'online',
      reason: 'ERPNext answered',
    });
    expect(err).toContain(
      `connectivity: unknown → online (ERPNext answered); journaled at seq ${record?.seq}`,
    );
    const status = await cliJson<{
      connectivity: Record<string, unknown>;
      erpnext_high_water: Record<string, unknown>;
    }>(['status', '--data', loopDir, '--json']);
    expect(status.connectivity).toMatchObject({
      state: 'online',
      reason: 'ERPNext answered',
      seq: record?.seq,
    });
    // The push took the sale: ERPNext now holds this terminal up to its seq.
    expect(status.erpnext_high_water).toMatchObject({
      seq: sale['seq'],
      hash: query<{ hash: string }>(
        loopDir,
        `SELECT hash FROM journal WHERE seq = ${String(sale['seq'])}`,
      )[0]?.hash,
      doctype: 'Sales Invoice',
      receipt_no: sale['invoice_no'],
    });
    expect(status.connectivity['since']).toBe(
      (
        JSON.parse(
          query<{ header: string }>(
            loopDir,
            `SELECT header FROM journal WHERE seq = ${record?.seq}`,
          )[0]?.header ?? '{}',
        ) as { time: string }
      ).time,
    );
  }, 60_000);
});
