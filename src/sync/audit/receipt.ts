import type { ErpClient, ErpDoc } from '../../erpnext/client.js';
import { SALE_FIELDS } from '../../erpnext/custom-fields.js';
import type { InvoiceDoctype } from '../../erpnext/push-invoice.js';
import { text } from '../../erpnext/text.js';
import { sha256Hex } from '../../journal/digest.js';
import { amountDifferences } from './amounts.js';
import { registeredKeys } from './keys.js';
import { listAll } from './read.js';
import { checkSigned } from './signed.js';
import { z } from 'zod';
import { problem, type AuditProblem, type Where } from './types.js';

export interface ReceiptReport {
  readonly ok: boolean;
  readonly invoice_no: string | null;
  readonly terminal: string | null;
  readonly seq: number | null;
  readonly key_id: string | null;
  readonly time: string | null;
  readonly grand_total: string | null;
  /** The sale in ERPNext, when ERPNext holds it (not yet pushed is no problem). */
  readonly erpnext: { readonly doctype: string; readonly name: string } | null;
  readonly problems: readonly AuditProblem[];
}

const KeyIdOnly = z.looseObject({ key_id: z.string() });

const DOCTYPES: readonly InvoiceDoctype[] = ['POS Invoice', 'Sales Invoice'];

/** `headerText.signature`, split where the header's JSON ends (src/pos/receipts.ts). */
function split(scan: string): { headerText: string; signature: string } | null {
  const cut = scan.lastIndexOf('}.');
  if (!scan.startsWith('{') || cut < 0) return null;
  return { headerText: scan.slice(0, cut + 1), signature: scan.slice(cut + 2) };
}

async function heldSale(
  erp: Pick<ErpClient, 'list' | 'get'>,
  uuid: string,
): Promise<{ doctype: InvoiceDoctype; doc: ErpDoc } | null> {
  for (const doctype of DOCTYPES) {
    const rows = await listAll(erp, doctype, [[SALE_FIELDS[doctype].uuid, '=', uuid]], ['name']);
    const first = rows[0];
    if (first) return { doctype, doc: await erp.get(doctype, text(first['name'])) };
  }
  return null;
}

/**
 * A scanned receipt QR checked as an inspector would: its signature under the key ERPNext has
 * registered for its terminal, and, when ERPNext holds that sale, ERPNext's record of it (hash,
 * amounts) equal to the receipt.
 */
export async function verifyReceipt(
  erp: Pick<ErpClient, 'list' | 'get'>,
  scan: string,
): Promise<ReceiptReport> {
  const empty = {
    invoice_no: null,
    terminal: null,
    seq: null,
    key_id: null,
    time: null,
    grand_total: null,
    erpnext: null,
  };
  const none: Where = { doctype: null, name: null, terminal: null, seq: null };
  const parts = split(scan.trim());
  if (!parts) {
    const p = problem('bad_signature', none, 'the QR is not an Outpost receipt (header.signature)');
    return { ok: false, ...empty, problems: [p] };
  }
  const keys = await registeredKeys(erp);
  // Only to say which key the QR claims; checkSigned reads the header properly.
  const claimed = (() => {
    try {
      return KeyIdOnly.safeParse(JSON.parse(parts.headerText)).data?.key_id ?? '';
    } catch {
      return '';
    }
  })();
  const checked = checkSigned(
    {
      headerText: parts.headerText,
      bodyText: null,
      hash: sha256Hex(parts.headerText),
      signature: parts.signature,
      keyId: claimed,
    },
    keys,
  );
  if (!checked.ok) {
    const h = checked.header;
    const where = { ...none, terminal: h?.terminal ?? null, seq: h?.seq ?? null };
    return {
      ok: false,
      ...empty,
      invoice_no: h?.invoice_no ?? null,
      terminal: h?.terminal ?? null,
      seq: h?.seq ?? null,
      key_id: h?.key_id ?? null,
      problems: [problem(checked.kind, where, checked.message)],
    };
  }
  const { header, hash } = checked;
  const facts = {
    invoice_no: header.invoice_no,
    terminal: header.terminal,
    seq: header.seq,
    key_id: header.key_id,
    time: header.time,
    grand_total: header.totals?.grand_total ?? null,
  };
  const held = await heldSale(erp, header.uuid);
  if (!held) return { ok: true, ...facts, erpnext: null, problems: [] };
  const f = SALE_FIELDS[held.doctype];
  const name = text(held.doc['name']);
  const where = { doctype: held.doctype, name, terminal: header.terminal, seq: header.seq };
  const problems: AuditProblem[] = [];
  const stored = text(held.doc[f.recordHash]);
  if (stored !== hash) {
    problems.push(
      problem('edited', where, `ERPNext holds record hash ${stored}, the receipt's is ${hash}`),
    );
  }
  // The receipt carries the header only; the body ERPNext holds counts once it verifies.
  const full = checkSigned(
    {
      headerText: parts.headerText,
      bodyText: text(held.doc[f.signedBody]) || null,
      hash,
      signature: parts.signature,
      keyId: header.key_id,
    },
    keys,
  );
  if (!full.ok) problems.push(problem('edited', where, `ERPNext's copy: ${full.message}`));
  const parsed = full.ok ? full.body : null;
  for (const d of amountDifferences(header, parsed, held.doc)) {
    problems.push(problem('edited', where, d));
  }
  return {
    ok: problems.length === 0,
    ...facts,
    erpnext: { doctype: held.doctype, name },
    problems,
  };
}
