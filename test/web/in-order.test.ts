import { describe, expect, it } from 'vitest';
import { inOrder } from '../../web/src/in-order.js';

/** A task that logs its start and settles when told. */
function gate(log: string[], name: string) {
  let settle: (ok: boolean) => void = () => undefined;
  const task = () => {
    log.push(`start ${name}`);
    return new Promise<void>((resolve, reject) => {
      settle = (ok) => (ok ? resolve() : reject(new Error(name)));
    });
  };
  return { task, settle: (ok = true) => settle(ok) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('inOrder (the scans’ lookups)', () => {
  it('starts a task at once, in the caller’s own event, when none is on its way', () => {
    const log: string[] = [];
    const run = inOrder();
    run(gate(log, 'a').task);
    expect(log).toEqual(['start a']);
  });

  it('starts each later task only once the one before has settled, in order', async () => {
    const log: string[] = [];
    const run = inOrder();
    const [a, b, c] = [gate(log, 'a'), gate(log, 'b'), gate(log, 'c')];
    run(a.task);
    run(b.task);
    run(c.task);
    await tick();
    expect(log).toEqual(['start a']);
    a.settle();
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.settle(false); // a failed lookup does not stop the ones after it
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    c.settle();
    await tick();
    // Idle again: the next starts at once.
    run(gate(log, 'd').task);
    expect(log.at(-1)).toBe('start d');
  });
});
