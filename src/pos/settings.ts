import { Dec } from '../core/index.js';
import { invalid } from './errors.js';

/**
 * The till's rules, from the `pos` object of the store's config.json. Every field has a default
 * a real store can start with; a bad value is refused naming its path.
 */
export interface PosSettings {
  /** In invoice numbers: `{store}-{terminal}-{YYYY}-{seq}`. */
  readonly storeId: string;
  readonly terminalId: string;
  readonly lockout: {
    /** Wrong PINs in a row before the cashier is locked. */
    readonly maxFailures: number;
    readonly minutes: number;
  };
  readonly offline: {
    /** ERPNext reached within this many minutes: the till is online. */
    readonly onlineWindowMinutes: number;
    /** Selling stops this long after the last contact with ERPNext, unless a manager extends. */
    readonly maxHours: number;
    /** The largest grand total sold offline; null = no limit. */
    readonly maxSaleAmount: Dec | null;
    /** Modes of payment accepted offline; null = those whose type is Cash. */
    readonly modes: readonly string[] | null;
  };
  /** A cashier's own invoice discount up to this percentage; above it, a manager approves. */
  readonly cashierMaxDiscountPercent: Dec;
  /** Most loyalty points one sale may redeem; null = only the program's and balance limits. */
  readonly maxRedeemPoints: number | null;
  /** Whether a reprint (a COPY) needs a manager's approval. */
  readonly reprintNeedsManager: boolean;
  /** Printed under the company name: address lines, phone. */
  readonly receiptAddress: readonly string[];
  /** A sale with no shift open opens one (no float, journaled as auto); else it is refused. */
  readonly autoOpenShift: boolean;
  /** A cashier's session on a paired device ends after this many minutes without a request. */
  readonly sessionIdleMinutes: number;
}

type Json = Record<string, unknown>;

const obj = (v: unknown, path: string): Json => {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalid(path, 'expected an object');
  return v as Json;
};

function num(v: unknown, path: string, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw invalid(path, `expected a number ≥ ${min}`);
  }
  return v;
}

function dec(v: unknown, path: string): Dec {
  if ((typeof v !== 'string' && typeof v !== 'number') || !/^\d+(\.\d+)?$/.test(String(v))) {
    throw invalid(path, 'expected a non-negative decimal amount');
  }
  return new Dec(String(v));
}

/** An id usable in invoice numbers: letters, digits, - and _, 1 to 16 characters. */
function checkSeriesId(id: string, field: string): string {
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
    throw invalid(field, `${JSON.stringify(id)} must be 1–16 letters, digits, - or _`);
  }
  return id;
}

/** A store id from a warehouse name: "Store North - ODR" → "STORE-NORTH". */
export function storeIdFrom(warehouse: string): string {
  const base = warehouse.replace(/ - [^-]+$/, '');
  const id = base
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 16)
    .replace(/-+$/, '');
  return id || 'STORE';
}

export function parseSettings(
  raw: unknown,
  ids: { storeId: string; terminalId: string },
): PosSettings {
  const pos = obj(raw, 'pos');
  const lockout = obj(pos['lockout'], 'pos.lockout');
  const offline = obj(pos['offline'], 'pos.offline');
  const modes = offline['modes'];
  if (
    modes !== undefined &&
    modes !== null &&
    (!Array.isArray(modes) || !modes.every((m) => typeof m === 'string' && m !== ''))
  ) {
    throw invalid('pos.offline.modes', 'expected a list of Mode of Payment names, or null');
  }
  const maxSale = offline['max_sale_amount'];
  const redeem = pos['max_redeem_points'];
  const address = pos['receipt_address'] ?? [];
  if (!Array.isArray(address) || !address.every((l) => typeof l === 'string')) {
    throw invalid('pos.receipt_address', 'expected a list of lines');
  }
  const reprint = pos['reprint_needs_manager'] ?? false;
  if (typeof reprint !== 'boolean')
    throw invalid('pos.reprint_needs_manager', 'expected true or false');
  const autoOpen = pos['auto_open_shift'] ?? true;
  if (typeof autoOpen !== 'boolean') throw invalid('pos.auto_open_shift', 'expected true or false');
  return {
    storeId: checkSeriesId(ids.storeId, 'store'),
    terminalId: checkSeriesId(ids.terminalId, 'terminal'),
    lockout: {
      maxFailures: Math.floor(num(lockout['max_failures'], 'pos.lockout.max_failures', 5, 1)),
      minutes: num(lockout['minutes'], 'pos.lockout.minutes', 15),
    },
    offline: {
      onlineWindowMinutes: num(
        offline['online_window_minutes'],
        'pos.offline.online_window_minutes',
        15,
        1,
      ),
      maxHours: num(offline['max_hours'], 'pos.offline.max_hours', 72),
      maxSaleAmount:
        maxSale === undefined || maxSale === null
          ? null
          : dec(maxSale, 'pos.offline.max_sale_amount'),
      modes: (modes as string[] | null | undefined) ?? null,
    },
    cashierMaxDiscountPercent:
      pos['cashier_max_discount_percent'] === undefined
        ? new Dec(10)
        : dec(pos['cashier_max_discount_percent'], 'pos.cashier_max_discount_percent'),
    maxRedeemPoints:
      redeem === undefined || redeem === null
        ? null
        : Math.floor(num(redeem, 'pos.max_redeem_points', 0)),
    reprintNeedsManager: reprint,
    receiptAddress: address,
    autoOpenShift: autoOpen,
    sessionIdleMinutes: num(pos['session_idle_minutes'], 'pos.session_idle_minutes', 15, 1),
  };
}
