import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { companyAccountDefaults, demoSeed, type SeedDoc } from '../../src/sim/seed/index.js';

/**
 * Referential integrity read off ERPNext's own doctype schemas: every Link field whose target
 * doctype the seed generates must name a record that a loader inserting the tables in order has
 * already inserted (tree parents included).
 */

interface Meta {
  links: [field: string, target: string][];
  tables: [field: string, child: string][];
}

const schemaDir = join(import.meta.dirname, '../fixtures/erpnext-schema');
const metas = new Map<string, Meta>();
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.json'))) {
  const dt = JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as {
    name: string;
    fields: { fieldname: string; fieldtype: string; options?: string }[];
  };
  metas.set(dt.name, {
    links: dt.fields
      .filter((f) => f.fieldtype === 'Link' && f.options)
      .map((f) => [f.fieldname, f.options ?? '']),
    tables: dt.fields
      .filter((f) => f.fieldtype === 'Table' && f.options)
      .map((f) => [f.fieldname, f.options ?? '']),
  });
}
// The chart of accounts and cost centers are not among the schema fixtures.
metas.set('Account', {
  links: [
    ['parent_account', 'Account'],
    ['company', 'Company'],
    ['account_currency', 'Currency'],
  ],
  tables: [],
});
metas.set('Cost Center', {
  links: [
    ['parent_cost_center', 'Cost Center'],
    ['company', 'Company'],
  ],
  tables: [],
});

const tables = demoSeed({ items: 300, customers: 40, now: '2026-11-27 09:00:00.000000' });
const generated = new Set(tables.map((t) => t.doctype));

describe('demoSeed referential integrity', () => {
  const checked = new Map<string, number>();
  const problems: string[] = [];
  const inserted = new Map<string, Set<string>>([...generated].map((d) => [d, new Set()]));

  const checkLinks = (doctype: string, rec: SeedDoc, path: string): void => {
    const meta = metas.get(doctype);
    if (!meta) {
      problems.push(`${path}: no schema for ${doctype}`);
      return;
    }
    for (const [field, target] of meta.links) {
      const value = rec[field];
      if (!generated.has(target) || value === null || value === undefined || value === '') continue;
      checked.set(`${doctype}.${field}`, (checked.get(`${doctype}.${field}`) ?? 0) + 1);
      if (!inserted.get(target)?.has(typeof value === 'string' ? value : JSON.stringify(value))) {
        problems.push(`${path}.${field} = ${JSON.stringify(value)}: no earlier ${target}`);
      }
    }
    for (const [field, child] of meta.tables) {
      const list = rec[field];
      if (!Array.isArray(list)) continue;
      (list as SeedDoc[]).forEach((row, i) => {
        expect(row.doctype).toBe(child);
        checkLinks(child, row, `${path}.${field}[${i + 1}]`);
      });
    }
  };

  for (const table of tables) {
    for (const rec of table.records) {
      checkLinks(table.doctype, rec, `${table.doctype}[${rec.name}]`);
      inserted.get(table.doctype)?.add(rec.name);
    }
  }

  it('every link names a record inserted before it', () => {
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('names only generated accounts and cost centers in the Company defaults set after them', () => {
    const known = new Set([
      ...(inserted.get('Account') ?? []),
      ...(inserted.get('Cost Center') ?? []),
    ]);
    for (const [field, value] of Object.entries(companyAccountDefaults())) {
      expect(known.has(value), `${field} = ${value}`).toBe(true);
    }
  });

  it.each([
    'Item.item_group',
    'Item.brand',
    'Item.stock_uom',
    'Item Barcode.uom',
    'UOM Conversion Detail.uom',
    'Item Default.default_warehouse',
    'Item Default.default_price_list',
    'Item Tax.item_tax_template',
    'Item Group.parent_item_group',
    'Item Price.item_code',
    'Item Price.price_list',
    'Item Price.uom',
    'Bin.item_code',
    'Bin.warehouse',
    'Customer.customer_group',
    'Customer.territory',
    'Customer.loyalty_program',
    'Customer Group.default_price_list',
    'Loyalty Program.customer_group',
    'Loyalty Program.customer_territory',
    'Loyalty Program.expense_account',
    'Pricing Rule.customer_group',
    'Pricing Rule.free_item',
    'Pricing Rule Item Code.item_code',
    'Pricing Rule Item Group.item_group',
    'Pricing Rule Brand.brand',
    'Product Bundle.new_item_code',
    'Product Bundle Item.item_code',
    'POS Profile.warehouse',
    'POS Profile.selling_price_list',
    'POS Profile.taxes_and_charges',
    'POS Profile.customer',
    'POS Payment Method.mode_of_payment',
    'Mode of Payment Account.default_account',
    'Sales Taxes and Charges.account_head',
    'Item Tax Template Detail.tax_type',
    'Warehouse.parent_warehouse',
    'Account.parent_account',
  ])('checked %s on real values', (field) => {
    expect(checked.get(field) ?? 0).toBeGreaterThan(0);
  });
});
