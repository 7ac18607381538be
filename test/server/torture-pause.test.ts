import { describe, expect, it } from 'vitest';
import { pauseAfterCommit } from '../../src/server/torture-pause.js';

describe('OUTPOST_TORTURE_PAUSE (the crash torture aims a kill after a sale commits)', () => {
  it('is off unless set exactly as after-commit:MS', () => {
    expect(pauseAfterCommit({})).toBeNull();
    expect(pauseAfterCommit({ OUTPOST_TORTURE_PAUSE: 'after-commit' })).toBeNull();
    expect(pauseAfterCommit({ OUTPOST_TORTURE_PAUSE: 'before-commit:10' })).toBeNull();
    expect(pauseAfterCommit({ OUTPOST_TORTURE_PAUSE: 'after-commit:-5' })).toBeNull();
  });

  it('waits the given milliseconds', async () => {
    const pause = pauseAfterCommit({ OUTPOST_TORTURE_PAUSE: 'after-commit:40' });
    expect(pause).not.toBeNull();
    const t0 = Date.now();
    await pause?.();
    // A timer never fires early (Node rounds to whole ms): the wait is at least 39 ms.
    expect(Date.now() - t0 >= 39).toBe(true);
  });
});
