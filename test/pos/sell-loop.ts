/**
 * Child process of crash.test.ts: opens the till in DIR and sells ITEM as fast as it can,
 * printing "selling" once logged in, then each committed sale's invoice number, until killed
 * (or after a safety limit, should the parent die first).
 *
 * Usage: node --import tsx test/pos/sell-loop.ts DIR CASHIER PIN ITEM
 */
import { openTill } from '../../src/cli/till.js';
import { authenticate, sell } from '../../src/pos/index.js';

const [dir, cashierId, pin, item] = process.argv.slice(2);
if (!dir || !cashierId || !pin || !item) {
  process.stderr.write('usage: sell-loop.ts DIR CASHIER PIN ITEM\n');
  process.exit(2);
}
const till = openTill(dir);
const cashier = authenticate(till.term, cashierId, pin);
process.stdout.write('selling\n');
const stopAt = Date.now() + 20_000;
// Synchronous on purpose: nothing but sales runs until the SIGKILL lands. (Writes to a pipe
// are synchronous on POSIX, so each printed number is out before the next sale starts.)
while (Date.now() < stopAt) {
  const sale = sell(till.term, { cashier, lines: [{ item_code: item, qty: '1' }] });
  process.stdout.write(`${sale.invoice_no}\n`);
}
till.close();
