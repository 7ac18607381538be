/**
 * Worker thread entry of a demo seed load (`load.ts`): generates and shapes the rows and posts
 * them, a batch at a time, on the port it was given, staying at most `AHEAD` batches ahead of
 * the thread that writes them (a shared counter pair: batches posted, batches taken).
 */
import { workerData } from 'node:worker_threads';
import { POSTED, seedMessages, TAKEN, type SeedMessage, type SeedWorkerData } from './stream.js';

function run({ job, port, progress, ahead }: SeedWorkerData): void {
  const post = (m: SeedMessage): void => {
    port.postMessage(m);
    Atomics.add(progress, POSTED, 1);
    Atomics.notify(progress, POSTED);
  };
  try {
    for (const m of seedMessages(job)) {
      for (;;) {
        const taken = Atomics.load(progress, TAKEN);
        if (Atomics.load(progress, POSTED) - taken < ahead) break;
        Atomics.wait(progress, TAKEN, taken);
      }
      post(m);
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ kind: 'error', message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
  }
}

run(workerData as SeedWorkerData);
