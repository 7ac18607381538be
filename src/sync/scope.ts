import type { z } from 'zod';
import type { Db } from '../store/db.js';
import { parseJsonWith } from '../core/index.js';
import {
  CustomerGroupSchema,
  CustomerSchema,
  ItemGroupSchema,
  PosProfileSchema,
  type PulledDoc,
} from '../store/erp-docs.js';
import { readAnswer } from '../erpnext/answers.js';
import type { Scope } from './plan.js';

/** Documents fetched by the running pull, by doctype and name, not yet all in the store. */
export type Fetched = ReadonlyMap<string, ReadonlyMap<string, PulledDoc>>;

/** The pull scope from the POS Profile and the trees, fetched this run or already stored. */
export function pullScope(db: Db, fetched: Fetched, posProfile: string): Scope {
  const docs = <S extends z.ZodType>(doctype: string, schema: S): z.output<S>[] => {
    const live = new Map<string, z.output<S>>();
    const stored = db.prepare('SELECT name, data FROM doc WHERE doctype = ?').all(doctype) as {
      name: string;
      data: string;
    }[];
    for (const d of stored) {
      live.set(d.name, parseJsonWith(schema, d.data, `store: ${doctype} ${d.name}`));
    }
    for (const [k, v] of fetched.get(doctype) ?? []) {
      live.set(k, readAnswer(schema, v, `${doctype} ${k}`));
    }
    return [...live.values()];
  };
  const profile = docs('POS Profile', PosProfileSchema).find((p) => p.name === posProfile);
  const descendants = (
    tree: { name: string; parent: string | null | undefined }[],
    roots: string[],
  ): string[] => {
    if (roots.length === 0) return [];
    const out = [...roots];
    for (let i = 0; i < out.length; i++) {
      for (const g of tree) if (g.parent === out[i] && !out.includes(g.name)) out.push(g.name);
    }
    return out.sort();
  };
  const priceLists = new Set<string>();
  if (profile?.selling_price_list) priceLists.add(profile.selling_price_list);
  const customerGroups = docs('Customer Group', CustomerGroupSchema);
  for (const g of customerGroups) if (g.default_price_list) priceLists.add(g.default_price_list);
  const customerLists = db
    .prepare(
      "SELECT DISTINCT json_extract(data, '$.default_price_list') FROM doc WHERE doctype = 'Customer'",
    )
    .pluck()
    .all() as (string | null)[];
  for (const pl of customerLists) if (pl) priceLists.add(pl);
  for (const [k, c] of fetched.get('Customer') ?? []) {
    const customer = readAnswer(CustomerSchema, c, `Customer ${k}`);
    if (customer.default_price_list) priceLists.add(customer.default_price_list);
  }
  return {
    company: profile?.company ?? '',
    warehouse: profile?.warehouse ?? '',
    posProfile: posProfile,
    priceLists: [...priceLists].sort(),
    itemGroups: descendants(
      docs('Item Group', ItemGroupSchema).map((g) => ({
        name: g.name,
        parent: g.parent_item_group,
      })),
      (profile?.item_groups ?? []).flatMap((r) => (r.item_group ? [r.item_group] : [])),
    ),
    customerGroups: descendants(
      customerGroups.map((g) => ({ name: g.name, parent: g.parent_customer_group })),
      (profile?.customer_groups ?? []).flatMap((r) => (r.customer_group ? [r.customer_group] : [])),
    ),
  };
}
