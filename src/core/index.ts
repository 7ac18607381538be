/** The pure engine: money, pricing, taxes, loyalty, bundles. No I/O. */
export { Dec, toDec } from './money/decimal.js';
export { flt, rounded, RoundingMethods, type RoundingMethod } from './money/rounding.js';
export { QuoteError } from './errors.js';
export { Master, type MasterInput } from './master.js';
export {
  siteSettings,
  siteSettingsFrom,
  withOverrides,
  DEFAULT_ROUNDING_METHOD,
  DEFAULT_SITE_SETTINGS,
} from './site-settings.js';
export { quote, priceDraft, type PricedDraft, type Quote } from './invoice/quote.js';
export { LineMemo } from './invoice/line-memo.js';
export { jsonNumbers, toErpnextJson } from './invoice/output.js';
export {
  ean13CheckDigit,
  isValidEan13,
  parseVariableMeasure,
  DEFAULT_RULES,
  type VariableMeasureRule,
} from './barcode.js';
export { asText } from './text.js';
export { appliedRuleNames } from './invoice/rule-names.js';
export { loyaltyBalance } from './loyalty.js';
export { zonedTime } from './zoned-time.js';
export { parseWith, parseJsonWith, schemaError } from './schema.js';
