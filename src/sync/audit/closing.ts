import { z } from 'zod';
import { Dec } from '../../core/index.js';
import type { ErpDoc } from '../../erpnext/client.js';
import { CLOSING_ANCHOR_FIELDS } from '../../erpnext/custom-fields.js';
import { SHIFT_ANCHOR_DOCTYPE, SHIFT_ANCHOR_FIELDS } from '../../erpnext/push-shift.js';
import { text } from '../../erpnext/text.js';
import { sha256Hex } from '../../journal/digest.js';
import type { RegisteredKey } from './keys.js';
import type { ChainEntry } from './invoice.js';
import { checkSigned } from './signed.js';
import { problem, type AuditProblem, type Where } from './types.js';

export const CLOSING = 'POS Closing Entry';

/** Where a shift's anchor lands: its fields, and the date `audit --from` picks shifts by. */
export interface AnchorSource {
  readonly doctype: string;
  readonly fields: Readonly<Record<keyof typeof CLOSING_ANCHOR_FIELDS, string>>;
  readonly periodStart: string;
}

/** The POS Closing Entry (pos_invoice mode), then the Outpost Shift Anchor (sales_invoice). */
export const ANCHOR_SOURCES: readonly AnchorSource[] = [
  { doctype: CLOSING, fields: CLOSING_ANCHOR_FIELDS, periodStart: 'period_start_date' },
  {
    doctype: SHIFT_ANCHOR_DOCTYPE,
    fields: SHIFT_ANCHOR_FIELDS,
    periodStart: SHIFT_ANCHOR_FIELDS.periodStart,
  },
];

/** The doctypes whose records are Z reports, not sales or returns. */
export const ANCHOR_DOCTYPES: ReadonlySet<string> = new Set(ANCHOR_SOURCES.map((s) => s.doctype));

/** A closing's chain anchor as its signed Z report states it. */
export interface Anchor {
  readonly doctype: string;
  readonly name: string;
  readonly terminal: string;
  readonly firstSeq: number;
  /** The Z report's own seq: the shift's records lie in firstSeq..lastSeq. */
  readonly lastSeq: number;
  readonly sales: number;
  readonly returns: number;
}

export interface ClosingCheck {
  readonly anchor: Anchor | null;
  /** The Z report's record, a link of the chain like any other. */
  readonly entry: ChainEntry | null;
  readonly terminal: string;
  readonly problems: AuditProblem[];
}

const count = z.looseObject({ count: z.int().min(0) });
/** The Z report figures the audit relies on (src/pos/shift.ts closeShift). */
const ZReport = z.looseObject({
  first_seq: z.int().min(1),
  sales: count,
  returns: count,
  perpetual_grand_total: z.string(),
});

const sameDecimal = (a: string, b: string): boolean => {
  try {
    return new Dec(a).eq(new Dec(b));
  } catch {
    return false;
  }
};

/**
 * One POS Closing Entry or Outpost Shift Anchor: its Z report verified as a signed record, and
 * the anchor fields ERPNext shows (terminal, first and last seq, head hash, perpetual total)
 * equal to it.
 */
export function checkClosing(
  doc: ErpDoc,
  keys: ReadonlyMap<string, RegisteredKey>,
  source: AnchorSource = ANCHOR_SOURCES[0] as AnchorSource,
): ClosingCheck {
  const A = source.fields;
  const doctype = source.doctype;
  const name = text(doc['name']);
  const claimed = Number(doc[A.lastSeq]);
  const at: Where = {
    doctype,
    name,
    terminal: text(doc[A.terminal]) || null,
    seq: Number.isInteger(claimed) && claimed > 0 ? claimed : null,
  };
  const terminal = at.terminal ?? '';
  const headerText = text(doc[A.signedHeader]);
  if (!headerText || !text(doc[A.signature])) {
    const message = `the closing carries a chain anchor but no signed Z report`;
    return { anchor: null, entry: null, terminal, problems: [problem('not_signed', at, message)] };
  }
  const checked = checkSigned(
    {
      headerText,
      bodyText: text(doc[A.signedBody]) || null,
      // The head hash is checked below as part of the anchor.
      hash: sha256Hex(headerText),
      signature: text(doc[A.signature]),
      keyId: text(doc[A.keyId]),
    },
    keys,
  );
  if (!checked.ok) {
    const seq = checked.header?.seq ?? at.seq;
    return {
      anchor: null,
      entry: null,
      terminal,
      problems: [problem(checked.kind, { ...at, seq }, checked.message)],
    };
  }
  const { header, body, hash } = checked;
  const here = { ...at, terminal: header.terminal, seq: header.seq };
  const z = ZReport.safeParse(body);
  if (header.type !== 'shift_close' || !z.success) {
    const message = `the signed record is a ${header.type} without a Z report's figures`;
    return {
      anchor: null,
      entry: { doctype, name, header, hash },
      terminal: header.terminal,
      problems: [problem('anchor_mismatch', here, message)],
    };
  }
  const problems: AuditProblem[] = [];
  const fields: [string, string, string, boolean?][] = [
    ['terminal', text(doc[A.terminal]), header.terminal],
    ['first seq', text(doc[A.firstSeq]), String(z.data.first_seq)],
    ['last seq', text(doc[A.lastSeq]), String(header.seq)],
    ['head hash', text(doc[A.headHash]), hash],
    [
      'perpetual total',
      text(doc[A.perpetualTotal]),
      z.data.perpetual_grand_total,
      sameDecimal(text(doc[A.perpetualTotal]), z.data.perpetual_grand_total),
    ],
  ];
  for (const [label, found, signed, equal] of fields) {
    if (equal ?? found === signed) continue;
    problems.push(
      problem(
        'anchor_mismatch',
        here,
        `the ${label} field says ${found}, the signed Z report ${signed}`,
      ),
    );
  }
  return {
    anchor: {
      doctype,
      name,
      terminal: header.terminal,
      firstSeq: z.data.first_seq,
      lastSeq: header.seq,
      sales: z.data.sales.count,
      returns: z.data.returns.count,
    },
    entry: { doctype, name, header, hash },
    terminal: header.terminal,
    problems,
  };
}
