import { z } from 'zod';
import { parseJsonWith } from '../../src/core/index.js';
import { CASHIER, MANAGER, cliOk } from './store.js';

/**
 * Terminals selling over the store node's API as the shop's tills do: each a paired device
 * (POST /api/pairing; the first approved with `outpost terminal approve` beside the running
 * node, the others by the manager over POST /api/pairing/approve), a cashier logged in, a
 * shift open. A sale counts as acknowledged only when its 201 arrived: that is the promise
 * the torture checks. Requests cut off by a crash are "unknown": the sale may or may not be
 * kept, and either is fine as long as the rest of the invariants hold.
 */

export interface Acked {
  readonly uuid: string;
  readonly invoice_no: string;
  readonly terminal: string;
  readonly grand_total: string;
  readonly loyalty_points_earned: number;
}

interface Device {
  readonly token: string;
  readonly terminal: string;
  session: string;
}

const pairingAsk = z.object({ device_id: z.string(), code: z.string(), device_token: z.string() });
const pairingState = z.object({ terminal: z.string() });
const session = z.object({ session_token: z.string() });
const sold = z.object({
  uuid: z.string(),
  invoice_no: z.string(),
  grand_total: z.string(),
  rounded_total: z.string(),
  loyalty_points_earned: z.number(),
});
const priced = z.looseObject({ rounded_total: z.union([z.string(), z.number()]) });

export interface Answer {
  readonly status: number;
  readonly text: string;
}

/**
 * One request; null when the connection broke with it in flight (the node died, a reset): its
 * outcome is unknown. Status 0: refused before it was sent.
 */
