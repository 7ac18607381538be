import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { dbSet, insertDoc, saveDoc } from '../document.js';
import { readDoc } from './store.js';

/** Header fields map_doc carries from a POS Invoice onto the consolidated Sales Invoice. */
const HEADER = [
  'company',
  'customer',
  'customer_name',
  'pos_profile',
  'is_pos',
  'update_stock',
  'currency',
  'conversion_rate',
  'selling_price_list',
  'price_list_currency',
  'plc_conversion_rate',
  'set_warehouse',
  'territory',
  'customer_group',
  'contact_person',
  'contact_display',
  'contact_mobile',
  'contact_email',
  'loyalty_program',
  'debit_to',
  'account_for_change_amount',
  'write_off_account',
  'write_off_cost_center',
  'apply_discount_on',
  'language',
];

const ITEM = [
  'item_code',
  'item_name',
  'description',
  'item_group',
  'image',
  'qty',
  'stock_uom',
  'uom',
  'conversion_factor',
  'stock_qty',
  'warehouse',
  'income_account',
  'expense_account',
  'cost_center',
  'item_tax_template',
  'item_tax_rate',
  'base_price_list_rate',
];

const sum = (docs: Doc[], f: string): number => docs.reduce((s, d) => s + flt(d[f]), 0);

/** merge_pos_invoice_into: one Sales Invoice (or credit note) from several POS Invoices. */
function mergedBody(ctx: SiteContext, invoices: Doc[]): Doc {
  const body: Doc = {};
  const last = invoices[invoices.length - 1] ?? {};
  for (const f of HEADER) body[f] = last[f];
  body['posting_date'] = last['posting_date'];
  body['posting_time'] = last['posting_time'];
  const items: Doc[] = [];
  const taxes: Doc[] = [];
  const payments: Doc[] = [];
  for (const inv of invoices) {
    for (const row of rowsOf(inv, 'items')) {
      const out: Doc = {};
      for (const f of ITEM) out[f] = row[f];
      Object.assign(out, {
        rate: row['net_rate'],
        amount: row['net_amount'],
        base_amount: row['base_net_amount'],
        price_list_rate: 0,
        pos_invoice: inv['name'],
        pos_invoice_item: row['name'],
      });
      items.push(out);
    }
    for (const tax of rowsOf(inv, 'taxes')) {
      const found = taxes.find(
        (t) => t['account_head'] === tax['account_head'] && t['cost_center'] === tax['cost_center'],
      );
      if (found) {
        found['tax_amount'] =
          flt(found['tax_amount']) + flt(tax['tax_amount_after_discount_amount']);
        continue;
      }
      taxes.push({
        charge_type: 'Actual',
        account_head: tax['account_head'],
        description: tax['description'],
        cost_center: tax['cost_center'],
        included_in_print_rate: 0,
        tax_amount: tax['tax_amount_after_discount_amount'],
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
  const profile = readDoc(ctx, 'POS Profile', cstr(last['pos_profile']));
  Object.assign(body, {
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
    cost_center: cstr(last['cost_center']) || cstr(profile?.['cost_center']) || null,
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
    if (sales.length) invoice = cstr(saveAndSubmit(ctx, mergedBody(ctx, sales))['name']);
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
      const body = mergedBody(ctx, list);
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
