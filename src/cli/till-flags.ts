import {
  authenticate,
  authenticateManager,
  refuseStrayRates,
  type Cart,
  type Cashier,
  type CartLine,
  type Payment,
  type Terminal,
} from '../pos/index.js';
import { UsageError, required } from './args.js';
import type { Io } from './command.js';
import { codeQty, modeAmount, openTill } from './till.js';

/** The flags and the cart the till commands (sell, return, exchange, void, receipt) share. */

export function login(term: Terminal, values: { cashier?: string; pin?: string }): Cashier {
  const id = required(values.cashier, '--cashier', 'the cashier id');
  return authenticate(term, id, required(values.pin, '--pin', "the cashier's PIN"));
}

export function managerOf(term: Terminal, values: { manager?: string; 'manager-pin'?: string }) {
  if (values.manager === undefined) return undefined;
  const pin = required(values['manager-pin'], '--manager-pin', "the manager's PIN");
  return authenticateManager(term, values.manager, pin);
}

export const json = (io: Io, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

export const CART_FLAGS = {
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
export function cartOf(values: CartValues): Cart & { payments?: Payment[] } {
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

/** Who is at the till: every till command takes these. */
export const CASHIER_FLAGS = {
  data: { type: 'string' },
  /** The node's terminal to act at (default: its first, config.json's `terminal`). */
  terminal: { type: 'string' },
  cashier: { type: 'string' },
  pin: { type: 'string' },
} as const;

/** A manager's approval, where one may be needed. */
export const MANAGER_FLAGS = {
  manager: { type: 'string' },
  'manager-pin': { type: 'string' },
} as const;

/**
 * Opens the till in `dir`, runs `fn` and prints its result as JSON (exit 0); a refusal leaves
 * for the CLI's one error handler. The database is closed either way.
 */
export function onTill(
  dir: string,
  io: Io,
  fn: (term: Terminal) => unknown,
  terminal?: string,
): Promise<number> {
  const till = openTill(dir, terminal);
  try {
    json(io, fn(till.term));
    return Promise.resolve(0);
  } finally {
    till.close();
  }
}
