import type { Filter } from '../erpnext/client.js';

/** What the POS Profile scopes the pull to. */
export interface Scope {
  readonly company: string;
  readonly warehouse: string;
  readonly posProfile: string;
  /** Price lists the store can sell at: the profile's plus customers' and groups' defaults. */
  readonly priceLists: readonly string[];
  /** Item groups (with descendants) the profile sells; empty = all. */
  readonly itemGroups: readonly string[];
  /** Customer groups (with descendants) the profile serves; empty = all. */
  readonly customerGroups: readonly string[];
}

interface ChildTable {
  /** Field of the parent holding the rows, e.g. `barcodes`. */
  readonly field: string;
  readonly doctype: string;
  /** Columns the store uses (besides name, parent, idx). */
  readonly fields: readonly string[];
}

export interface PullSpec {
  readonly doctype: string;
  /**
   * `list`: page full records with fields ["*"] (large doctypes); children fetched per page.
   * `get`: page names only, then GET each changed document whole (small doctypes with children).
   */
  readonly mode: 'list' | 'get';
  readonly children?: readonly ChildTable[];
  readonly filters: (scope: Scope) => Filter[];
  /**
   * For `list` mode: the columns the store and the engine read. Asking for fewer than "*" keeps
   * ERPNext's answer (and the local cache) small; `name` and `modified` are always added.
   */
  readonly fields?: readonly string[];
  /** Single doctypes (System Settings, Global Defaults) are fetched by GET of their one record. */
  readonly single?: boolean;
}

const none = (): Filter[] => [];

/**
 * Everything needed to sell offline, in dependency order (trees before what links to them).
 * ERPNext's list API leaves child tables out, hence `children` / `get`.
 */
export const PULL_PLAN: readonly PullSpec[] = [
  // The site settings that change money (core `siteSettings`): precision, number format and
  // rounding method from System Settings; disable_rounded_total from Global Defaults, which is
  // where ERPNext reads it for a POS Invoice.
  { doctype: 'System Settings', mode: 'get', single: true, filters: none },
  { doctype: 'Global Defaults', mode: 'get', single: true, filters: none },
  // First: the profile decides the scope of everything after it.
  { doctype: 'POS Profile', mode: 'get', filters: (s) => [['name', '=', s.posProfile]] },
  { doctype: 'Company', mode: 'get', filters: (s) => [['name', '=', s.company]] },
  { doctype: 'Currency', mode: 'get', filters: (): Filter[] => [['enabled', '=', 1]] },
  { doctype: 'UOM', mode: 'list', filters: none },
  { doctype: 'Item Group', mode: 'get', filters: none },
  { doctype: 'Customer Group', mode: 'list', filters: none },
  { doctype: 'Territory', mode: 'list', filters: none },
  { doctype: 'Brand', mode: 'list', filters: none },
  { doctype: 'Warehouse', mode: 'list', filters: (s) => [['company', '=', s.company]] },
  { doctype: 'Price List', mode: 'get', filters: (): Filter[] => [['selling', '=', 1]] },
  { doctype: 'Mode of Payment', mode: 'get', filters: none },
  {
    doctype: 'Sales Taxes and Charges Template',
    mode: 'get',
    filters: (s) => [['company', '=', s.company]],
  },
  { doctype: 'Item Tax Template', mode: 'get', filters: (s) => [['company', '=', s.company]] },
  { doctype: 'Pricing Rule', mode: 'get', filters: (): Filter[] => [['selling', '=', 1]] },
  { doctype: 'Loyalty Program', mode: 'get', filters: (s) => [['company', '=', s.company]] },
  {
    doctype: 'Item',
    mode: 'list',
    fields: [
      'item_code',
      'item_name',
      'item_group',
      'brand',
      'stock_uom',
      'sales_uom',
      'description',
      'disabled',
      'has_variants',
      'variant_of',
      'end_of_life',
      'max_discount',
      'is_stock_item',
      'is_sales_item',
      'weight_per_unit',
      'weight_uom',
    ],
    children: [
      { field: 'barcodes', doctype: 'Item Barcode', fields: ['barcode', 'barcode_type', 'uom'] },
      { field: 'uoms', doctype: 'UOM Conversion Detail', fields: ['uom', 'conversion_factor'] },
      {
        field: 'taxes',
        doctype: 'Item Tax',
        fields: [
          'item_tax_template',
          'tax_category',
          'valid_from',
          'minimum_net_rate',
          'maximum_net_rate',
        ],
      },
    ],
    filters: (s): Filter[] => (s.itemGroups.length ? [['item_group', 'in', s.itemGroups]] : []),
  },
  { doctype: 'Product Bundle', mode: 'get', filters: none },
  {
    doctype: 'Item Price',
    mode: 'list',
    fields: [
      'item_code',
      'price_list',
      'uom',
      'customer',
      'supplier',
      'batch_no',
      'valid_from',
      'valid_upto',
      'price_list_rate',
      'currency',
      'packing_unit',
      'selling',
    ],
    filters: (s): Filter[] => [
      ['selling', '=', 1],
      ['price_list', 'in', s.priceLists],
    ],
  },
  {
    doctype: 'Customer',
    mode: 'list',
    fields: [
      'customer_name',
      'customer_group',
      'territory',
      'mobile_no',
      'email_id',
      'loyalty_program',
      'loyalty_program_tier',
      'default_price_list',
      'default_currency',
      'disabled',
      'tax_id',
    ],
    filters: (s): Filter[] =>
      s.customerGroups.length ? [['customer_group', 'in', s.customerGroups]] : [],
  },
  { doctype: 'Loyalty Point Entry', mode: 'list', filters: (s) => [['company', '=', s.company]] },
  {
    doctype: 'Bin',
    mode: 'list',
    fields: ['item_code', 'warehouse', 'actual_qty', 'reserved_qty', 'projected_qty'],
    filters: (s) => [['warehouse', '=', s.warehouse]],
  },
];
