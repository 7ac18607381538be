import type { SiteContext } from '../context.js';
import type { Doc } from '../doc.js';
import { cint, cstr, flt, rowsOf } from '../doc.js';
import { insertDoc } from '../document.js';
import { companyAccount } from './pos-invoice-fill.js';
import { readDoc } from './store.js';

interface Line {
  account: string;
  debit: number;
  credit: number;
  against: string;
  party?: string;
  cost_center?: string;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * SalesInvoice.make_gl_entries, the parts a POS sale uses: receivable against income and taxes,
 * a loyalty redemption pair, one payment pair per payment row that has an account, and the
 * perpetual-inventory pair for stock moved (expense against the warehouse's stock account),
 * merged per account as ERPNext's merge_similar_entries does.
 */
export function postSalesGl(ctx: SiteContext, doc: Doc, stockMoved: Map<string, number>): void {
  const company = readDoc(ctx, 'Company', cstr(doc['company']));
  const customer = cstr(doc['customer']);
  const debtors = cstr(doc['debit_to']);
  const total = flt(doc['base_rounded_total']) || flt(doc['base_grand_total']);
  const income = new Map<string, number>();
  for (const r of rowsOf(doc, 'items')) {
    const acc = cstr(r['income_account']);
    income.set(acc, (income.get(acc) ?? 0) + flt(r['base_net_amount']));
  }
  const lines: Line[] = [];
  const againstIncome = [
    ...income.keys(),
    ...rowsOf(doc, 'taxes').map((t) => cstr(t['account_head'])),
  ];
  const debit = (n: number): Pick<Line, 'debit' | 'credit'> =>
    n >= 0 ? { debit: n, credit: 0 } : { debit: 0, credit: -n };
  lines.push({
    account: debtors,
    ...debit(total),
    against: [...new Set(againstIncome)].join(', '),
    party: customer,
  });
  for (const t of rowsOf(doc, 'taxes')) {
    const amt = flt(t['base_tax_amount_after_discount_amount']);
    if (amt) lines.push({ account: cstr(t['account_head']), ...debit(-amt), against: customer });
  }
  for (const [acc, amt] of income) lines.push({ account: acc, ...debit(-amt), against: customer });
  // make_loyalty_point_redemption_gle: the points' value settles part of the receivable,
  // booked to the program's expense account (before the payment pairs, as ERPNext appends).
  const redeemed = cint(doc['redeem_loyalty_points']) ? flt(doc['loyalty_amount']) : 0;
  if (redeemed) {
    const expense = cstr(doc['loyalty_redemption_account']);
    lines.push({
      account: debtors,
      ...debit(-redeemed),
      against: `Expense account - ${expense} for the Loyalty Program`,
      party: customer,
    });
    lines.push({ account: expense, ...debit(redeemed), against: customer });
  }
  for (const p of rowsOf(doc, 'payments')) {
    const acc = cstr(p['account']);
    const amt = flt(p['base_amount']);
    if (!acc || !amt) continue;
    lines.push({ account: debtors, ...debit(-amt), against: acc, party: customer });
    lines.push({ account: acc, ...debit(amt), against: customer });
  }
  const stockAccount = companyAccount(company, 'default_inventory_account', 'Stock In Hand');
  const expense = new Map<string, number>();
  for (const r of rowsOf(doc, 'items')) {
    const moved = stockMoved.get(cstr(r['name']));
    if (moved === undefined) continue;
    const acc = cstr(r['expense_account']);
    expense.set(acc, (expense.get(acc) ?? 0) - moved);
  }
  for (const [acc, amt] of expense) {
    if (!amt) continue;
    lines.push({ account: acc, ...debit(round2(amt)), against: stockAccount });
    lines.push({ account: stockAccount, ...debit(-round2(amt)), against: acc });
  }
  for (const l of lines) {
    insertDoc(
      ctx,
      'GL Entry',
      {
        posting_date: doc['posting_date'],
        account: l.account,
        debit: round2(l.debit),
        credit: round2(l.credit),
        debit_in_account_currency: round2(l.debit),
        credit_in_account_currency: round2(l.credit),
        against: l.against,
        party_type: l.party ? 'Customer' : null,
        party: l.party ?? null,
        voucher_type: 'Sales Invoice',
        voucher_no: doc['name'],
        company: doc['company'],
        cost_center: l.party ? null : companyAccount(company, 'cost_center', 'Main'),
        is_cancelled: 0,
        is_opening: 'No',
      },
      { ignorePermissions: true, ignoreLinks: true, ignoreMandatory: true },
    );
  }
}
