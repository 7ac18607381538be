import type { Rng } from './seeded-random.js';
import type { ServedNode } from './served-node.js';

export interface Seller {
  readonly terminal: string;
  readonly device: string;
  session: string;
}

/** The node's own till (T1) and `extra` devices paired over the API, each with a cashier. */
export async function sellers(s: ServedNode, extra: number): Promise<Seller[]> {
  const out: Seller[] = [];
  for (let i = 0; i < extra; i++) {
    const { token, terminal } = await s.pairDevice();
    out.push({ terminal, device: token, session: await s.login(undefined, undefined, token) });
  }
  // Last: the manager's approvals log in on the node's own till, which replaces its session.
  return [{ terminal: 'T1', device: s.device, session: await s.login() }, ...out];
}

/** A random cart of the demo catalog's first items, quantities as decimal strings. */
export function randomCart(rng: Rng): { items: { item_code: string; qty: string }[] } {
  const lines = 1 + rng.below(4);
  const items = [];
  for (let i = 0; i < lines; i++) {
    items.push({
      item_code: `SKU-${String(1 + rng.below(40)).padStart(7, '0')}`,
      qty: String(1 + rng.below(3)),
    });
  }
  return { items };
}

/**
 * `n` sales spread over the sellers, each seller's sales one after another (as a till), the
 * sellers at once. Returns each sale's invoice number; a refused sale throws.
 */
export async function sellMany(
  s: ServedNode,
  who: readonly Seller[],
  n: number,
  rng: Rng,
): Promise<string[]> {
  const carts = Array.from({ length: n }, () => randomCart(rng));
  const invoices: string[] = [];
  await Promise.all(
    who.map(async (seller, k) => {
      for (let i = k; i < n; i += who.length) {
        const r = await s.call('POST', '/api/sales', {
          device: seller.device,
          session: seller.session,
          body: carts[i],
        });
        const text = await r.text();
        if (r.status !== 201) throw new Error(`sale at ${seller.terminal}: ${r.status} ${text}`);
        const m = /"invoice_no":"([^"]+)"/.exec(text);
        if (!m?.[1]) throw new Error(`sale at ${seller.terminal}: no invoice_no in ${text}`);
        invoices.push(m[1]);
      }
    }),
  );
  return invoices;
}
