import type { Block } from './blocks.js';

/** One printed line of a fixed-width receipt, or the QR that a printer draws natively. */
export type PrintLine =
  | {
      readonly kind: 'line';
      readonly text: string;
      readonly style: 'normal' | 'bold' | 'title' | 'banner';
    }
  | { readonly kind: 'qr'; readonly payload: string };

/** Lays blocks out in `width` monospace columns: shared by the text and ESC/POS renderers. */
export function toLines(blocks: readonly Block[], width: number): PrintLine[] {
  return blocks.flatMap((b): PrintLine[] => {
    switch (b.kind) {
      case 'text':
        return wrap(b.text, width).map((t) =>
          line(b.align === 'center' ? center(t, width) : t, b.style),
        );
      case 'row':
        return rowLines(b.left, b.right, width, b.indent).map((t) =>
          line(t, b.bold ? 'bold' : 'normal'),
        );
      case 'table':
        return table(b.head, b.rows, width).map((t) => line(t));
      case 'rule':
        return [line('-'.repeat(width))];
      case 'qr':
        return [
          { kind: 'qr', payload: b.payload },
          ...(b.caption ? wrap(b.caption, width).map((t) => line(center(t, width))) : []),
        ];
    }
  });
}

const line = (
  text: string,
  style: 'normal' | 'bold' | 'title' | 'banner' = 'normal',
): PrintLine => ({
  kind: 'line',
  text: text.trimEnd(),
  style,
});

/** Column count, by code point: a printer's Font A gives every character one cell. */
const columns = (s: string): number => [...s].length;

const center = (s: string, width: number): string =>
  ' '.repeat(Math.max(0, Math.floor((width - columns(s)) / 2))) + s;

/** Word wrap; a word longer than the line is cut, since a printer would cut it anyway. */
function wrap(s: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of s.split(/\s+/).filter(Boolean)) {
    let rest = [...word];
    while (rest.length > width) {
      if (current) out.push(current);
      out.push(rest.slice(0, width).join(''));
      rest = rest.slice(width);
      current = '';
    }
    const w = rest.join('');
    if (!w) continue;
    if (!current) current = w;
    else if (columns(current) + 1 + columns(w) <= width) current += ` ${w}`;
    else {
      out.push(current);
      current = w;
    }
  }
  if (current || out.length === 0) out.push(current);
  return out;
}

/** Label left, value right; a label too long for the line wraps and the value gets its own. */
function rowLines(left: string, right: string, width: number, indent: boolean): string[] {
  const pad = indent ? '  ' : '';
  if (columns(pad + left) + 1 + columns(right) <= width) {
    return [pad + left + ' '.repeat(width - columns(pad + left) - columns(right)) + right];
  }
  const lefts = wrap(left, width - columns(pad)).map((t) => pad + t);
  const last = lefts[lefts.length - 1] ?? '';
  if (columns(last) + 1 + columns(right) <= width) {
    lefts[lefts.length - 1] = last + ' '.repeat(width - columns(last) - columns(right)) + right;
    return lefts;
  }
  return [...lefts, ...(right ? wrap(right, width).map((t) => t.padStart(width)) : [])];
}

/** First column left, the rest right-aligned in equal widths; stacked if it cannot fit. */
function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  width: number,
): string[] {
  const all = [head, ...rows];
  const first = Math.max(...all.map((r) => columns(r[0] ?? '')));
  const others = head.length - 1;
  const cell = Math.floor((width - first) / Math.max(1, others));
  const fits = all.every((r) => r.slice(1).every((c) => columns(c) < cell));
  if (!fits) {
    return rows.flatMap((r) => [
      r[0] ?? '',
      ...r.slice(1).flatMap((c, i) => rowLines(head[i + 1] ?? '', c, width, true)),
    ]);
  }
  return all.map(
    (r) =>
      (r[0] ?? '').padEnd(first) +
      r
        .slice(1)
        .map((c) => c.padStart(cell))
        .join(''),
  );
}
