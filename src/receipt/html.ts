import type { Block } from './blocks.js';
import { layout } from './layout.js';
import type { Receipt } from './types.js';
import { qrMatrix, qrSvg } from './qr.js';

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
@page { size: 80mm auto; margin: 0 }
* { box-sizing: border-box }
html, body { margin: 0; background: #fff; color: #000 }
body { width: 80mm; padding: 4mm 4mm 6mm; font: 12px/1.35 "DejaVu Sans Mono", Menlo, Consolas, monospace }
.c { text-align: center }
.b { font-weight: bold }
.title { font-size: 16px; font-weight: bold; margin-bottom: 2px }
.banner { font-weight: bold; font-size: 14px; border: 2px solid #000; padding: 2px; margin: 3px 0 }
.row { display: flex; justify-content: space-between; gap: 8px }
.row > span:last-child { text-align: right; white-space: nowrap }
.i { padding-left: 2ch }
hr { border: 0; border-top: 1px dashed #000; margin: 5px 0 }
table { width: 100%; border-collapse: collapse }
th, td { text-align: right; padding: 0; font-weight: normal }
th { border-bottom: 1px solid #000 }
th:first-child, td:first-child { text-align: left }
.qr { display: flex; flex-direction: column; align-items: center; margin-top: 6px }
@media screen {
  html { background: #e9e9e6 }
  body { margin: 16px auto; box-shadow: 0 1px 8px rgba(0, 0, 0, .3) }
}
`;

/**
 * A self-contained HTML page (inline CSS, inline SVG QR, no external requests) for the
 * browser's print dialog: 80 mm wide, no page margins. All receipt text is escaped.
 */
export function renderHtml(receipt: Receipt): string {
  const body = layout(receipt).map(block).join('\n');
  const title = `${receipt.company.name} ${receipt.invoiceNo}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function block(b: Block): string {
  const e = escapeHtml;
  switch (b.kind) {
    case 'text': {
      const cls = [
        b.align === 'center' ? 'c' : '',
        b.style === 'normal' ? '' : b.style === 'bold' ? 'b' : b.style,
      ];
      return `<div class="${cls.filter(Boolean).join(' ')}">${e(b.text)}</div>`;
    }
    case 'row': {
      const cls = ['row', b.bold ? 'b' : '', b.indent ? 'i' : ''].filter(Boolean).join(' ');
      return `<div class="${cls}"><span>${e(b.left)}</span><span>${e(b.right)}</span></div>`;
    }
    case 'table': {
      const head = b.head.map((h) => `<th>${e(h)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`);
      return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
    }
    case 'rule':
      return '<hr>';
    case 'qr':
      return (
        `<div class="qr" data-payload="${e(b.payload)}">${qrSvg(qrMatrix(b.payload), '38mm')}` +
        (b.caption ? `<div class="c">${e(b.caption)}</div>` : '') +
        '</div>'
      );
  }
}
