import { invoiceFromScan, returnSale, returnWithoutReceipt, type Cashier } from '../pos/index.js';
import { returnAnywhere } from '../server/return-anywhere.js';
import { readStoreConfig } from './config.js';
import { erpClient } from './store-context.js';
import { UsageError, flags, required } from './args.js';
import type { Command } from './command.js';
import { codeQty, openTill } from './till.js';
import { CASHIER_FLAGS, MANAGER_FLAGS, login, managerOf, onTill } from './till-flags.js';

const returnHelp = `Usage: outpost return --data DIR --cashier ID --pin PIN --invoice NUMBER [--item CODE:QTY ...]

NUMBER is the receipt number, or the text of its scanned QR code.

       outpost return --data DIR --cashier ID --pin PIN --no-receipt --item CODE:QTY ...
                      --manager ID --manager-pin PIN [--customer NAME] [--reason TEXT]

Without a receipt: a manager approves; today's list price, no promotion; refunded in cash.

Takes goods back against a receipt of this store (any terminal), at the receipt's prices:
everything not yet returned, or the given items. A receipt of another store is looked up in
ERPNext (its POS Invoice or Sales Invoice by receipt number, Outpost uuid or name), checked
(what its returns left, its signature under the key ERPNext holds for its terminal) and
returned at its own rates into this store's warehouse; offline it is refused. Refunds go to the original modes of payment (cards first, then
cash); stock comes back; loyalty points are recomputed as ERPNext does. Prints one JSON object.
`;

export const returnCommand: Command = {
  name: 'return',
  summary: 'take goods back against a receipt (or without one, with a manager)',
  help: returnHelp,
  run(argv, io) {
    const { values } = flags(argv, {
      ...CASHIER_FLAGS,
      ...MANAGER_FLAGS,
      invoice: { type: 'string' },
      item: { type: 'string', multiple: true },
      'no-receipt': { type: 'boolean' },
      customer: { type: 'string' },
      reason: { type: 'string' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const noReceipt = values['no-receipt'] ?? false;
    if (noReceipt && values.invoice) {
      throw new UsageError('--no-receipt and --invoice exclude each other');
    }
    const invoiceNo = noReceipt
      ? ''
      : required(values.invoice, '--invoice', 'the original receipt number');
    if (noReceipt)
      required(values.manager, '--manager', 'a return without a receipt needs a manager');
    const items = (values.item ?? []).map((text) => {
      const { code, qty } = codeQty(text, '--item');
      return { item_code: code, qty: qty ?? '1' };
    });
    if (!noReceipt) return anyReceipt(dir, values, invoiceNo, items, (s) => io.stdout(s));
    return onTill(
      dir,
      io,
      (term) => {
        const cashier = login(term, values);
        return returnWithoutReceipt(term, {
          cashier,
          manager: managerOf(term, values) as Cashier,
          items,
          ...(values.customer !== undefined ? { customer: values.customer } : {}),
          ...(values.reason !== undefined ? { reason: values.reason } : {}),
        });
      },
      values.terminal,
    );
  },
};

/**
 * A return against a receipt of this store, or of another store while ERPNext answers (asked
 * with the store's credentials, 10 s at most: the customer is waiting).
 */
async function anyReceipt(
  dir: string,
  values: { cashier?: string; pin?: string; terminal?: string },
  receipt: string,
  items: { item_code: string; qty: string }[],
  out: (s: string) => void,
): Promise<number> {
  const till = openTill(dir, values.terminal);
  try {
    const cashier = login(till.term, values);
    const mode = readStoreConfig(dir).posting_mode;
    const done = await returnAnywhere(till.term, erpClient(dir, 10_000), mode, {
      cashier,
      receipt,
      items,
    });
    out(`${JSON.stringify(done, null, 2)}\n`);
    return 0;
  } finally {
    till.close();
  }
}

const voidHelp = `Usage: outpost void --data DIR --cashier ID --pin PIN --invoice NUMBER
                    --manager ID --manager-pin PIN [--reason TEXT]

Cancels a whole sale of the open shift (a mistake caught at the till): a signed void record
referencing it, stock and loyalty put back, and the cancellation queued in the outbox for
ERPNext (sending it is not built yet). Needs a manager. Later, or for part of a sale, make a
return.
`;

export const voidCommand: Command = {
  name: 'void',
  summary: 'cancel a sale of this shift (manager)',
  help: voidHelp,
  run(argv, io) {
    const { values } = flags(argv, {
      ...CASHIER_FLAGS,
      ...MANAGER_FLAGS,
      invoice: { type: 'string' },
      reason: { type: 'string' },
    });
    const dir = required(values.data, '--data', 'the store directory');
    const invoiceNo = required(values.invoice, '--invoice', 'the receipt number to void');
    required(values.manager, '--manager', 'a void needs a manager');
    return onTill(
      dir,
      io,
      (term) => {
        const cashier = login(term, values);
        const manager = managerOf(term, values) as Cashier;
        return returnSale(term, {
          cashier,
          invoiceNo: invoiceFromScan(term, invoiceNo),
          void: { manager, reason: values.reason ?? '' },
        });
      },
      values.terminal,
    );
  },
};
