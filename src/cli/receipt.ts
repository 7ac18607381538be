import { writeFileSync } from 'node:fs';
import { printReceipt } from '../pos/index.js';
import {
  renderEscPos,
  renderHtml,
  renderPdf,
  renderText,
  sendToPrinter,
} from '../receipt/index.js';
import { UsageError, flags, required } from './args.js';
import type { Command } from './command.js';
import { openTill, refused } from './till.js';
import { CASHIER_FLAGS, MANAGER_FLAGS, login, managerOf } from './till-flags.js';

const receiptHelp = `Usage: outpost receipt --data DIR NUMBER --format escpos|html|pdf|text [--out FILE]
                       [--width 80|58] [--cashier ID --pin PIN] [--manager ID --manager-pin PIN]

Produces the receipt of a sale or return from its signed journal record. The first time it is
the original; later ones are marked COPY n. Every one is journaled. Without --out, text and
html go to stdout; escpos and pdf need --out (a file, a device, or tcp://HOST:9100 for escpos).
`;

const FORMATS = ['escpos', 'html', 'pdf', 'text'] as const;

export const receiptCommand: Command = {
  name: 'receipt',
  summary: 'print a receipt (text, HTML, PDF, ESC/POS) from the journal',
  help: receiptHelp,
  async run(argv, io) {
    const { values, positionals } = flags(
      argv,
      {
        ...CASHIER_FLAGS,
        ...MANAGER_FLAGS,
        format: { type: 'string' },
        out: { type: 'string' },
        width: { type: 'string' },
      },
      true,
    );
    const dir = required(values.data, '--data', 'the store directory');
    if (positionals.length !== 1) throw new UsageError('give exactly one receipt NUMBER');
    const number = positionals[0] ?? '';
    const format = required(values.format, '--format', FORMATS.join('|'));
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format: expected ${FORMATS.join(', ')}; got ${format}`);
    }
    const width = values.width === undefined ? 80 : Number(values.width);
    if (width !== 80 && width !== 58) throw new UsageError('--width: expected 80 or 58');
    if ((format === 'escpos' || format === 'pdf') && !values.out) {
      throw new UsageError(`--out: required for --format ${format} (binary output)`);
    }
    const till = openTill(dir, values.terminal);
    try {
      const term = till.term;
      const cashier = values.cashier !== undefined ? login(term, values) : undefined;
      const manager = managerOf(term, values);
      const by = { ...(cashier ? { cashier } : {}), ...(manager ? { manager } : {}) };
      // A failed print is journaled as failed, so it does not count as an issued copy.
      await printReceipt(term, number, by, async (receipt) => {
        const out = values.out;
        if (format === 'text' || format === 'html') {
          const text =
            format === 'text' ? renderText(receipt, width === 80 ? 48 : 32) : renderHtml(receipt);
          if (out) writeFileSync(out, text);
          else io.stdout(text.endsWith('\n') ? text : `${text}\n`);
        } else if (format === 'pdf') {
          writeFileSync(out ?? '', await renderPdf(receipt));
        } else {
          // A file, a device, or tcp://HOST:9100 (a network printer).
          await sendToPrinter(renderEscPos(receipt, { width }), out ?? '');
        }
      });
      return 0;
    } catch (e) {
      return refused(io, e);
    } finally {
      till.close();
    }
  },
};
