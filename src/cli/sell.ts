import { readFileSync, writeFileSync } from 'node:fs';
import {
  authenticate,
  authenticateManager,
  exchange,
  printReceipt,
  refuseStrayRates,
  returnSale,
  returnWithoutReceipt,
  sell,
  priceCart,
  quoteDraft,
  invoiceFromScan,
  type Cart,
  type Cashier,
  type CartLine,
  type Payment,
  type Terminal,
} from '../pos/index.js';
import { toErpnextJson } from '../core/index.js';
import {
  renderEscPos,
  renderHtml,
  renderPdf,
  renderText,
  sendToPrinter,
} from '../receipt/index.js';
import { UsageError, flags, required } from './args.js';
import type { Command, Io } from './command.js';
import { codeQty, modeAmount, openTill, refused } from './till.js';

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

const returnHelp = `Usage: outpost return --data DIR --cashier ID --pin PIN --invoice NUMBER [--item CODE:QTY ...]

NUMBER is the receipt number, or the text of its scanned QR code.

       outpost return --data DIR --cashier ID --pin PIN --no-receipt --item CODE:QTY ...
                      --manager ID --manager-pin PIN [--customer NAME] [--reason TEXT]

Without a receipt: a manager approves; today's list price, no promotion; refunded in cash.

Takes goods back against a receipt of this till, at the receipt's prices: everything not yet
returned, or the given items. Refunds go to the original modes of payment (cards first, then
cash); stock comes back; loyalty points are recomputed as ERPNext does. Prints one JSON object.
`;

const receiptHelp = `Usage: outpost receipt --data DIR NUMBER --format escpos|html|pdf|text [--out FILE]
                       [--width 80|58] [--cashier ID --pin PIN] [--manager ID --manager-pin PIN]

Produces the receipt of a sale or return from its signed journal record. The first time it is
the original; later ones are marked COPY n. Every one is journaled. Without --out, text and
html go to stdout; escpos and pdf need --out (a file, a device, or tcp://HOST:9100 for escpos).
`;

function login(term: Terminal, values: { cashier?: string; pin?: string }): Cashier {
  const id = required(values.cashier, '--cashier', 'the cashier id');
  return authenticate(term, id, required(values.pin, '--pin', "the cashier's PIN"));
}

function managerOf(term: Terminal, values: { manager?: string; 'manager-pin'?: string }) {
  if (values.manager === undefined) return undefined;
  const pin = required(values['manager-pin'], '--manager-pin', "the manager's PIN");
  return authenticateManager(term, values.manager, pin);
}

const json = (io: Io, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

const CART_FLAGS = {
  item: { type: 'string', multiple: true },
  barcode: { type: 'string', multiple: true },
  customer: { type: 'string' },
  redeem: { type: 'string' },
  pay: { type: 'string', multiple: true },
  discount: { type: 'string' },
  rate: { type: 'string', multiple: true },
} as const;

interface CartValues {
  item?: string[];
  barcode?: string[];
  customer?: string;
  redeem?: string;
  pay?: string[];
  discount?: string;
  rate?: string[];
}

/** The cart flags shared by `sell` and `quote --data`. */
function cartOf(values: CartValues): Cart & { payments?: Payment[] } {
  const rates = new Map(
    (values.rate ?? []).map((r) => {
      const { mode: code, amount } = modeAmount(r, '--rate');
      return [code, amount] as const;
    }),
  );
  const lines: CartLine[] = [
    ...(values.item ?? []).map((text) => {
      const { code, qty } = codeQty(text, '--item');
      const rate = rates.get(code);
      return {
        item_code: code,
        ...(qty !== undefined ? { qty } : {}),
        ...(rate !== undefined ? { rate } : {}),
      };
    }),
    ...(values.barcode ?? []).map((barcode) => ({ barcode })),
  ];
  refuseStrayRates(rates, lines, '--rate');
  if (lines.length === 0) throw new UsageError('--item or --barcode: at least one line');
  if (values.redeem !== undefined && !/^\d+$/.test(values.redeem)) {
    throw new UsageError(`--redeem: ${values.redeem} is not a whole number of points`);
  }
  return {
    lines,
    ...(values.customer !== undefined ? { customer: values.customer } : {}),
    ...(values.redeem !== undefined ? { redeemPoints: Number(values.redeem) } : {}),
    ...(values.pay ? { payments: values.pay.map((p) => modeAmount(p, '--pay')) } : {}),
    ...(values.discount !== undefined ? { discountPercent: values.discount } : {}),
  };
}

/**
 * `outpost quote --data DIR` with sell's cart flags: the invoice a sale of this cart would
 * commit now, on the store's current snapshot, as ERPNext JSON; nothing is written.
 */
export function quoteStore(argv: readonly string[], io: Io): number {
  const { values } = flags(argv, {
    data: { type: 'string' },
    invoice: { type: 'string' },
    ...CART_FLAGS,
  });
  const till = openTill(required(values.data, '--data', 'the store directory'));
  try {
    if (values.invoice !== undefined) {
      if (values.item || values.barcode) {
        throw new UsageError('--invoice and the cart flags exclude each other');
      }
      let draft: unknown;
      try {
        draft = JSON.parse(readFileSync(values.invoice, 'utf8'));
      } catch (e) {
        throw new UsageError(`--invoice: cannot read ${values.invoice}: ${(e as Error).message}`);
      }
      const { quote, snapshot } = quoteDraft(till.term, draft);
      json(io, { ...toErpnextJson(quote), snapshot_version: snapshot });
      return 0;
    }
    const priced = priceCart(till.term, cartOf(values));
    json(io, { ...toErpnextJson(priced.quote), snapshot_version: priced.snapshot });
    return 0;
  } catch (e) {
    return refused(io, e);
  } finally {
    till.close();
  }
}

/** Who is at the till: every till command takes these. */
const CASHIER_FLAGS = {
  data: { type: 'string' },
  cashier: { type: 'string' },
  pin: { type: 'string' },
} as const;

/** A manager's approval, where one may be needed. */
const MANAGER_FLAGS = {
  manager: { type: 'string' },
  'manager-pin': { type: 'string' },
} as const;

/**
 * Opens the till in `dir`, runs `fn` and prints its result as JSON (exit 0), or the refusal as
 * a JSON error (exit 1, or 2 for bad input); the database is closed either way.
 */
function onTill(dir: string, io: Io, fn: (term: Terminal) => unknown): Promise<number> {
  const till = openTill(dir);
  try {
    json(io, fn(till.term));
    return Promise.resolve(0);
  } catch (e) {
    return Promise.resolve(refused(io, e));
  } finally {
    till.close();
  }
}

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
    return onTill(dir, io, (term) => {
      const cart = cartOf(values);
      const cashier = login(term, values);
      const manager = managerOf(term, values);
      return sell(term, {
        cashier,
        ...cart,
        ...(manager ? { manager } : {}),
        training: values.training ?? false,
      });
    });
  },
};

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
    return onTill(dir, io, (term) => {
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
    });
  },
};

