import { ZERO, type Dec } from './money/decimal.js';
import { isRoundingMethod, type Precision, type RoundingMethod } from './money/rounding.js';
import { invalid } from './errors.js';
import { Fields, type Rec } from './record.js';

/**
 * The site settings that change money, as ERPNext v15 computes with them: the one mapping from
 * ERPNext's records (System Settings, Global Defaults, Currency) to the engine's settings. The
 * store, the simulator and the receipts all read settings through here, so a site configured
 * otherwise than the test site gets the totals ERPNext would compute.
 */
export interface SiteSettings extends Precision {
  /**
   * Global Defaults `disable_rounded_total`. POS Invoice has no field of its own for it, so
   * `AccountsController.is_rounded_total_disabled` reads Global Defaults (the POS Profile's flag
   * is only copied into a consolidated Sales Invoice); rounded_total and rounding_adjustment are
   * then 0 (`calculate_taxes_and_totals.set_rounded_total`).
   */
  readonly disableRoundedTotal: boolean;
}

/** The single documents the settings come from, as ERPNext's REST API returns them. */
interface SiteRecords {
  readonly systemSettings?: Rec | undefined;
  readonly globalDefaults?: Rec | undefined;
}

/**
 * Decimals of each System Settings `number_format` option: Frappe's `number_format_info`
 * (frappe/utils/data.py). A format outside the table counts as 2 (`get_number_format_info`).
 */
const NUMBER_FORMAT_DECIMALS: Readonly<Record<string, number>> = {
  '#,###.##': 2,
  '#.###,##': 2,
  '# ###.##': 2,
  '# ###,##': 2,
  "#'###.##": 2,
  '#, ###.##': 2,
  '#,##,###.##': 2,
  '#,###.###': 3,
  '#.###': 0,
  '#,###': 0,
  '#.########': 8,
};

/**
 * Frappe's default rounding method: the schema default of System Settings `rounding_method`
 * (frappe/core/doctype/system_settings/system_settings.json), and what `frappe.utils.rounded`
 * falls back to when the setting is unset.
 */
export const DEFAULT_ROUNDING_METHOD: RoundingMethod = "Banker's Rounding (legacy)";

/** The settings of a site whose records are absent: Frappe's defaults. */
export const DEFAULT_SITE_SETTINGS: SiteSettings = siteSettings({});

/**
 * Effective settings from the site's records, with Frappe's derivations:
 * - currency precision: `cint(currency_precision)`, or when that is blank or 0 the decimals of
 *   System Settings `number_format` (default `#,###.##`), never the Currency's own number format
 *   (`frappe.model.meta.get_field_precision`, Currency fields without their own precision);
 * - float precision: `cint(float_precision) or 3` (same function, other fields);
 * - rounding method: the setting, or "Banker's Rounding (legacy)" when blank;
 * - rounded total disabled: Global Defaults `disable_rounded_total` (schema default 0).
 */
export function siteSettings(records: SiteRecords): SiteSettings {
  const ss = new Fields(records.systemSettings ?? {}, 'System Settings');
  const gd = new Fields(records.globalDefaults ?? {}, 'Global Defaults');
  const format = ss.str('number_format') || '#,###.##';
  const currency = selectInt(ss, 'currency_precision') || (NUMBER_FORMAT_DECIMALS[format] ?? 2);
  const float = selectInt(ss, 'float_precision') || 3;
  return {
    currency,
    float,
    method: roundingMethod(ss.raw('rounding_method') || DEFAULT_ROUNDING_METHOD, ss.path),
    disableRoundedTotal: gd.bool('disable_rounded_total'),
  };
}

/**
 * Effective settings given directly (`{"system": {...}}` in a master file): each field present
 * replaces the one derived from the records. Values here are already effective, so a
 * currency_precision of 0 means whole units, unlike System Settings' own field.
 */
export function withOverrides(base: SiteSettings, system: Rec): SiteSettings {
  const f = new Fields(system, 'system');
  const int = (field: string, fallback: number): number => {
    if (!f.has(field)) return fallback;
    const v = f.dec(field).toNumber();
    if (!Number.isInteger(v) || v < 0 || v > 9) {
      throw invalid(`system.${field}`, `expected a whole number from 0 to 9, got ${v}`);
    }
    return v;
  };
  return {
    currency: int('currency_precision', base.currency),
    float: int('float_precision', base.float),
    method: f.has('rounding_method')
      ? roundingMethod(f.raw('rounding_method'), 'system')
      : base.method,
    disableRoundedTotal: f.has('disable_rounded_total')
      ? f.bool('disable_rounded_total')
      : base.disableRoundedTotal,
  };
}

/**
 * The Currency's smallest coin that rounded totals snap to: `flt(smallest_currency_fraction_value)`;
 * 0 (no record, or blank) makes `round_based_on_smallest_currency_fraction` round to whole units.
 */
export function smallestFraction(currency: Fields | undefined): Dec {
  return currency?.dec('smallest_currency_fraction_value') ?? ZERO;
}

/**
 * A System Settings Select of digits ("", "0".."9"), read like Frappe's `cint`: blank is 0. Any
 * other value cannot be saved through ERPNext, so it is refused rather than guessed.
 */
function selectInt(f: Fields, field: string): number {
  const v = f.raw(field);
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 9) {
    throw invalid(
      `${f.path}.${field}`,
      `expected blank or a digit 0 to 9, got ${JSON.stringify(v)}`,
    );
  }
  return n;
}

function roundingMethod(value: unknown, path: string): RoundingMethod {
  if (!isRoundingMethod(value)) {
    throw invalid(
      `${path}.rounding_method`,
      `unknown rounding method ${JSON.stringify(value)} (ERPNext v15 has "Banker's Rounding", "Banker's Rounding (legacy)" and "Commercial Rounding")`,
    );
  }
  return value;
}

/** Reads the three records from any lookup by doctype and name (a store, a site, a master file). */
export function siteSettingsFrom(
  lookup: (doctype: string, name: string) => Rec | undefined,
): SiteSettings {
  return siteSettings({
    systemSettings: lookup('System Settings', 'System Settings'),
    globalDefaults: lookup('Global Defaults', 'Global Defaults'),
  });
}
