import type { Fields } from './record.js';

/** A node of a static tree: the root has parent ''. */
interface Node {
  readonly name: string;
  readonly parent: string;
  readonly fields?: Fields;
}

/**
 * Frappe's nested-set numbering (`lft`/`rgt`) for a static tree, in depth-first order so every
 * group comes before its members, which is the order a loader can insert them in.
 */
export function nestedSet(
  nodes: readonly Node[],
): { node: Node; lft: number; rgt: number; isGroup: boolean }[] {
  const children = new Map<string, Node[]>();
  for (const n of nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const out: { node: Node; lft: number; rgt: number; isGroup: boolean }[] = [];
  let counter = 1;
  const visit = (n: Node): void => {
    const entry = { node: n, lft: counter++, rgt: 0, isGroup: children.has(n.name) };
    out.push(entry);
    for (const c of children.get(n.name) ?? []) visit(c);
    entry.rgt = counter++;
  };
  for (const root of children.get('') ?? []) visit(root);
  if (out.length !== nodes.length) throw new RangeError('nestedSet: a node has no path to a root');
  return out;
}
