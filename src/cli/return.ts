import { invoiceFromScan, returnSale, returnWithoutReceipt, type Cashier } from '../pos/index.js';
import { UsageError, flags, required } from './args.js';
import type { Command } from './command.js';
import { codeQty } from './till.js';
import { CASHIER_FLAGS, MANAGER_FLAGS, login, managerOf, onTill } from './till-flags.js';

const returnHelp = `Usage: outpost return --data DIR --cashier ID --pin PIN --invoice NUMBER [--item CODE:QTY ...]

NUMBER is the receipt number, or the text of its scanned QR code.

       outpost return --data DIR --cashier ID --pin PIN --no-receipt --item CODE:QTY ...
                      --manager ID --manager-pin PIN [--customer NAME] [--reason TEXT]

Without a receipt: a manager approves; today's list price, no promotion; refunded in cash.

Takes goods back against a receipt of this till, at the receipt's prices: everything not yet
returned, or the given items. Refunds go to the original modes of payment (cards first, then
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
    return onTill(
      dir,
      io,
      (term) => {
        const items = (values.item ?? []).map((text) => {
          const { code, qty } = codeQty(text, '--item');
          return { item_code: code, qty: qty ?? '1' };
        });
        const cashier = login(term, values);
        if (!noReceipt) {
          return returnSale(term, { cashier, invoiceNo: invoiceFromScan(term, invoiceNo), items });
        }
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
