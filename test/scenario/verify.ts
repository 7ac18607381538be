import type { PostingMode } from '../../src/erpnext/push-invoice.js';
import { query } from '../pos/till-fixture.js';
import { getOne, listAll, type Site } from './site.js';

/** Reading back what the push left in ERPNext, and what the journal signed, for comparison. */

type Json = Record<string, unknown>;

/** The doctype a sale becomes in each posting mode, and its uuid custom field. */
export const SALE = {
  pos_invoice: { doctype: 'POS Invoice', uuid: 'outpost_uuid' },
  sales_invoice: { doctype: 'Sales Invoice', uuid: 'outpost_si_uuid' },
} as const satisfies Record<PostingMode, { doctype: string; uuid: string }>;

/** The signed invoice of a journal record, by uuid (its stored body, as the push reads it). */
export function signed(dir: string, uuid: unknown): Json {
  const row = query<{ body: string }>(dir, 'SELECT body FROM journal WHERE uuid = ?', uuid)[0];
  if (!row) throw new Error(`no journal record ${String(uuid)}`);
  return (JSON.parse(row.body) as { invoice: Json }).invoice;
}

/**
 * Every document carrying an Outpost sale uuid, grouped by uuid: on the simulator all of them
 * (a stray one would show); on a shared real site only this run's `uuids` (earlier runs and
 * other tills have pushed there too).
 */
export async function pushedByUuid(
  site: Site,
  mode: PostingMode,
  uuids: readonly string[],
): Promise<Map<string, Json[]>> {
  const { doctype, uuid } = SALE[mode];
  const rows = await listAll(
    site,
    doctype,
    [site.remote ? [uuid, 'in', uuids] : [uuid, 'is', 'set']],
    ['name', 'docstatus', uuid, 'grand_total', 'rounded_total', 'paid_amount', 'customer'],
  );
  const by = new Map<string, Json[]>();
  for (const r of rows) by.set(String(r[uuid]), [...(by.get(String(r[uuid])) ?? []), r]);
  return by;
}

/** ERPNext's full document (items, payments) of a pushed sale. */
export const fullDoc = (site: Site, mode: PostingMode, name: unknown): Promise<Json> =>
  getOne(site, SALE[mode].doctype, String(name));

/** The Bin's actual_qty of each item in `warehouse`. */
export async function bins(
  site: Site,
  items: readonly string[],
  warehouse: string,
): Promise<Map<string, number>> {
  const rows = await listAll(
    site,
    'Bin',
    [
      ['item_code', 'in', items],
      ['warehouse', '=', warehouse],
    ],
    ['item_code', 'actual_qty'],
  );
  return new Map(rows.map((r) => [String(r['item_code']), Number(r['actual_qty'])]));
}

/** Payment rows as [mode_of_payment, amount], in order, for comparing a document to its record. */
export const payments = (doc: Json): unknown[][] =>
  ((doc['payments'] as Json[] | undefined) ?? []).map((p) => [p['mode_of_payment'], p['amount']]);

/** Item rows as [item_code, qty, price_list_rate, rate, amount]: "as printed". */
export const itemRows = (doc: Json): unknown[][] =>
  ((doc['items'] as Json[] | undefined) ?? []).map((r) => [
    r['item_code'],
    r['qty'],
    r['price_list_rate'],
    r['rate'],
    r['amount'],
  ]);
