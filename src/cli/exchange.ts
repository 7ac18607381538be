import { exchange } from '../pos/index.js';
import { findOriginal } from '../server/return-anywhere.js';
import { UsageError, flags, required } from './args.js';
import type { Command } from './command.js';
import { readStoreConfig } from './config.js';
import { erpClient } from './store-context.js';
import { codeQty, openTill } from './till.js';
import {
  CART_FLAGS,
  CASHIER_FLAGS,
  MANAGER_FLAGS,
  cartOf,
  json,
  login,
  managerOf,
} from './till-flags.js';

const exchangeHelp = `Usage: outpost exchange --data DIR --cashier ID --pin PIN --invoice NUMBER
                        --return CODE:QTY [--return ...] --item CODE[:QTY] [--item ...]
                        [--barcode CODE ...] [--pay MODE:AMOUNT ...] [--discount PERCENT]
                        [--rate CODE:PRICE ...] [--manager ID --manager-pin PIN]

Goods of a receipt come back and others go out, in one transaction: a return against the
receipt (its prices, never re-priced) and a new sale to the same customer (today's prices and
promotions). The return's value pays for the new goods through the cash mode; the customer pays
the difference (--pay, or exact cash) or gets back what is left, to the original modes as any
return. A receipt of another store is looked up in ERPNext, as by outpost return (refused
offline). Both are queued for ERPNext as a return and a new invoice, as from its own POS.
Prints {exchange_id, return, sale, credit, difference}; print each receipt with outpost receipt.
`;

export const exchangeCommand: Command = {
  name: 'exchange',
  summary: 'take goods of a receipt back and sell others in one transaction',
  help: exchangeHelp,
  run(argv, io) {
    const { values } = flags(argv, {
      ...CASHIER_FLAGS,
      ...CART_FLAGS,
      ...MANAGER_FLAGS,
      invoice: { type: 'string' },
      return: { type: 'string', multiple: true },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const invoiceNo = required(values.invoice, '--invoice', 'the original receipt number');
    if (values.customer !== undefined) {
      throw new UsageError('--customer: an exchange is for the customer of the original receipt');
    }
    const returnItems = (values.return ?? []).map((text) => {
      const { code, qty } = codeQty(text, '--return');
      return { item_code: code, qty: qty ?? '1' };
    });
    if (returnItems.length === 0)
      throw new UsageError('--return: at least one CODE:QTY comes back');
    const { payments, ...cart } = cartOf(values);
    return (async () => {
      const till = openTill(dir, values.terminal);
      try {
        const term = till.term;
        const cashier = login(term, values);
        const manager = managerOf(term, values);
        // Another store's receipt is asked of ERPNext (10 s at most: the customer is waiting).
        const mode = readStoreConfig(dir).posting_mode;
        const found = await findOriginal(term, erpClient(dir, 10_000), mode, invoiceNo);
        const done = exchange(term, {
          cashier,
          invoiceNo: found.here ? found.invoiceNo : found.original,
          returnItems,
          cart,
          ...(payments ? { payments } : {}),
          ...(manager ? { manager } : {}),
        });
        json(io, done);
        return 0;
      } finally {
        till.close();
      }
    })();
  },
};
