import type { ErpClient, ErpDoc } from '../../erpnext/client.js';
import { SALE_FIELDS } from '../../erpnext/custom-fields.js';
import type { InvoiceDoctype } from '../../erpnext/push-invoice.js';
import { text } from '../../erpnext/text.js';
import { sha256Hex } from '../../journal/digest.js';
import { hashCode, parseReceiptCode, type ReceiptCode } from '../../journal/index.js';
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

const EMPTY = {
  invoice_no: null,
  terminal: null,
  seq: null,
  key_id: null,
  time: null,
  grand_total: null,
  erpnext: null,
};

/**
 * A scanned receipt QR checked as an inspector would. A compact one (or its check code typed,
 * src/receipt/verification.ts) names a record: ERPNext's copy of it (signed header and
 * signature, as pushed) must verify under the registered key and hash to the receipt's code. An
 * older receipt's QR carries the signed header itself: its signature is checked, and, when
 * ERPNext holds that sale, ERPNext's record of it (hash, amounts) must equal the receipt.
 */
export async function verifyReceipt(
  erp: Pick<ErpClient, 'list' | 'get'>,
  scan: string,
): Promise<ReceiptReport> {
  const code = parseReceiptCode(scan);
  return code ? verifyCode(erp, code) : verifySigned(erp, scan);
}

async function verifyCode(
  erp: Pick<ErpClient, 'list' | 'get'>,
  code: ReceiptCode,
): Promise<ReceiptReport> {
  const where: Where = { doctype: null, name: null, terminal: code.terminal, seq: code.seq };
  for (const doctype of DOCTYPES) {
    const f = SALE_FIELDS[doctype];
    const rows = await listAll(
      erp,
      doctype,
      [
        [f.terminal, '=', code.terminal],
        [f.seq, '=', code.seq],
      ],
      ['name'],
    );
    const first = rows[0];
    if (!first) continue;
    const doc = await erp.get(doctype, text(first['name']));
    const headerText = text(doc[f.signedHeader]);
    const report = await verifySigned(erp, `${headerText}.${text(doc[f.signature])}`);
    const at = { ...where, doctype, name: text(doc['name']) };
    const problems = [...report.problems];
    if (report.terminal !== code.terminal || report.seq !== code.seq) {
      problems.push(
        problem('edited', at, `ERPNext's signed record is ${report.terminal}/${report.seq}`),
      );
    }
    const theirs = hashCode(sha256Hex(headerText));
    if (theirs !== code.code) {
      problems.push(
        problem(
          'edited',
          at,
          `ERPNext's record hashes to code ${theirs}, the receipt's is ${code.code}`,
        ),
      );
    }
    return { ...report, ok: problems.length === 0, problems };
  }
  // The code alone proves nothing: HQ checks it against the record once the sale was pushed.
  return {
    ok: false,
    ...EMPTY,
    terminal: code.terminal,
    seq: code.seq,
    problems: [
      problem(
        'missing_seq',
        where,
        `ERPNext holds no sale ${code.terminal}/${code.seq} (not pushed yet, or deleted): check the receipt against the store's journal (outpost verify --receipt)`,
      ),
    ],
  };
}

async function verifySigned(
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
