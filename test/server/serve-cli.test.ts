import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTemplate } from '../pos/till-fixture.js';

/** Needs `npm run build` (the test runs the built CLI, as an operator would). */
const BIN = join(import.meta.dirname, '../../dist/src/cli/main.js');

let template: Awaited<ReturnType<typeof makeTemplate>>;

beforeAll(async () => {
  template = await makeTemplate();
}, 180_000);

describe('outpost serve (the built CLI)', () => {
  it('pairs its own till (a 0600 device token that logs a cashier in), serves, and exits 0 on SIGTERM after closing', async () => {
    const dir = template.copy();
    const child = spawn(process.execPath, [BIN, 'serve', '--data', dir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}${stdout}`)));
    });
    const token = join(dir, 'device-token');
    expect(statSync(token).mode & 0o777).toBe(0o600);
    expect(readFileSync(token, 'utf8')).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // The token is the node's own till's device, paired at start: a cashier logs in with it.
    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-outpost-device': readFileSync(token, 'utf8').trim(),
      },
      body: JSON.stringify({ cashier: 'alice', pin: '1234' }),
    });
    expect(login.status).toBe(201);
    expect(((await login.json()) as { terminal: string }).terminal).toBe('T1');
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages.slice(-2)).toEqual([
      'store node: stopping (requests in flight finish first)',
      'store node: stopped',
    ]);
  }, 60_000);
});
