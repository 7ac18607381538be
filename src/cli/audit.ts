import { HttpErpClient } from '../erpnext/client.js';
import { runAudit } from '../sync/audit/audit.js';
import { verifyReceipt, type ReceiptReport } from '../sync/audit/receipt.js';
import type { AuditProblem, AuditReport } from '../sync/audit/types.js';
import { flags, required, UsageError } from './args.js';
import { Exit } from './errors.js';
import type { Command, Io } from './command.js';

const help = `Usage: outpost audit --erpnext URL --api-key K --api-secret S [--from DATE] [--json]
       outpost audit --erpnext URL --api-key K --api-secret S --receipt TEXT [--json]

HQ's check of what the tills pushed, from ERPNext alone (reads only). Every pushed POS Invoice,
Sales Invoice and POS Closing Entry is verified against the signed journal record it carries and
the terminal keys registered by outpost erpnext-setup: the signature, the chain links between
consecutive records, the receipt numbers (gapless per terminal), each closing's chain anchor and
the sales and returns its Z report counts, and ERPNext's amounts and rows against the signed
ones. Names every invoice edited, deleted or unsigned since the push.

  --erpnext URL     the ERPNext site
  --api-key K       an API key (or OUTPOST_API_KEY); read access is enough
  --api-secret S    its secret (or OUTPOST_API_SECRET, kept out of the process list)
  --from DATE       only documents posted on or after DATE (YYYY-MM-DD)
  --receipt TEXT    verify one receipt instead. Its compact QR or check code (T1/9/K7QM-4X2P-AB3C):
                    ERPNext's signed copy of that record verified under the registered key
                    and hashing to the code. An older receipt's signed QR: its signature,
                    and, if ERPNext holds that sale, ERPNext's amounts against it
  --json            the report as JSON (snake_case keys)

Exit code 0 when everything verifies, 1 when a problem is found (each named in the report).
`;

const line = (p: AuditProblem): string => {
  const doc = p.name ? ` ${p.doctype} ${p.name}` : '';
  const seq = p.seq === null ? '' : ` seq ${p.seq}`;
  const term = p.terminal ? ` [${p.terminal}]` : '';
  return `PROBLEM ${p.kind}${term}${doc}${seq}: ${p.message}`;
};

function auditText(r: AuditReport): string {
  const lines = [
    `ERPNext ${r.erpnext}${r.from ? ` from ${r.from}` : ''}: ${r.checked.invoices} invoices, ${r.checked.closings} closings, ${r.checked.keys} registered keys`,
    ...r.terminals.map(
      (t) =>
        `  ${t.store === null ? '' : `${t.store} `}${t.terminal}: ${t.invoices} invoices, ${t.closings} closings, seq ${t.first_seq ?? '-'}..${t.last_seq ?? '-'}, ${t.problems} problems`,
    ),
    ...r.problems.map(line),
    r.ok ? 'Every record verifies.' : `${r.problems.length} problems found.`,
  ];
  return `${lines.join('\n')}\n`;
}

function receiptText(r: ReceiptReport): string {
  const lines = [
    `Receipt ${r.invoice_no ?? '?'} of terminal ${r.terminal ?? '?'} (seq ${r.seq ?? '?'}, key ${r.key_id ?? '?'}), grand total ${r.grand_total ?? '?'}`,
    r.erpnext ? `ERPNext: ${r.erpnext.doctype} ${r.erpnext.name}` : 'ERPNext: not (yet) pushed',
    ...r.problems.map(line),
    r.ok ? 'The receipt is authentic.' : 'The receipt does NOT verify.',
  ];
  return `${lines.join('\n')}\n`;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'HQ: verify the pushed sales in ERPNext (signatures, chain, amounts) or one receipt',
  help,
  async run(argv: readonly string[], io: Io): Promise<number> {
    const { values } = flags(argv, {
      erpnext: { type: 'string' },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      from: { type: 'string' },
      receipt: { type: 'string' },
      json: { type: 'boolean' },
    });
    const url = required(values.erpnext, '--erpnext', 'the ERPNext site URL');
    try {
      new URL(url);
    } catch {
      throw new UsageError(`--erpnext: ${JSON.stringify(url)} is not a URL`);
    }
    const apiKey = required(
      values['api-key'] ?? process.env['OUTPOST_API_KEY'],
      '--api-key',
      'an API key of ERPNext',
    );
    const apiSecret = required(
      values['api-secret'] ?? process.env['OUTPOST_API_SECRET'],
      '--api-secret',
      'its API secret',
    );
    const from = values.from ?? null;
    if (from !== null && !/^\d{4}-\d{2}-\d{2}$/.test(from)) {
      throw new UsageError(`--from: ${JSON.stringify(from)} is not a date (YYYY-MM-DD)`);
    }
    if (values.receipt !== undefined && from !== null) {
      throw new UsageError('--from: not with --receipt');
    }
    const erp = new HttpErpClient({ baseUrl: url, apiKey, apiSecret });
    const json = (r: unknown) => `${JSON.stringify(r, null, 2)}\n`;
    if (values.receipt !== undefined) {
      const report = await verifyReceipt(erp, values.receipt);
      io.stdout(values.json ? json(report) : receiptText(report));
      return report.ok ? 0 : Exit.Refused;
    }
    const report = await runAudit(erp, { from });
    io.stdout(values.json ? json(report) : auditText(report));
    return report.ok ? 0 : Exit.Refused;
  },
};
