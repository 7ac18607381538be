/**
 * Recordings the simulator does not match yet, by number, with why. The replay test fails if one
 * of these starts matching (then remove it here) or if any other recording stops matching.
 * Each needs ERPNext business logic the framework pass does not have.
 */
export const NOT_YET_MATCHED: ReadonlyMap<string, string> = new Map([
  [
    '057',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '058',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '059',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '060',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '061',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '062',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '063',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '064',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '065',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '066',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '067',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '068',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '069',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '071',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '072',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '073',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  ['074', 'erpnext loyalty method (GET gives 404 on the real site): business pass'],
  ['075', 'erpnext loyalty method: business pass'],
  ['076', 'erpnext POS closing method get_pos_invoices: business pass'],
  ['077', 'erpnext POS method registry (not-whitelisted answer): business pass'],
  [
    '078',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '079',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '080',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '081',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '082',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '083',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '084',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '085',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '086',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '088',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '089',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '090',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '091',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '092',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '093',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '094',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '095',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '096',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '097',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '098',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '099',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '100',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '101',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '102',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '103',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '104',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  ['111', 'counts submitted POS Invoices, which need the POS Invoice business logic'],
  [
    '122',
    'item_defaults.income_account is filled by ERPNext invoice logic (set_item_default) during the POS recordings',
  ],
  [
    '140',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '141',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '142',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '143',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '144',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '145',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '157',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '158',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '159',
    'POS Profile on_trash adds a second message, and the linked opening entry comes from POS logic',
  ],
  [
    '160',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '161',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '162',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '163',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '164',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '165',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '166',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '167',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '172',
    'item_defaults.income_account is filled by ERPNext invoice logic (set_item_default) during the POS recordings',
  ],
  ['175', 'Customer.loyalty_program_tier is set by ERPNext loyalty logic (business pass)'],
  [
    '180',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  ['181', 'erpnext get_stock_availability: business pass'],
  [
    '182',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '183',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  ['184', 'erpnext get_stock_availability: business pass'],
  ['185', 'erpnext make_sales_return: business pass'],
  ['186', 'reproduces an ERPNext TypeError (500) inside POS Invoice return validation'],
  [
    '187',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '188',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '189',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '190',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '191',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '193',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '194',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '195',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '196',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '197',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '198',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '200',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '201',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '202',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '203',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '204',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
  [
    '205',
    'POS business logic: POS Invoice validation/pricing/totals, opening & closing entries, consolidation into Sales Invoice, SLE/GL/Bin, loyalty, returns',
  ],
]);
