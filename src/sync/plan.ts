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

export interface ChildTable {
  /** Field of the parent holding the rows, e.g. `barcodes`. */
  readonly field: string;
  readonly doctype: string;
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
  /** Single doctypes (System Settings) are fetched by GET of their one record. */
  readonly single?: boolean;
}

const none = (): Filter[] => [];

/**
 * Everything needed to sell offline, in dependency order (trees before what links to them).
 * ERPNext's list API leaves child tables out, hence `children` / `get`.
 */
export const PULL_PLAN: readonly PullSpec[] = [
  { doctype: 'System Settings', mode: 'get', single: true, filters: none },
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
    children: [
      { field: 'barcodes', doctype: 'Item Barcode' },
      { field: 'uoms', doctype: 'UOM Conversion Detail' },
      { field: 'taxes', doctype: 'Item Tax' },
    ],
    filters: (s): Filter[] => (s.itemGroups.length ? [['item_group', 'in', s.itemGroups]] : []),
  },
  { doctype: 'Product Bundle', mode: 'get', filters: none },
  {
    doctype: 'Item Price',
    mode: 'list',
    filters: (s): Filter[] => [
      ['selling', '=', 1],
      ['price_list', 'in', s.priceLists],
    ],
  },
  {
    doctype: 'Customer',
    mode: 'list',
    filters: (s): Filter[] =>
      s.customerGroups.length ? [['customer_group', 'in', s.customerGroups]] : [],
  },
  { doctype: 'Loyalty Point Entry', mode: 'list', filters: (s) => [['company', '=', s.company]] },
  { doctype: 'Bin', mode: 'list', filters: (s) => [['warehouse', '=', s.warehouse]] },
];

export const PULLED_DOCTYPES: readonly string[] = PULL_PLAN.map((p) => p.doctype);
