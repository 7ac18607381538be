import type { ErpDoc } from '../../erpnext/client.js';
import { SALE_FIELDS } from '../../erpnext/custom-fields.js';
import type { InvoiceDoctype } from '../../erpnext/push-invoice.js';
import { text } from '../../erpnext/text.js';
import type { Header } from '../../journal/record.js';
import { amountDifferences } from './amounts.js';
import type { RegisteredKey } from './keys.js';
import { checkSigned } from './signed.js';
import { problem, type AuditProblem, type Where } from './types.js';

/** A verified record held in ERPNext: one link of its terminal's chain. */
export interface ChainEntry {
  readonly doctype: string;
  readonly name: string;
  readonly header: Header;
  readonly hash: string;
}

export interface InvoiceCheck {
  /** Null when the record could not be verified (its problem says why). */
  readonly entry: ChainEntry | null;
  /** The terminal the document claims, to count it under. */
  readonly terminal: string;
  readonly problems: AuditProblem[];
}

/** Invoice types a pushed document may be signed as (a void cancels, it is not pushed). */
const INVOICE_TYPES = new Set(['sale', 'return']);

/**
 * One pushed invoice: its signed record verified, its custom fields equal to the header's, and
 * ERPNext's amounts and rows equal to the signed body's.
 */
export function checkInvoice(
  doctype: InvoiceDoctype,
  doc: ErpDoc,
  keys: ReadonlyMap<string, RegisteredKey>,
): InvoiceCheck {
  const f = SALE_FIELDS[doctype];
  const name = text(doc['name']);
  const claimed = Number(doc[f.seq]);
  const at: Where = {
    doctype,
    name,
    terminal: text(doc[f.terminal]) || null,
    seq: Number.isInteger(claimed) && claimed > 0 ? claimed : null,
  };
  const terminal = at.terminal ?? '';
  const headerText = text(doc[f.signedHeader]);
  if (!headerText || !text(doc[f.signature]) || !text(doc[f.recordHash])) {
    const message = `${doctype} ${name} carries an Outpost uuid but no signed record`;
    return { entry: null, terminal, problems: [problem('not_signed', at, message)] };
  }
  const checked = checkSigned(
    {
      headerText,
      bodyText: text(doc[f.signedBody]) || null,
      hash: text(doc[f.recordHash]),
      signature: text(doc[f.signature]),
      keyId: text(doc[f.keyId]),
    },
    keys,
  );
  if (!checked.ok) {
    const seq = checked.header?.seq ?? at.seq;
    return {
      entry: null,
      terminal,
      problems: [problem(checked.kind, { ...at, seq }, checked.message)],
    };
  }
  const { header, body } = checked;
  const here = { ...at, terminal: header.terminal, seq: header.seq };
  const problems: AuditProblem[] = [];
  const edited = (message: string) => problems.push(problem('edited', here, message));
  if (body === null) edited('the signed record body is missing');
  if (!INVOICE_TYPES.has(header.type)) {
    edited(`the signed record is a ${header.type}, not a sale or return`);
  }
  const fields: [string, string, string][] = [
    ['terminal', text(doc[f.terminal]), header.terminal],
    ['seq', text(doc[f.seq]), String(header.seq)],
    ['uuid', text(doc[f.uuid]), header.uuid],
    ['receipt no', text(doc[f.receiptNo]), header.invoice_no ?? ''],
  ];
  for (const [label, found, signed] of fields) {
    if (found !== signed) edited(`the ${label} field says ${found}, the signed record ${signed}`);
  }
  for (const d of amountDifferences(header, body, doc)) edited(d);
  return {
    entry: { doctype, name, header, hash: checked.hash },
    terminal: header.terminal,
    problems,
  };
}