export async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<Answer | null> {
  try {
    const r = await fetch(url, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: r.status, text: await r.text() };
  } catch (e) {
    // Refused: nothing listened, the request never arrived (the node is restarting).
    const cause = (e as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { status: 0, text: 'ECONNREFUSED' };
    return null;
  }
}

async function must(a: Promise<Answer | null>, what: string): Promise<string> {
  const r = await a;
  if (!r || (r.status !== 200 && r.status !== 201))
    throw new Error(`${what}: ${r ? `${r.status} ${r.text}` : 'no answer'}`);
  return r.text;
}

export interface SaleMix {
  /** Stock items to sell (1–3 lines, 1–2 each). */
  readonly pool: readonly string[];
  /** A loyalty member: about one sale in four is theirs. */
  readonly member: string;
}

export interface Counts {
  attempted: number;
  acked: number;
  /** No answer: the node died (or the link broke) with the request in flight. */
  unknown: number;
  /** Any other answer, by status and error kind (e.g. a 503 while the node starts). */
  refused: Map<string, number>;
  shiftsClosed: number;
}

export class LoadGenerator {
  readonly acked = new Map<string, Acked>();
  readonly counts: Counts = {
    attempted: 0,
    acked: 0,
    unknown: 0,
    refused: new Map(),
    shiftsClosed: 0,
  };
  private devices: Device[] = [];

  constructor(
    private url: string,
    private readonly dir: string,
    private readonly mix: SaleMix,
    private readonly rand: () => number,
  ) {}

  /** The node moved (a restart on another port). */
  setUrl(url: string): void {
    this.url = url;
  }

  get terminals(): string[] {
    return this.devices.map((d) => d.terminal);
  }

  /** Pairs `n` devices, logs the cashier in on each and opens a shift with a float of 100. */
  async pair(n: number): Promise<void> {
    const ask = async () =>
      parseJsonWith(
        pairingAsk,
        await must(send(`${this.url}/api/pairing`, 'POST', {}, { label: 'torture' }), 'pairing'),
        'pairing',
      );
    const first = await ask();
    await cliOk([
      ...['terminal', 'approve', first.code, '--data', this.dir],
      ...['--cashier', MANAGER.id, '--pin', MANAGER.pin],
    ]);
    const mgr = {
      'x-outpost-device': first.device_token,
      'x-outpost-session': await this.login(first.device_token, MANAGER),
    };
    const tokens = [first.device_token];
    for (let k = 1; k < n; k++) {
      const d = await ask();
      await must(
        send(`${this.url}/api/pairing/approve`, 'POST', mgr, {
          code: d.code,
          manager: { id: MANAGER.id, pin: MANAGER.pin },
        }),
        'pairing/approve',
      );
      tokens.push(d.device_token);
    }
    for (const token of tokens) {
      const state = parseJsonWith(
        pairingState,
        await must(
          send(`${this.url}/api/pairing`, 'GET', { 'x-outpost-device': token }),
          'pairing state',
        ),
        'pairing state',
      );
      const dev = { token, terminal: state.terminal, session: await this.login(token, CASHIER) };
      this.devices.push(dev);
      await this.openShift(dev);
    }
  }

  private async login(token: string, who: { id: string; pin: string }): Promise<string> {
    const text = await must(
      send(
        `${this.url}/api/session`,
        'POST',
        { 'x-outpost-device': token },
        { cashier: who.id, pin: who.pin },
      ),
      'session',
    );
    return parseJsonWith(session, text, 'session').session_token;
  }

  private headers(d: Device): Record<string, string> {
    return { 'x-outpost-device': d.token, 'x-outpost-session': d.session };
  }

  private async openShift(d: Device): Promise<void> {
    const body = { balance_details: [{ mode_of_payment: 'Cash', opening_amount: '100' }] };
    const r = await send(`${this.url}/api/shifts`, 'POST', this.headers(d), body);
    // 409-like refusals (a shift already open after a crash cut the answer) are fine.
    if (r && r.status >= 500) throw new Error(`open shift: ${r.status} ${r.text}`);
  }

  /**
   * Closes a terminal's shift (Z report; a POS Closing Entry to push) and, unless it is the
   * end of the day, opens the next.
   */
  async closeShift(i: number, reopen = true): Promise<Answer | null> {
    const d = this.devices[i];
    if (!d) return null;
    const r = await send(`${this.url}/api/shifts/current/close`, 'POST', this.headers(d), {
      payment_reconciliation: [],
    });
    if (r?.status === 200) {
      this.counts.shiftsClosed += 1;
      if (reopen) await this.openShift(d);
    }
    return r;
  }

  /** One sale from terminal `i`: a random cart, cash or card, a member now and then. */
  async sell(i: number): Promise<void> {
    const d = this.devices[i];
    if (!d) throw new Error(`no terminal ${i}`);
    const pick = () => this.mix.pool[Math.floor(this.rand() * this.mix.pool.length)] ?? '';
    const lines = 1 + Math.floor(this.rand() * 3);
    const items = Array.from({ length: lines }, () => ({
      item_code: pick(),
      qty: String(1 + Math.floor(this.rand() * 2)),
    }));
    const member = this.rand() < 0.25 ? { customer: this.mix.member } : {};
    let payments = {};
    if (this.rand() < 0.3) {
      // Card: the exact amount, priced first (a card gives no change).
      const p = await send(`${this.url}/api/cart/price`, 'POST', this.headers(d), {
        items,
        ...member,
      });
      if (!p || p.status !== 200) return this.refusedOrUnknown(p, 'price');
      const total = String(parseJsonWith(priced, p.text, 'cart/price').rounded_total);
      payments = { payments: [{ mode_of_payment: 'Credit Card', amount: total }] };
    }
    this.counts.attempted += 1;
    const r = await send(`${this.url}/api/sales`, 'POST', this.headers(d), {
      items,
      ...member,
      ...payments,
    });
    if (r?.status === 201) {
      const s = parseJsonWith(sold, r.text, 'sale');
      this.acked.set(s.uuid, {
        uuid: s.uuid,
        invoice_no: s.invoice_no,
        terminal: d.terminal,
        grand_total: s.grand_total,
        loyalty_points_earned: s.loyalty_points_earned,
      });
      this.counts.acked += 1;
      return;
    }
    if (r?.status === 401) d.session = await this.login(d.token, CASHIER).catch(() => d.session);
    this.refusedOrUnknown(r, 'sale');
  }

  private refusedOrUnknown(r: Answer | null, what: string): void {
    if (!r) {
      if (what === 'sale') this.counts.unknown += 1;
      return;
    }
    const kind = /"kind":"(\w+)"/.exec(r.text)?.[1] ?? '';
    const key = `${what} ${r.status} ${kind}`;
    this.counts.refused.set(key, (this.counts.refused.get(key) ?? 0) + 1);
  }
}
