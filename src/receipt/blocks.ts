/**
 * A receipt laid out as a column-agnostic document: every renderer (text, ESC/POS, HTML, PDF)
 * draws the same blocks, so all four formats say the same thing in the same order.
 */
export type Block =
  /** One or more lines of text; `banner` is a marking (COPY, TRAINING) that must stand out. */
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly align: 'left' | 'center';
      readonly style: 'normal' | 'bold' | 'title' | 'banner';
    }
  /** A label on the left and a value on the right; `indent` nests discounts under their item. */
  | {
      readonly kind: 'row';
      readonly left: string;
      readonly right: string;
      readonly bold: boolean;
      readonly indent: boolean;
    }
  /** A small table: first column left-aligned, the others right-aligned. */
  | {
      readonly kind: 'table';
      readonly head: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: 'rule' }
  | { readonly kind: 'qr'; readonly payload: string; readonly caption: string };

export const text = (
  value: string,
  style: 'normal' | 'bold' | 'title' | 'banner' = 'normal',
  align: 'left' | 'center' = 'center',
): Block => ({ kind: 'text', text: value, align, style });

export const row = (
  left: string,
  right: string,
  opts: { bold?: boolean; indent?: boolean } = {},
): Block => ({
  kind: 'row',
  left,
  right,
  bold: opts.bold ?? false,
  indent: opts.indent ?? false,
});

export const rule: Block = { kind: 'rule' };
