import { attribute, call, SAFE_EVAL_GLOBALS } from './builtins.js';
import { binary, contains, equal, identical, order, slice, subscript, unary } from './operators.js';
import { parse, type Node } from './parser.js';
import { NotEvaluable, PyRaise, list, truthy, tuple, type Py } from './values.js';

/** A document field's value, or undefined when the document has no such field. */
export type Lookup = (name: string) => Py | undefined;

type Outcome = { raised: null; value: Py; truthy: boolean } | { raised: PyRaise };

/**
 * `frappe.safe_eval(code, None, locals)` (frappe/utils/safe_exec.py): NFKC-normalised, parsed in
 * eval mode, walrus refused, compiled by RestrictedPython, then evaluated with the locals first
 * and only int/float/long/round as globals. A Python exception comes back as `raised`; valid
 * Python this evaluator does not implement throws NotEvaluable.
 */
export function safeEval(code: string, lookup: Lookup): Outcome {
  try {
    const tree = parse(code.normalize('NFKC'));
    restrictedCompile(tree);
    const value = new Evaluator(lookup).eval(tree);
    return { raised: null, value, truthy: truthy(value) };
  } catch (e) {
    if (e instanceof PyRaise) return { raised: e };
    throw e;
  }
}

/** RestrictingNodeTransformer.check_name and its attribute check: refused at compile time. */
function restrictedCompile(node: Node): void {
  const refuse = (msg: string): never => {
    throw new PyRaise('SyntaxError', msg);
  };
  const walk = (n: Node | null): void => {
    if (n === null) return;
    switch (n.t) {
      case 'name':
        if (n.id.startsWith('_') && n.id !== '_')
          refuse(`"${n.id}" is an invalid variable name because it starts with "_"`);
        if (n.id.endsWith('__roles__'))
          refuse(`"${n.id}" is an invalid variable name because it ends with "__roles__".`);
        if (n.id === 'printed' || n.id === 'print') refuse(`"${n.id}" is a reserved name.`);
        return;
      case 'attr':
        if (n.name.startsWith('_'))
          refuse(`"${n.name}" is an invalid attribute name because it starts with "_".`);
        if (n.name.endsWith('__roles__'))
          refuse(`"${n.name}" is an invalid attribute name because it ends with "__roles__".`);
        return walk(n.e);
      case 'const':
        return;
      case 'unary':
        return walk(n.e);
      case 'bin':
      case 'bool':
        walk(n.l);
        return walk(n.r);
      case 'cmp':
        walk(n.first);
        return n.rest.forEach(walk);
      case 'ifexp':
        walk(n.test);
        walk(n.body);
        return walk(n.orelse);
      case 'list':
      case 'tuple':
        return n.items.forEach(walk);
      case 'sub':
        walk(n.e);
        return walk(n.index);
      case 'slice':
        walk(n.lower);
        walk(n.upper);
        return walk(n.step);
      case 'call':
        walk(n.fn);
        return n.args.forEach(walk);
    }
  };
  walk(node);
}

class Evaluator {
  constructor(private readonly lookup: Lookup) {}

  eval(n: Node): Py {
    switch (n.t) {
      case 'const':
        return n.v;
      case 'name': {
        const local = this.lookup(n.id);
        if (local !== undefined) return local;
        const global = SAFE_EVAL_GLOBALS.get(n.id);
        if (global) return global;
        throw new PyRaise('NameError', `name '${n.id}' is not defined`);
      }
      case 'unary': {
        const v = this.eval(n.e);
        return n.op === 'not' ? !truthy(v) : unary(n.op, v);
      }
      case 'bin':
        return binary(n.op, this.eval(n.l), this.eval(n.r));
      case 'bool': {
        // Short-circuit, returning the deciding operand, not a bool.
        const l = this.eval(n.l);
        if (n.op === 'and' ? !truthy(l) : truthy(l)) return l;
        return this.eval(n.r);
      }
      case 'cmp': {
        let left = this.eval(n.first);
        for (let i = 0; i < n.ops.length; i++) {
          const right = this.eval(n.rest[i] ?? { t: 'const', v: null });
          if (!compareOp(n.ops[i] ?? '', left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'ifexp':
        return truthy(this.eval(n.test)) ? this.eval(n.body) : this.eval(n.orelse);
      case 'list':
        return list(n.items.map((x) => this.eval(x)));
      case 'tuple':
        return tuple(n.items.map((x) => this.eval(x)));
      case 'attr':
        return attribute(this.eval(n.e), n.name);
      case 'sub': {
        const v = this.eval(n.e);
        if (n.index.t === 'slice') {
          const part = (x: Node | null): Py => (x === null ? null : this.eval(x));
          return slice(v, part(n.index.lower), part(n.index.upper), part(n.index.step));
        }
        return subscript(v, this.eval(n.index));
      }
      case 'slice':
        throw new PyRaise('SyntaxError', 'invalid syntax');
      case 'call': {
        const fn = this.eval(n.fn);
        return call(
          fn,
          n.args.map((x) => this.eval(x)),
        );
      }
    }
  }
}

function compareOp(op: string, a: Py, b: Py): boolean {
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'in':
      return contains(a, b);
    case 'not in':
      return !contains(a, b);
    case 'is':
      return identical(a, b);
    case 'is not':
      return !identical(a, b);
    default:
      return order(op, a, b);
  }
}

export { NotEvaluable };
