import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { dbSet, insertDoc, saveDoc } from '../document.js';
import { mapFields } from '../mapper.js';
import { throwError } from '../errors.js';
import { parseStoredDoc } from '../stored-json.js';
import { readDoc } from './store.js';

const sum = (docs: Doc[], f: string): number => docs.reduce((s, d) => s + flt(d[f]), 0);

/** update_item_wise_tax_detail: add a merged tax row's per-item amounts to the first row's. */
function mergeTaxDetail(into: Doc, from: Doc): void {
  const parse = (v: unknown): Record<string, unknown> =>
    cstr(v) ? parseStoredDoc(cstr(v), 'item_wise_tax_detail') : {};
  const pair = (v: unknown): [unknown, number] =>
    Array.isArray(v) ? [v[0] as unknown, flt(v[1])] : [v, 0];
  const merged = parse(into['item_wise_tax_detail']);
  for (const [code, data] of Object.entries(parse(from['item_wise_tax_detail']))) {
    const [rate, amount] = pair(data);
    const have = merged[code];
    merged[code] = have === undefined ? [rate, amount] : [pair(have)[0], pair(have)[1] + amount];
  }
  into['item_wise_tax_detail'] = JSON.stringify(merged);
}

/**
 * merge_pos_invoice_into (erpnext/accounts/doctype/pos_invoice_merge_log/pos_invoice_merge_log.py):
 * one Sales Invoice (or credit note) from several POS Invoices. Each invoice is mapped onto it
 * in turn by Frappe's map_doc, so every same-named field that is not no_copy, custom fields
 * included, ends with the LAST invoice's value; each item row is mapped likewise after its rate
 * is set to the net rate and its price list rate to 0.
 */
function mergedBody(ctx: SiteContext, customer: string, invoices: Doc[]): Doc {
  const posMeta = ctx.meta.require('POS Invoice');
  const siMeta = ctx.meta.require('Sales Invoice');
  const posItemMeta = ctx.meta.require('POS Invoice Item');
  const siItemMeta = ctx.meta.require('Sales Invoice Item');
  const body: Doc = {};
  const items: Doc[] = [];
  const taxes: Doc[] = [];
  const payments: Doc[] = [];
  for (const inv of invoices) {
    mapFields(posMeta, inv, siMeta, body);
    body['posting_date'] = inv['posting_date'];
    body['posting_time'] = inv['posting_time'];
    for (const row of rowsOf(inv, 'items')) {
      const source: Doc = {
        ...row,
        rate: row['net_rate'],
        amount: row['net_amount'],
        base_amount: row['base_net_amount'],
        price_list_rate: 0,
      };
      const out: Doc = {};
      mapFields(posItemMeta, source, siItemMeta, out);
      Object.assign(out, { pos_invoice: inv['name'], pos_invoice_item: row['name'] });
      items.push(out);
    }
    for (const tax of rowsOf(inv, 'taxes')) {
      const found = taxes.find(
        (t) => t['account_head'] === tax['account_head'] && t['cost_center'] === tax['cost_center'],
      );
      if (found) {
        found['tax_amount'] =
          flt(found['tax_amount']) + flt(tax['tax_amount_after_discount_amount']);
        found['base_tax_amount'] =
          flt(found['base_tax_amount']) + flt(tax['base_tax_amount_after_discount_amount']);
        mergeTaxDetail(found, tax);
        continue;
      }
      // The POS Invoice's own row, turned into an Actual charge of the amount it came to.
      taxes.push({
        charge_type: 'Actual',
        account_head: tax['account_head'],
        description: tax['description'],
        cost_center: tax['cost_center'],
        included_in_paid_amount: tax['included_in_paid_amount'],
        dont_recompute_tax: tax['dont_recompute_tax'],
        included_in_print_rate: 0,
        rate: tax['rate'],
        tax_amount: tax['tax_amount_after_discount_amount'],
        base_tax_amount: tax['base_tax_amount_after_discount_amount'],
        item_wise_tax_detail: tax['item_wise_tax_detail'],
      });
    }
    for (const p of rowsOf(inv, 'payments')) {
      const found = payments.find(
        (x) => x['account'] === p['account'] && x['mode_of_payment'] === p['mode_of_payment'],
      );
      if (found) {
        found['amount'] = flt(found['amount']) + flt(p['amount']);
        found['base_amount'] = flt(found['base_amount']) + flt(p['base_amount']);
      } else {
        payments.push({
          idx: p['idx'],
          mode_of_payment: p['mode_of_payment'],
          account: p['account'],
          type: p['type'],
          amount: p['amount'],
          base_amount: p['base_amount'],
        });
      }
    }
  }
  const first = invoices[0] ?? {};
  const profile = readDoc(ctx, 'POS Profile', cstr(body['pos_profile']));
  Object.assign(body, {
    customer,
    is_pos: 1,
    items,
    taxes,
    payments,
    paid_amount: sum(invoices, 'paid_amount'),
    base_paid_amount: sum(invoices, 'base_paid_amount'),
    additional_discount_percentage: 0,
    discount_amount: 0,
    taxes_and_charges: null,
    ignore_pricing_rule: 1,
    is_consolidated: 1,
    set_posting_time: 1,
    disable_rounded_total: cint(profile?.['disable_rounded_total']),
    cost_center: cstr(first['cost_center']) || cstr(profile?.['cost_center']) || null,
    sales_partner: null,
    commission_rate: 0,
    total_commission: 0,
    // As every recorded consolidated invoice has it (085, 237), though each POS Invoice had 0.
    write_off_outstanding_amount_automatically: 1,
  });
  return body;
}

