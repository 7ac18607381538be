import { NotEvaluable, PyRaise } from './values.js';

/** A token of one Python expression (`compile(..., mode="eval")`). */
export type Token =
  | { kind: 'int'; value: bigint; at: number }
  | { kind: 'float'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'eof'; at: number };

const OPS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '<<',
  '>>',
  '->',
  ':=',
  '<>',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '@',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
  ';',
  '~',
  '&',
  '|',
  '^',
  '=',
];
const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_REST = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
const syntax = (msg: string): PyRaise => new PyRaise('SyntaxError', msg);

/**
 * Python's tokenizer for one expression. A second logical line or an indented first line is the
 * SyntaxError (IndentationError) CPython raises; bytes, f-strings and complex literals are valid
 * Python this evaluator does not implement.
 */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let depth = 0;
  let lineStart = true;
  let ended = false;
  while (i < src.length) {
    const c = src.charAt(i);
    if (c === '\n' || c === '\r') {
      i++;
      if (depth === 0 && out.length > 0) ended = true;
      lineStart = depth === 0;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      let j = i;
      while (j < src.length && ' \t\f'.includes(src.charAt(j))) j++;
      const rest = src.charAt(j);
      // Only a line holding code is indented; blank and comment-only lines are not.
      if (lineStart && depth === 0 && rest !== '' && !'\r\n#'.includes(rest) && rest !== '\\') {
        throw new PyRaise('IndentationError', 'unexpected indent');
      }
      i = j;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src.charAt(i) !== '\n' && src.charAt(i) !== '\r') i++;
      continue;
    }
    if (c === '\\') {
      const next = src.charAt(i + 1);
      if (next === '\n' || next === '\r') {
        i += next === '\r' && src.charAt(i + 2) === '\n' ? 3 : 2;
        continue;
      }
      throw syntax('unexpected character after line continuation character');
    }
    if (ended) throw syntax('invalid syntax');
    lineStart = false;
    const at = i;
    const str = stringAt(src, i);
    if (str) {
      out.push({ kind: 'str', value: str.value, at });
      i = str.end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src.charAt(i + 1)))) {
      const n = numberAt(src, i);
      out.push(n.token);
      i = n.end;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_REST.test(src.charAt(j))) j++;
      out.push({ kind: 'name', value: src.slice(i, j), at });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw syntax(`invalid character '${c}'`);
    if ('([{'.includes(op)) depth++;
    if (')]}'.includes(op)) {
      if (depth === 0) throw syntax(`unmatched '${op}'`);
      depth--;
    }
    out.push({ kind: 'op', value: op, at });
    i += op.length;
  }
  if (depth > 0) throw syntax("'(' was never closed");
  out.push({ kind: 'eof', at: src.length });
  return out;
}

function numberAt(src: string, i: number): { token: Token; end: number } {
  const rest = src.slice(i);
  const radix = /^0([xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/.exec(rest);
  let end: number;
  let token: Token;
  if (radix) {
    const text = radix[0].replace(/_/g, '');
    end = i + radix[0].length;
    token = { kind: 'int', value: BigInt(text.toLowerCase()), at: i };
  } else {
    const m = /^(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?/.exec(rest);
    const text = m?.[0] ?? '';
    if (text === '' || text === '.') throw syntax('invalid syntax');
    end = i + text.length;
    const clean = text.replace(/_/g, '');
    if (/^\d+$/.test(clean)) {
      if (/^0\d/.test(clean) && !/^0+$/.test(clean)) {
        throw syntax('leading zeros in decimal integer literals are not permitted');
      }
      token = { kind: 'int', value: BigInt(clean), at: i };
    } else {
      token = { kind: 'float', value: Number(clean), at: i };
    }
  }
  const next = src.charAt(end);
  if (next === 'j' || next === 'J') throw new NotEvaluable('complex number literals');
  if (NAME_REST.test(next)) throw syntax('invalid decimal literal');
  return { token, end };
}

function stringAt(src: string, i: number): { value: string; end: number } | null {
  const m = /^([rRuUbBfF]{0,2})(['"])/.exec(src.slice(i));
  if (!m) return null;
  const prefix = (m[1] ?? '').toLowerCase();
  if (!['', 'r', 'u', 'b', 'f', 'rb', 'br', 'fr', 'rf'].includes(prefix)) return null;
  if (prefix.includes('b')) throw new NotEvaluable('bytes literals');
  if (prefix.includes('f')) throw new NotEvaluable('f-strings');
  const raw = prefix.includes('r');
  const q = m[2] ?? "'";
  let j = i + (m[1] ?? '').length;
  const triple = src.startsWith(q.repeat(3), j);
  const close = triple ? q.repeat(3) : q;
  j += close.length;
  let value = '';
  for (;;) {
    if (j >= src.length) throw syntax('unterminated string literal');
    if (src.startsWith(close, j)) return { value, end: j + close.length };
    const c = src.charAt(j);
    if (!triple && (c === '\n' || c === '\r')) throw syntax('unterminated string literal');
    if (c !== '\\') {
      value += c;
      j++;
      continue;
    }
    const e = src.charAt(j + 1);
    if (raw) {
      // A raw string keeps the backslash; it still cannot end on an escaped quote.
      value += c + e;
      j += 2;
      continue;
    }
    const esc = escape(src, j + 1);
    value += esc.value;
    j = esc.end;
  }
}

const SIMPLE: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function escape(src: string, j: number): { value: string; end: number } {
  const e = src.charAt(j);
  if (e === '\n') return { value: '', end: j + 1 };
  const simple = SIMPLE[e];
  if (simple !== undefined) return { value: simple, end: j + 1 };
  const oct = /^[0-7]{1,3}/.exec(src.slice(j));
  if (oct) return { value: String.fromCodePoint(parseInt(oct[0], 8)), end: j + oct[0].length };
  const widths: Record<string, number> = { x: 2, u: 4, U: 8 };
  const width = widths[e];
  if (width !== undefined) {
    const hex = src.slice(j + 1, j + 1 + width);
    if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) {
      throw syntax(`(unicode error) truncated \\${e} escape`);
    }
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) throw syntax('(unicode error) illegal Unicode character');
    return { value: String.fromCodePoint(cp), end: j + 1 + width };
  }
  if (e === 'N') throw new NotEvaluable('\\N{...} escapes');
  // An unknown escape keeps its backslash (CPython only warns).
  return { value: `\\${e}`, end: j + 1 };
}
