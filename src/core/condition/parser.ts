import { tokenize, type Token } from './lexer.js';
import { NotEvaluable, PyRaise, type Py } from './values.js';

/** The expression tree: the part of Python's `ast` (mode "eval") this evaluator implements. */
export type Node =
  | { t: 'const'; v: Py }
  | { t: 'name'; id: string }
  | { t: 'unary'; op: '-' | '+' | '~' | 'not'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'bool'; op: 'and' | 'or'; l: Node; r: Node }
  | { t: 'cmp'; first: Node; ops: string[]; rest: Node[] }
  | { t: 'ifexp'; test: Node; body: Node; orelse: Node }
  | { t: 'list' | 'tuple'; items: Node[] }
  | { t: 'attr'; e: Node; name: string }
  | { t: 'sub'; e: Node; index: Node }
  | { t: 'slice'; lower: Node | null; upper: Node | null; step: Node | null }
  | { t: 'call'; fn: Node; args: Node[] };

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);
const syntax = (msg = 'invalid syntax'): PyRaise => new PyRaise('SyntaxError', msg);
const unsupported = (what: string): NotEvaluable => new NotEvaluable(what);

/**
 * Parses one expression as `compile(code, mode="eval")` does. Python's own syntax errors raise
 * PyRaise('SyntaxError'); valid Python outside the implemented subset (lambda, comprehensions,
 * dict and set displays, keyword or starred arguments...) raises NotEvaluable.
 */