/** save() then submit(), as the merge log does with the consolidated invoice. */
function saveAndSubmit(ctx: SiteContext, body: Doc): Doc {
  const draft = insertDoc(ctx, 'Sales Invoice', body, { ignorePermissions: true });
  const name = cstr(draft['name']);
  const done = saveDoc(ctx, 'Sales Invoice', name, { docstatus: 1 }, { ignorePermissions: true });
  // The payment rows are the POS Invoices' own row objects, so they keep their idx there.
  const given = rowsOf(body, 'payments');
  rowsOf(done, 'payments').forEach((row, i) => {
    row['idx'] = given[i]?.['idx'] ?? row['idx'];
  });
  dbSet(ctx, 'Sales Invoice', done, {});
  return done;
}

/**
 * validate_pos_invoice_status, its return part (pos_invoice_merge_log.py): a return merged
 * without its original must have an original already Consolidated.
 */
function validateReturnsConsolidated(ctx: SiteContext, refs: readonly Doc[]): void {
  const merged = new Set(refs.map((r) => cstr(r['pos_invoice'])));
  refs.forEach((r, i) => {
    const name = cstr(r['pos_invoice']);
    const doc = readDoc(ctx, 'POS Invoice', name);
    const against = cstr(doc?.['return_against']);
    if (!cint(doc?.['is_return']) || !against || merged.has(against)) return;
    if (cstr(readDoc(ctx, 'POS Invoice', against)?.['status']) === 'Consolidated') return;
    const b = (v: string) => `<strong>${v}</strong>`;
    throw throwError(
      'ValidationError',
      `Row #${i + 1}: The original Invoice ${b(against)} of return invoice ${b(name)} is not consolidated. The original invoice should be consolidated before or along with the return invoice.<br><br>You can add the original invoice ${b(against)} manually to proceed.`,
      { fromErpnext: true },
    );
  });
}

/**
 * consolidate_pos_invoices for a closing entry: one POS Invoice Merge Log per customer, each
 * submitting a consolidated Sales Invoice for the sales and credit notes for the returns (per
 * consolidated original); the POS Invoices become Consolidated and the opening entry Closed.
 * Returns the merge log of each closing row, by row name.
 */
export function consolidate(ctx: SiteContext, closing: Doc): Map<string, Doc> {
  const rows = rowsOf(closing, 'pos_transactions');
  const byCustomer = new Map<string, Doc[]>();
  for (const r of rows) {
    const list = byCustomer.get(cstr(r['customer'])) ?? [];
    list.push(r);
    byCustomer.set(cstr(r['customer']), list);
  }
  const logOfRow = new Map<string, Doc>();
  for (const [customer, refs] of byCustomer) {
    validateReturnsConsolidated(ctx, refs);
    const log = insertDoc(
      ctx,
      'POS Invoice Merge Log',
      {
        posting_date: closing['posting_date'],
        posting_time: closing['posting_time'],
        merge_invoices_based_on: 'Customer',
        customer,
        pos_closing_entry: closing['name'],
        pos_invoices: refs.map((r) => ({
          pos_invoice: r['pos_invoice'],
          posting_date: r['posting_date'],
          customer: r['customer'],
          grand_total: r['grand_total'],
          is_return: r['is_return'],
          return_against: r['return_against'],
        })),
      },
      { ignorePermissions: true, ignoreLinks: true },
    );
    const docs = refs.flatMap((r) => {
      const d = readDoc(ctx, 'POS Invoice', cstr(r['pos_invoice']));
      return d ? [d] : [];
    });
    const sales = docs.filter((d) => !cint(d['is_return']));
    const returns = docs.filter((d) => cint(d['is_return']));
    let invoice = '';
    if (sales.length) invoice = cstr(saveAndSubmit(ctx, mergedBody(ctx, customer, sales))['name']);
    // Returns go to credit notes per consolidated original (or this run's invoice).
    const groups = new Map<string, Doc[]>();
    for (const r of returns) {
      const original = readDoc(ctx, 'POS Invoice', cstr(r['return_against']));
      const key = cstr(original?.['consolidated_invoice']) || invoice;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    let creditNote = '';
    const creditOf = new Map<string, string>();
    for (const [against, list] of groups) {
      const body = mergedBody(ctx, customer, list);
      Object.assign(body, {
        is_return: 1,
        return_against: against || null,
        posting_date: closing['posting_date'],
        posting_time: closing['posting_time'],
      });
      creditNote = cstr(saveAndSubmit(ctx, body)['name']);
      for (const r of list) creditOf.set(cstr(r['name']), creditNote);
    }
    const saved = saveDoc(
      ctx,
      'POS Invoice Merge Log',
      cstr(log['name']),
      {
        consolidated_invoice: invoice || null,
        consolidated_credit_note: creditNote || null,
        docstatus: 1,
      },
      { ignorePermissions: true, ignoreLinks: true },
    );
    for (const d of docs) {
      const si = cint(d['is_return']) ? (creditOf.get(cstr(d['name'])) ?? '') : invoice;
      dbSet(ctx, 'POS Invoice', d, {
        consolidated_invoice: si,
        status: 'Consolidated',
        modified: ctx.time.stamp(),
      });
    }
    for (const r of refs) logOfRow.set(cstr(r['name']), saved);
  }
  return logOfRow;
}
