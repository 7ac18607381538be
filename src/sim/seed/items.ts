import { makeDoc, type SeedDoc } from './record.js';
import { nestedSet } from './tree.js';
import { BRANDS, ITEM_GROUPS } from './catalog.js';
import { BUNDLES, HERO, HEROES } from './heroes.js';
import { itemSpec } from './spec.js';

/** Item groups, brands and bundles: the small catalog documents around the items. */

export const itemGroups = (now: string): SeedDoc[] =>
  nestedSet(ITEM_GROUPS.map(([name, parent]) => ({ name, parent }))).map(
    ({ node, lft, rgt, isGroup }) => {
      const tax = ITEM_GROUPS.find(([name]) => name === node.name)?.[2] ?? '';
      return makeDoc(
        'Item Group',
        node.name,
        now,
        {
          item_group_name: node.name,
          parent_item_group: node.parent,
          is_group: isGroup ? 1 : 0,
          lft,
          rgt,
          old_parent: node.parent,
        },
        {
          item_group_defaults: ['Item Default', []],
          taxes: ['Item Tax', tax ? [{ item_tax_template: tax, tax_category: '' }] : []],
        },
      );
    },
  );

export const brands = (now: string): SeedDoc[] =>
  BRANDS.map((brand) =>
    makeDoc(
      'Brand',
      brand,
      now,
      { brand, description: '' },
      { brand_defaults: ['Item Default', []] },
    ),
  );

export const productBundles = (seed: number, now: string): SeedDoc[] =>
  BUNDLES.map(([bundle, parts]) =>
    makeDoc(
      'Product Bundle',
      HERO[bundle],
      now,
      { new_item_code: HERO[bundle], description: heroName(bundle), disabled: 0 },
      {
        items: [
          'Product Bundle Item',
          parts.map(([part, qty]) => {
            const s = itemSpec(seed, Object.keys(HERO).indexOf(part));
            return { item_code: s.code, qty, description: s.name, rate: 0, uom: s.uom };
          }),
        ],
      },
    ),
  );

const heroName = (key: keyof typeof HERO): string =>
  HEROES[Object.keys(HERO).indexOf(key)]?.name ?? key;