export function parse(src: string): Node {
  const p = new Parser(tokenize(src));
  const node = p.exprList(true);
  p.expectEnd();
  return node;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.i + offset, this.toks.length - 1)] ?? { kind: 'eof', at: 0 };
  }
  private isOp(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === v;
  }
  private isKw(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.value === v;
  }
  private take(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw this.unexpected();
    this.i++;
  }
  private unexpected(): Error {
    const t = this.peek();
    if (t.kind === 'op') {
      if (t.value === ':=') return syntax('Operation not allowed: assignment expression');
      if (t.value === '{') return unsupported('dict and set displays');
      if (t.value === '...') return unsupported('Ellipsis');
      if (t.value === '*' || t.value === '**') return unsupported('starred expressions');
    }
    if (t.kind === 'name') {
      if (t.value === 'lambda') return unsupported('lambda');
      if (t.value === 'for' || t.value === 'async') return unsupported('comprehensions');
      if (t.value === 'await') return unsupported('await');
    }
    return syntax();
  }
  expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  /** `a, b` at the top or inside parentheses makes a tuple. */
  exprList(top: boolean): Node {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.i++;
      if (this.atListEnd(top)) break;
      items.push(this.expr());
    }
    return { t: 'tuple', items };
  }
  private atListEnd(top: boolean): boolean {
    return top ? this.peek().kind === 'eof' : this.isOp(')');
  }

  expr(): Node {
    if (this.isKw('lambda')) throw unsupported('lambda');
    const body = this.orTest();
    if (!this.isKw('if')) return body;
    this.i++;
    const test = this.orTest();
    if (!this.isKw('else')) throw syntax("expected 'else' after 'if' expression");
    this.i++;
    return { t: 'ifexp', test, body, orelse: this.expr() };
  }

  private orTest(): Node {
    let l = this.andTest();
    while (this.isKw('or')) {
      this.i++;
      l = { t: 'bool', op: 'or', l, r: this.andTest() };
    }
    return l;
  }
  private andTest(): Node {
    let l = this.notTest();
    while (this.isKw('and')) {
      this.i++;
      l = { t: 'bool', op: 'and', l, r: this.notTest() };
    }
    return l;
  }
  private notTest(): Node {
    if (this.isKw('not')) {
      this.i++;
      return { t: 'unary', op: 'not', e: this.notTest() };
    }
    return this.comparison();
  }
  private comparison(): Node {
    const first = this.bitOr();
    const ops: string[] = [];
    const rest: Node[] = [];
    for (;;) {
      const t = this.peek();
      let op: string | null = null;
      if (t.kind === 'op' && ['<', '>', '==', '>=', '<=', '!='].includes(t.value)) {
        op = t.value;
        this.i++;
      } else if (t.kind === 'op' && t.value === '<>') {
        throw syntax();
      } else if (this.isKw('in')) {
        op = 'in';
        this.i++;
      } else if (this.isKw('not') && this.isKw('in', 1)) {
        op = 'not in';
        this.i += 2;
      } else if (this.isKw('is')) {
        this.i++;
        op = 'is';
        if (this.isKw('not')) {
          this.i++;
          op = 'is not';
        }
      }
      if (op === null) break;
      ops.push(op);
      rest.push(this.bitOr());
    }
    return ops.length === 0 ? first : { t: 'cmp', first, ops, rest };
  }
  private binary(ops: string[], next: () => Node): Node {
    let l = next();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.value)) return l;
      this.i++;
      l = { t: 'bin', op: t.value, l, r: next() };
    }
  }
  private bitOr = (): Node => this.binary(['|'], this.bitXor);
  private bitXor = (): Node => this.binary(['^'], this.bitAnd);
  private bitAnd = (): Node => this.binary(['&'], this.shift);
  private shift = (): Node => this.binary(['<<', '>>'], this.arith);
  private arith = (): Node => this.binary(['+', '-'], this.term);
  private term = (): Node => this.binary(['*', '/', '//', '%', '@'], this.factor);
  private factor = (): Node => {
    const t = this.peek();
    if (t.kind === 'op' && (t.value === '-' || t.value === '+' || t.value === '~')) {
      this.i++;
      return { t: 'unary', op: t.value, e: this.factor() };
    }
    return this.power();
  };
  private power(): Node {
    if (this.isKw('await')) throw unsupported('await');
    const base = this.trailers(this.atom());
    if (!this.isOp('**')) return base;
    this.i++;
    return { t: 'bin', op: '**', l: base, r: this.factor() };
  }

  private trailers(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.take();
        if (t.kind !== 'name' || KEYWORDS.has(t.value)) throw syntax();
        node = { t: 'attr', e: node, name: t.value };
      } else if (this.isOp('(')) {
        this.i++;
        node = { t: 'call', fn: node, args: this.callArgs() };
      } else if (this.isOp('[')) {
        this.i++;
        node = { t: 'sub', e: node, index: this.subscript() };
        this.expectOp(']');
      } else {
        return node;
      }
    }
  }
  private callArgs(): Node[] {
    const args: Node[] = [];
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) throw unsupported('starred arguments');
      if (this.peek().kind === 'name' && this.isOp('=', 1)) throw unsupported('keyword arguments');
      args.push(this.expr());
      if (this.isKw('for') || this.isKw('async')) throw unsupported('generator expressions');
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expectOp(')');
    return args;
  }
  private subscript(): Node {
    const parts: (Node | null)[] = [];
    let colons = 0;
    let current: Node | null = null;
    for (;;) {
      if (this.isOp(':')) {
        parts.push(current);
        current = null;
        colons++;
        this.i++;
        if (colons > 2) throw syntax();
        continue;
      }
      if (this.isOp(']')) break;
      if (this.isOp(',')) throw unsupported('tuple and extended subscripts');
      if (current !== null) throw this.unexpected();
      current = this.expr();
    }
    if (colons === 0) {
      if (current === null) throw syntax();
      return current;
    }
    parts.push(current);
    return { t: 'slice', lower: parts[0] ?? null, upper: parts[1] ?? null, step: parts[2] ?? null };
  }

  private atom(): Node {
    const t = this.take();
    switch (t.kind) {
      case 'int':
      case 'float':
        return { t: 'const', v: t.value };
      case 'str': {
        let v = t.value;
        while (this.peek().kind === 'str') v += (this.take() as { value: string }).value;
        return { t: 'const', v };
      }
      case 'name':
        if (t.value === 'None') return { t: 'const', v: null };
        if (t.value === 'True') return { t: 'const', v: true };
        if (t.value === 'False') return { t: 'const', v: false };
        if (KEYWORDS.has(t.value)) {
          this.i--;
          throw this.unexpected();
        }
        return { t: 'name', id: t.value };
      case 'op':
        if (t.value === '(') return this.parenthesized();
        if (t.value === '[') return this.listDisplay();
        this.i--;
        throw this.unexpected();
      default:
        this.i--;
        throw syntax('unexpected EOF while parsing');
    }
  }
  private parenthesized(): Node {
    if (this.isOp(')')) {
      this.i++;
      return { t: 'tuple', items: [] };
    }
    if (this.isKw('yield')) throw syntax("'yield' outside function");
    const first = this.expr();
    if (this.isKw('for') || this.isKw('async')) throw unsupported('generator expressions');
    if (this.isOp(')')) {
      this.i++;
      return first;
    }
    if (!this.isOp(',')) throw this.unexpected();
    const items = [first];
    while (this.isOp(',')) {
      this.i++;
      if (this.isOp(')')) break;
      items.push(this.expr());
    }
    this.expectOp(')');
    return { t: 'tuple', items };
  }
  private listDisplay(): Node {
    const items: Node[] = [];
    while (!this.isOp(']')) {
      if (this.isOp('*')) throw unsupported('starred expressions');
      items.push(this.expr());
      if (this.isKw('for') || this.isKw('async')) throw unsupported('list comprehensions');
      if (!this.isOp(',')) break;
      this.i++;
    }
    this.expectOp(']');
    return { t: 'list', items };
  }
}
