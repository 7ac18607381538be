import { z } from 'zod';

/**
 * The ERPNext documents the pull fetches and the store caches, as far as the store, the pull and
 * the engine rely on them. Objects stay open (`looseObject`): fields not listed, a site's custom
 * fields included, are kept as sent. Fields follow ERPNext v15's doctype JSON
 * (../shared/erpnext-schema/); Frappe sends an unset Link or Data field as null and a Check as
 * 0/1. A cached copy has blank values dropped (catalog.ts `compact`), so every field but `name`
 * and `modified` may be missing.
 */

/** Frappe's naive datetime, as `modified` and `creation` read: `2026-11-27 01:37:40.014484`. */
const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

const name = z.string().min(1, 'must not be blank');
const stamp = z.string().regex(STAMP, 'must be a Frappe datetime (YYYY-MM-DD HH:MM:SS[.ffffff])');
/** Data, Link, Select, Date, Text. */
const text = z.string().nullish();
/** A Select Frappe may send as text or as a number (System Settings' precisions). */
const textOrNumber = z.union([z.string(), z.number()], 'must be text or a number').nullish();
/** Float, Currency, Int: a JSON number, or the decimal text some integrations send. */
const number = z
  .union([z.number(), z.string().regex(NUMERIC, 'must be a number')], 'must be a number')
  .nullish();
const check = z.union([z.literal(0), z.literal(1)], 'must be 0 or 1').nullish();
const table = <S extends z.ZodType>(row: S) => z.array(row).optional();

/** What every listed or fetched document carries; the pull's keyset cursor is (modified, name). */
export const ListRowSchema = z.looseObject({ name, modified: stamp });

const doc = <T extends z.core.$ZodLooseShape>(fields: T) =>
  z.looseObject({
    name,
    modified: stamp,
    docstatus: z.union([z.literal(0), z.literal(1), z.literal(2)], 'must be 0, 1 or 2').optional(),
    ...fields,
  });

/** A document of a pulled doctype without fields of its own listed here. */
const PulledDocSchema = doc({});
export type PulledDoc = Readonly<z.output<typeof PulledDocSchema>>;

/** A child-table row as the pull lists it (get_list with `parent`): it names its parent. */
export const ChildRowSchema = z.looseObject({ parent: name, idx: z.int().min(0).optional() });

export const PosProfileSchema = doc({
  company: text,
  warehouse: text,
  selling_price_list: text,
  currency: text,
  disabled: check,
  item_groups: table(z.looseObject({ item_group: text })),
  customer_groups: table(z.looseObject({ customer_group: text })),
});
export const ItemGroupSchema = doc({ parent_item_group: text });
export const CustomerGroupSchema = doc({ parent_customer_group: text, default_price_list: text });
export const CustomerSchema = doc({
  customer_name: text,
  customer_group: text,
  territory: text,
  mobile_no: text,
  email_id: text,
  loyalty_program: text,
  loyalty_program_tier: text,
  default_price_list: text,
  default_currency: text,
  disabled: check,
  tax_id: text,
});

const DOCTYPES: Readonly<Record<string, typeof PulledDocSchema>> = {
  'System Settings': doc({
    time_zone: text,
    currency_precision: textOrNumber,
    float_precision: textOrNumber,
    rounding_method: text,
    number_format: text,
  }),
  'POS Profile': PosProfileSchema,
  'Item Group': ItemGroupSchema,
  'Customer Group': CustomerGroupSchema,
  Item: doc({
    item_code: text,
    item_name: text,
    item_group: text,
    brand: text,
    stock_uom: text,
    sales_uom: text,
    disabled: check,
    has_variants: check,
    variant_of: text,
    end_of_life: text,
    max_discount: number,
    is_stock_item: check,
    is_sales_item: check,
    weight_per_unit: number,
    weight_uom: text,
    barcodes: table(z.looseObject({ barcode: text, barcode_type: text, uom: text })),
    uoms: table(z.looseObject({ uom: text, conversion_factor: number })),
    taxes: table(
      z.looseObject({
        item_tax_template: text,
        tax_category: text,
        valid_from: text,
        minimum_net_rate: number,
        maximum_net_rate: number,
      }),
    ),
  }),
  'Item Price': doc({
    item_code: text,
    price_list: text,
    uom: text,
    customer: text,
    supplier: text,
    batch_no: text,
    valid_from: text,
    valid_upto: text,
    price_list_rate: number,
    currency: text,
    packing_unit: number,
    selling: check,
  }),
  Customer: CustomerSchema,
  Bin: doc({
    item_code: text,
    warehouse: text,
    actual_qty: number,
    reserved_qty: number,
    projected_qty: number,
  }),
};

/** The schema of a document of `doctype` as ERPNext sends it: its own fields where listed. */
export function docSchema(doctype: string): z.ZodType<PulledDoc> {
  return DOCTYPES[doctype] ?? PulledDocSchema;
}

/**
 * The same, for a copy the store reads back: the catalog keys a document by name alone (a
 * document written without a `modified` is kept, with a blank one).
 */
export function cachedDocSchema(doctype: string): z.ZodType<Readonly<Record<string, unknown>>> {
  return CACHED[doctype] ?? CACHED_DEFAULT;
}
const cachedOf = (schema: typeof PulledDocSchema) => schema.extend({ modified: stamp.optional() });
const CACHED = Object.fromEntries(
  Object.entries(DOCTYPES).map(([doctype, schema]) => [doctype, cachedOf(schema)]),
);
const CACHED_DEFAULT = cachedOf(PulledDocSchema);

/** A Deleted Document row as the pull lists it. */
export const DeletedRowSchema = z.looseObject({
  name,
  creation: stamp,
  deleted_doctype: name,
  deleted_name: name,
});
