import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSim } from '../../src/cli/sim.js';

/** `outpost sim` in process, stopped when the test says so: the command's real path. */
function launch(argv: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const exit = runSim(
    argv,
    { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) },
    stopped,
  );
  return { out, err, exit, stop };
}

/** The first stdout line (the JSON with url and token), once the server listens. */
async function started(run: ReturnType<typeof launch>): Promise<Record<string, string>> {
  for (let i = 0; i < 200 && run.out.length === 0; i++) {
    const tick = new Promise<null>((r) => setTimeout(() => r(null), 25));
    const done = await Promise.race([run.exit, tick]);
    if (done !== null) throw new Error(`outpost sim exited ${done}: ${run.err.join('')}`);
  }
  return JSON.parse(run.out[0] ?? '') as Record<string, string>;
}

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

describe('outpost sim', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-cli-sim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a busy port in the error envelope (stdout, as every command), naming --port, and exits non-zero', async () => {
    const busy = await occupy();
    try {
      const run = launch(['--port', String(busy.port), '--data', dir, '--seed', 'empty']);
      expect(await run.exit).toBe(1);
      const lines = run.out.join('').trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1] ?? '')).toEqual({
        error: {
          kind: 'PortInUse',
          message: `port ${busy.port} on 127.0.0.1 is already in use (another simulator or server?): stop it or choose another --port (0 = any free port)`,
          field: '--port',
        },
      });
      // The database was closed again: the next start on a free port opens the same site.
      const again = launch(['--port', '0', '--data', dir, '--seed', 'empty', '--quiet']);
      const info = await started(again);
      expect(info['seed']).toBe('kept');
      again.stop();
      expect(await again.exit).toBe(0);
    } finally {
      busy.server.close();
    }
  });

  it('serves the site it seeded, keeps it across restarts, and stops on request', async () => {
    const argv = ['--port', '0', '--data', dir, '--seed', 'empty', '--quiet'];
    argv.push('--api-key', 'ck', '--api-secret', 'cs');
    const first = launch(argv);
    const info = await started(first);
    expect(info['seed']).toBe('empty');
    const headers = { Authorization: 'token ck:cs', 'Content-Type': 'application/json' };
    const made = await fetch(`${info['url']}/api/resource/Item`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ item_code: 'C-1', item_group: 'Products', stock_uom: 'Nos' }),
    });
    expect(made.status).toBe(200);
    first.stop();
    expect(await first.exit).toBe(0);
    const second = launch(argv);
    const again = await started(second);
    expect(again['seed']).toBe('kept');
    const got = await fetch(`${again['url']}/api/resource/Item/C-1`, { headers });
    expect(got.status).toBe(200);
    second.stop();
    expect(await second.exit).toBe(0);
  });

  it('refuses a fault config with a misspelt key (417) and keeps the one it had', async () => {
    const run = launch(['--port', '0', '--data', dir, '--seed', 'empty', '--quiet']);
    const info = await started(run);
    const url = `${info['url']}/api/method/outpost.sim.faults`;
    const headers = { Authorization: `token ${info['api_key']}:${info['api_secret']}` };
    const bad = await fetch(url, { method: 'POST', headers, body: '{"failrate": 0.5}' });
    expect(bad.status).toBe(417);
    expect(((await bad.json()) as { message: string }).message).toBe(
      'outpost.sim.faults: Unrecognized key: "failrate"',
    );
    const now = await fetch(url, { headers });
    expect(((await now.json()) as { message: { config: unknown } }).message.config).toEqual({});
    run.stop();
    expect(await run.exit).toBe(0);
  });

  it('a credentials.json that is not {api_key, api_secret} is an envelope, not a trace', async () => {
    writeFileSync(join(dir, 'credentials.json'), '{"api_key": 7}');
    const run = launch(['--port', '0', '--data', dir, '--seed', 'empty', '--quiet']);
    expect(await run.exit).toBe(2); // bad input, as every command exits on it
    const { error } = JSON.parse(run.out.join('')) as { error: Record<string, unknown> };
    expect(error['kind']).toBe('InvalidInput');
    expect(error['field']).toBe('api_key');
  });
});
