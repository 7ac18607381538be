import type { Quote } from '../api/schemas.js';

/** What differs between two prices of one cart, as `field: page → node` (none: the same). */
export function differences(page: Quote, node: Quote): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys) {
        walk(
          (a as Record<string, unknown>)[k],
          (b as Record<string, unknown>)[k],
          at ? `${at}.${k}` : k,
        );
      }
    } else if (!Object.is(a, b)) {
      out.push(`${at}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    }
  };
  walk(page, node, '');
  return out;
}

/**
 * The price to show once the node has priced the cart the page priced: always the node's. A
 * page price that differs is logged (a stale book, or a defect in the page's pricing) and the
 * caller reloads its book.
 */
export function reconcile(
  page: Quote | null,
  node: Quote,
  log: (message: string, differences: string[]) => void,
): { quote: Quote; differed: boolean } {
  if (page === null) return { quote: node, differed: false };
  // What the node adds beside the price (the customer's points, what is due once they are
  // counted) is not the page's to price: only the fields both priced are compared.
  const priced: Record<string, unknown> = { ...node };
  delete priced['amount_due'];
  delete priced['loyalty'];
  const diff = differences(page, priced as Quote);
  if (diff.length > 0)
    log(
      'outpost: the page priced the cart differently from the node; showing the node’s price',
      diff,
    );
  return { quote: node, differed: diff.length > 0 };
}
