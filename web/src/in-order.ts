/**
 * Runs async tasks one after the other, in the order given: a task given while none is on its
 * way starts at once (synchronously, in the caller's own event), a later one when the one
 * before it has settled, whether it succeeded or failed.
 */
export function inOrder(): (task: () => Promise<void>) => void {
  let last: Promise<void> = Promise.resolve();
  let onTheirWay = 0;
  const settled = () => {
    onTheirWay -= 1;
  };
  return (task) => {
    const started = onTheirWay === 0 ? task() : last.then(task);
    onTheirWay += 1;
    // A failed task must not stop the ones after it: the queue waits for it to settle only.
    last = started.then(settled, settled);
  };
}
