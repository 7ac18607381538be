import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonWith, QuoteError } from '../core/index.js';
import { PosError } from './errors.js';
import type { NodeConfig } from './node.js';

/** A decimal amount as config.json may write it: a JSON number or a string of digits. */
const amount = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal amount'),
]);

/**
 * The till rules (README: "Till rules"), checked here for their shape; `pos/settings.ts` turns
 * them into the till's settings with their defaults. Keys this schema does not know pass through,
 * so a newer rule is checked where it is read.
 */
const posRulesSchema = z.looseObject({
  lockout: z
    .looseObject({
      max_failures: z.number().int().min(1).optional(),
      minutes: z.number().nonnegative().optional(),
    })
    .optional(),
  offline: z
    .looseObject({
      online_window_minutes: z.number().min(1).optional(),
      max_hours: z.number().nonnegative().optional(),
      max_sale_amount: amount.nullable().optional(),
      modes: z.array(z.string().min(1)).nullable().optional(),
    })
    .optional(),
  cashier_max_discount_percent: amount.optional(),
  max_redeem_points: z.number().int().nonnegative().nullable().optional(),
  reprint_needs_manager: z.boolean().optional(),
  receipt_address: z.array(z.string()).optional(),
  auto_open_shift: z.boolean().optional(),
  /** Minutes without a request before a cashier's session on a paired device ends. */
  session_idle_minutes: z.number().min(1).optional(),
});

/** DIR/config.json: the store node's configuration (`outpost init` writes it). */
export const storeConfigSchema = z.object({
  erpnext_url: z.url(),
  pos_profile: z.string().min(1),
  terminal: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, 'expected 1–16 letters, digits, - or _'),
  /** Minutes between scheduled pulls. */
  pull_interval_minutes: z.number().positive().default(5),
  /**
   * How sales reach ERPNext: `pos_invoice` (v15's POS flow: opening, POS Invoices, closing
   * consolidating them) or `sales_invoice` (one Sales Invoice per sale, stock posted at once).
   */
  posting_mode: z.enum(['pos_invoice', 'sales_invoice']).default('pos_invoice'),
  /** The store id in invoice numbers; default from the POS Profile's warehouse. */
  store: z.string().min(1).optional(),
  /**
   * The store's receipt printer for `outpost serve` (its --printer overrides it):
   * tcp://HOST[:PORT] (a network printer's raw port, 9100 by default) or a device path.
   */
  printer: z
    .string()
    .min(1)
    .refine(
      (v) => /^tcp:\/\/[^/\s]+\/?$/.test(v) || (!v.includes('://') && v.startsWith('/')),
      'expected tcp://HOST[:PORT] or an absolute device path such as /dev/usb/lp0',
    )
    .optional(),
  /** Where the API key and secret are, when not in DIR/secrets.json (outside DIR). */
  secrets_file: z.string().min(1).optional(),
  pos: posRulesSchema.optional(),
});

export type StoreConfigFile = z.output<typeof storeConfigSchema>;

/**
 * The node's configuration from DIR/config.json (NotReady when the directory holds no store,
 * InvalidInput naming the field of a bad one). The sync's credentials are not read here.
 */
export function readNodeConfig(dir: string): NodeConfig {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) {
    throw new PosError(
      'NotReady',
      `${dir}: no store here (no config.json); run outpost init`,
      'data',
    );
  }
  let config: StoreConfigFile;
  try {
    config = parseJsonWith(storeConfigSchema, readFileSync(file, 'utf8'), 'config.json');
  } catch (e) {
    if (e instanceof QuoteError) throw new PosError('InvalidInput', e.message, e.field);
    throw e;
  }
  return nodeConfigOf(dir, config);
}

/** The node's part of a parsed config.json. */
export const nodeConfigOf = (dir: string, config: StoreConfigFile): NodeConfig => ({
  dir,
  posProfile: config.pos_profile,
  firstTerminal: config.terminal,
  store: config.store,
  rules: config.pos,
});
