import { sell } from '../pos/index.js';
import { flags, required } from './args.js';
import type { Command } from './command.js';
import {
  CART_FLAGS,
  CASHIER_FLAGS,
  MANAGER_FLAGS,
  cartOf,
  login,
  managerOf,
  onTill,
} from './till-flags.js';

const sellHelp = `Usage: outpost sell --data DIR --cashier ID --pin PIN --item CODE[:QTY] [--item ...]
                    [--barcode CODE ...] [--customer NAME] [--redeem POINTS] [--pay MODE:AMOUNT ...]
                    [--discount PERCENT] [--rate CODE:PRICE ...] [--manager ID --manager-pin PIN]
                    [--training]

Sells a cart, offline: prices it with the engine on the store's current snapshot (pricing
rules, taxes, loyalty as ERPNext would), takes the payments, and commits number, signed journal
record, outbox row, stock and loyalty in one transaction. Prints one JSON object: invoice_no,
uuid, seq, grand_total, rounded_total, paid_amount, change_amount...

  --item CODE[:QTY]      an item by code (QTY defaults to 1); repeat for more lines
  --barcode CODE         a scanned barcode (weighed and price labels included); repeatable
  --customer NAME        the Customer (default: the POS Profile's walk-in customer)
  --redeem POINTS        loyalty points to redeem
  --pay MODE:AMOUNT      a payment; repeatable. None: exact cash
  --discount PERCENT     an invoice discount (above the cashier's limit a manager approves)
  --rate CODE:PRICE      a price override (a manager approves unless the profile allows it)
  --manager ID, --manager-pin PIN   a manager's approval
  --training             a training sale: signed and chained, never counted or sent

A refusal prints {"error": {"kind", "message", "field"}} and exits 1 (2 for bad input).
`;

export const sellCommand: Command = {
  name: 'sell',
  summary: 'sell a cart (offline-first) and print the result as JSON',
  help: sellHelp,
  run(argv, io) {
    const { values } = flags(argv, {
      ...CASHIER_FLAGS,
      ...CART_FLAGS,
      ...MANAGER_FLAGS,
      training: { type: 'boolean' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    return onTill(
      dir,
      io,
      (term) => {
        const cart = cartOf(values);
        const cashier = login(term, values);
        const manager = managerOf(term, values);
        return sell(term, {
          cashier,
          ...cart,
          ...(manager ? { manager } : {}),
          training: values.training ?? false,
        });
      },
      values.terminal,
    );
  },
};
