/**
 * Child process of group-crash.test.ts: opens the store node in DIR with terminals T1 and T2
 * and sells ITEM through one CommitQueue, four sales per terminal per group, as fast as it can.
 * Prints "selling" once ready, then each sale's invoice number once its group has committed,
 * until killed (or after a safety limit, should the parent die first).
 *
 * Usage: node --import tsx test/pos/group-sell-loop.ts DIR CASHIER PIN ITEM
 */
import { CommitQueue, authenticate, sellGrouped } from '../../src/pos/index.js';
import { AFTER_OLD_STORE, openTestNode, testClock } from '../node/fixture.js';

const [dir, cashierId, pin, item] = process.argv.slice(2);
if (!dir || !cashierId || !pin || !item) {
  process.stderr.write('usage: group-sell-loop.ts DIR CASHIER PIN ITEM\n');
  process.exit(2);
}
const node = openTestNode(dir, testClock(AFTER_OLD_STORE));
const tills = ['T1', 'T2'].map((name) => {
  const term = node.terminal(name);
  return { term, cashier: authenticate(term, cashierId, pin) };
});
const queue = new CommitQueue();
process.stdout.write('selling\n');
const stopAt = Date.now() + 20_000;
while (Date.now() < stopAt) {
  const group = tills.flatMap(({ term, cashier }) =>
    Array.from({ length: 4 }, () =>
      sellGrouped(queue, term, { cashier, lines: [{ item_code: item, qty: '1' }] }),
    ),
  );
  for (const sale of await Promise.all(group)) process.stdout.write(`${sale.invoice_no}\n`);
}
node.close();
