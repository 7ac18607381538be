import { row, rule, text, type Block } from './blocks.js';
import type { Receipt, ReceiptLine } from './types.js';

/** The receipt as blocks, top to bottom. Labels live here, once, for every format. */
export function layout(r: Receipt): Block[] {
  const marks = markings(r);
  return [
    ...marks,
    ...header(r),
    rule,
    ...r.lines.flatMap((l) => item(l, r.taxes.length > 0)),
    rule,
    ...totals(r),
    ...payments(r),
    ...taxes(r),
    ...loyalty(r),
    rule,
    { kind: 'qr', payload: r.verification.payload, caption: r.verification.caption },
    ...marks,
  ];
}

/** COPY n and TRAINING print at both ends so a torn-off half still carries them. */
function markings(r: Receipt): Block[] {
  return [
    ...(r.training ? [text('TRAINING — NOT A RECEIPT', 'banner')] : []),
    ...(r.copy > 0 ? [text(`COPY ${r.copy}`, 'banner')] : []),
  ];
}

const titles = { sale: 'RECEIPT', return: 'RETURN', void: 'CREDIT NOTE' } as const;

function header(r: Receipt): Block[] {
  const c = r.company;
  return [
    text(c.name, 'title'),
    ...c.address.map((line) => text(line)),
    text(`Tax ID: ${c.taxId}`),
    rule,
    text(titles[r.document.kind], 'bold'),
    ...(r.document.kind === 'sale'
      ? r.document.exchangeFor
        ? [row('Exchange for return', r.document.exchangeFor)]
        : []
      : [
          row(
            r.document.kind === 'void' ? 'Voids invoice' : 'Original invoice',
            r.document.against,
          ),
        ]),
    row('Invoice', r.invoiceNo),
    row('Seq', String(r.seq)),
    row('Date', `${r.issuedAt.date} ${r.issuedAt.time} ${r.issuedAt.offset}`),
    row('Store / Terminal', `${r.storeId} / ${r.terminalId}`),
    row('Cashier', `${r.cashier.name} (${r.cashier.id})`),
    row('Customer', r.customer),
  ];
}

function item(l: ReceiptLine, coded: boolean): Block[] {
  // The tax code sits in its own column after every item amount, blank on other rows.
  const code = (c: string): string => (coded ? ` ${c || ' '}` : '');
  const qty = `${l.qty}${l.uom ? ` ${l.uom}` : ''} x ${l.rate}`;
  return [
    text(l.name, 'normal', 'left'),
    row(qty, `${l.gross}${code(l.taxCode)}`, { indent: true }),
    ...l.adjustments.map((a) =>
      row(a.label, a.amount === null ? '' : `${a.amount}${code(l.taxCode)}`, { indent: true }),
    ),
  ];
}

function totals(r: Receipt): Block[] {
  const t = r.totals;
  const cur = r.currency;
  const hasRounding = t.roundedTotal !== null && !isZero(t.roundingAdjustment);
  const due = t.roundedTotal ?? t.grandTotal;
  return [
    row('Subtotal', t.subtotal),
    ...(isZero(t.discounts) ? [] : [row('Discounts', t.discounts)]),
    ...(t.taxIncluded || r.taxes.length === 0 ? [] : [row('Tax', t.tax)]),
    ...(hasRounding ? [row('Total', t.grandTotal), row('Rounding', t.roundingAdjustment)] : []),
    row(`TOTAL ${cur}`, due, { bold: true }),
    ...(t.taxIncluded ? [row('incl. tax', t.tax)] : []),
  ];
}

function payments(r: Receipt): Block[] {
  return [
    rule,
    ...r.payments.map((p) => row(p.mode, p.amount)),
    ...(r.loyalty && r.loyalty.pointsRedeemed !== 0
      ? [row(`Loyalty (${r.loyalty.pointsRedeemed} pts)`, r.loyalty.amountRedeemed)]
      : []),
    row('Change', r.change, { bold: true }),
  ];
}

function taxes(r: Receipt): Block[] {
  if (r.taxes.length === 0) return [];
  return [
    rule,
    {
      kind: 'table',
      head: ['Rate', 'Net', 'Tax', 'Gross'],
      rows: r.taxes.map((t) => [`${t.code} ${t.rate}`, t.net, t.tax, t.gross]),
    },
  ];
}

function loyalty(r: Receipt): Block[] {
  const l = r.loyalty;
  if (!l) return [];
  return [
    rule,
    text('Loyalty points', 'bold', 'left'),
    ...(l.pointsRedeemed !== 0 ? [row('Redeemed', String(l.pointsRedeemed))] : []),
    row('Earned', String(l.pointsEarned)),
    ...(l.balanceAfter !== null ? [row('Balance', String(l.balanceAfter))] : []),
  ];
}

/** A formatted amount that is zero ("0.00", "0"): such rows are left off. */
const isZero = (amount: string): boolean => /^-?0(\.0*)?$/.test(amount);