const exchangeHelp = `Usage: outpost exchange --data DIR --cashier ID --pin PIN --invoice NUMBER
                        --return CODE:QTY [--return ...] --item CODE[:QTY] [--item ...]
                        [--barcode CODE ...] [--pay MODE:AMOUNT ...] [--discount PERCENT]
                        [--rate CODE:PRICE ...] [--manager ID --manager-pin PIN]

Goods of a receipt come back and others go out, in one transaction: a return against the
receipt (its prices, never re-priced) and a new sale to the same customer (today's prices and
promotions). The return's value pays for the new goods through the cash mode; the customer pays
the difference (--pay, or exact cash) or gets back what is left, to the original modes as any
return. ERPNext receives a return POS Invoice and a new POS Invoice, as from its own POS.
Prints {exchange_id, return, sale, credit, difference}; print each receipt with outpost receipt.
`;

const voidHelp = `Usage: outpost void --data DIR --cashier ID --pin PIN --invoice NUMBER
                    --manager ID --manager-pin PIN [--reason TEXT]

Cancels a whole sale of the open shift (a mistake caught at the till): a signed void record
referencing it, stock and loyalty put back, ERPNext told to cancel the invoice. Needs a
manager. Later, or for part of a sale, make a return.
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
    return onTill(dir, io, (term) => {
      const cashier = login(term, values);
      const manager = managerOf(term, values) as Cashier;
      return returnSale(term, {
        cashier,
        invoiceNo: invoiceFromScan(term, invoiceNo),
        void: { manager, reason: values.reason ?? '' },
      });
    });
  },
};

const FORMATS = ['escpos', 'html', 'pdf', 'text'] as const;

export const receiptCommand: Command = {
  name: 'receipt',
  summary: 'print a receipt (text, HTML, PDF, ESC/POS) from the journal',
  help: receiptHelp,
  async run(argv, io) {
    const { values, positionals } = flags(
      argv,
      {
        ...CASHIER_FLAGS,
        ...MANAGER_FLAGS,
        format: { type: 'string' },
        out: { type: 'string' },
        width: { type: 'string' },
      },
      true,
    );
    const dir = required(values.data, '--data', 'the store directory');
    if (positionals.length !== 1) throw new UsageError('give exactly one receipt NUMBER');
    const number = positionals[0] ?? '';
    const format = required(values.format, '--format', FORMATS.join('|'));
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format: expected ${FORMATS.join(', ')}; got ${format}`);
    }
    const width = values.width === undefined ? 80 : Number(values.width);
    if (width !== 80 && width !== 58) throw new UsageError('--width: expected 80 or 58');
    if ((format === 'escpos' || format === 'pdf') && !values.out) {
      throw new UsageError(`--out: required for --format ${format} (binary output)`);
    }
    const till = openTill(dir);
    try {
      const term = till.term;
      const cashier = values.cashier !== undefined ? login(term, values) : undefined;
      const manager = managerOf(term, values);
      const by = { ...(cashier ? { cashier } : {}), ...(manager ? { manager } : {}) };
      // A failed print is journaled as failed, so it does not count as an issued copy.
      await printReceipt(term, number, by, async (receipt) => {
        const out = values.out;
        if (format === 'text' || format === 'html') {
          const text =
            format === 'text' ? renderText(receipt, width === 80 ? 48 : 32) : renderHtml(receipt);
          if (out) writeFileSync(out, text);
          else io.stdout(text.endsWith('\n') ? text : `${text}\n`);
        } else if (format === 'pdf') {
          writeFileSync(out ?? '', await renderPdf(receipt));
        } else {
          // A file, a device, or tcp://HOST:9100 (a network printer).
          await sendToPrinter(renderEscPos(receipt, { width }), out ?? '');
        }
      });
      return 0;
    } catch (e) {
      return refused(io, e);
    } finally {
      till.close();
    }
  },
};

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
    return onTill(dir, io, (term) => {
      const cashier = login(term, values);
      const manager = managerOf(term, values);
      return exchange(term, {
        cashier,
        invoiceNo: invoiceFromScan(term, invoiceNo),
        returnItems,
        cart,
        ...(payments ? { payments } : {}),
        ...(manager ? { manager } : {}),
      });
    });
  },
};
