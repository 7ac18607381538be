import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built CLI (`npm run build` first): the store node runs as a shop runs it. */
export const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

/** A free loopback port, kept for every restart so the terminals' address does not change. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<string>;
  /** Everything it wrote on stderr (start-up failures). */
  stderr(): string;
}

/**
 * `outpost serve` over DIR in a child process, with `env` added (the push backoff, the
 * torture pause); resolves once /healthz answers 200.
 */
export async function startServe(
  dir: string,
  port: number,
  env: Record<string, string> = {},
): Promise<NodeProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` first`);
  const child = spawn(
    process.execPath,
    [MAIN, 'serve', '--data', dir, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } },
  );
  let err = '';
  child.stderr?.on('data', (b: Buffer) => {
    err = (err + b.toString()).slice(-20_000);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; ; i++) {
    if (gone) throw new Error(`outpost serve exited at start:\n${err}`);
    const r = await fetch(`${url}/healthz`).catch(() => null);
    if (r?.status === 200) break;
    if (i > 3000) throw new Error(`outpost serve: no /healthz after 30 s\n${err}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { child, url, exited, stderr: () => err };
}

/** SIGKILL: no handler runs, nothing is flushed; waits until the process is gone. */
export async function kill9(p: NodeProcess): Promise<string> {
  p.child.kill('SIGKILL');
  return p.exited;
}

/** SIGTERM: the graceful stop (requests in flight finish, the loops stop, the db closes). */
export async function stop(p: NodeProcess): Promise<string> {
  p.child.kill('SIGTERM');
  return p.exited;
}
