import { readFileSync, readdirSync } from 'node:fs';
import type { SimApp } from '../../src/sim/app.js';
import type { SimResponse } from '../../src/sim/http-types.js';
import { alignTiedRows, compareShape } from './shape.js';

/** What both replayed sites share: reading recordings, sending them, comparing the replies. */
export const DIR = new URL('../fixtures/erpnext-api/', import.meta.url);
export const KEY = 'replay-key';
export const SECRET = 'replay-secret';
export const PASSWORD = 'replay-password';

export interface Recording {
  request: {
    method: string;
    path: string;
    query: Record<string, string> | null;
    headers: Record<string, string>;
    body: unknown;
  };
  response: { status: number; body: unknown };
}

/** Recordings of the second, freshly set-up site (210–249, recorder "AR2"). */
export const isSecondSite = (file: string): boolean => file.slice(0, 3) >= '210';

/** Every recording, by file name. */
export function recordingFiles(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function substitute(text: string, names: Map<string, string>): string {
  let out = text;
  for (const [from, to] of names) out = out.replaceAll(from, to);
  return out;
}

/** A recording with the server-generated names it mentions replaced by the simulator's. */
export function readRecording(file: string, names: Map<string, string>): Recording {
  return JSON.parse(substitute(readFileSync(new URL(file, DIR), 'utf8'), names)) as Recording;
}

/** When the recorder sent a request: its Guest cookie expires 612000 s (7 days 2 h) later. */
export function recordedAt(file: string): number | undefined {
  const rec = JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as {
    response: { headers?: Record<string, unknown> };
  };
  const cookies = rec.response.headers?.['set-cookie'];
  const first = Array.isArray(cookies) ? String(cookies[0]) : '';
  const expires = /Expires=([^;]+)/.exec(first)?.[1];
  return expires ? Date.parse(expires) - 612_000_000 : undefined;
}

/**
 * The order a list request asked for: its `order_by`, else get_list's default (`modified
 * desc`) for a resource list; undefined when the reply is not a list query's.
 */
function listOrder(req: Recording['request']): string | undefined {
  const fromBody =
    req.body && typeof req.body === 'object'
      ? (req.body as Record<string, unknown>)['order_by']
      : undefined;
  const given = req.query?.['order_by'] ?? fromBody;
  if (typeof given === 'string' && given.trim() !== '') return given;
  const resourceList = /^\/api\/resource\/[^/]+$/.test(req.path);
  return req.method === 'GET' && resourceList ? 'modified desc' : undefined;
}

/** Send a recorded request with the replay's own credentials in place of the redacted ones. */
export function sendRecorded(
  app: SimApp,
  rec: Recording,
  authorization: string,
  sid: string,
): SimResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec.request.headers)) {
    if (k === 'Authorization') headers[k] = authorization;
    else if (k === 'Cookie') headers[k] = `sid=${sid}`;
    else headers[k] = v;
  }
  let body = rec.request.body;
  if (body && typeof body === 'object') {
    body = JSON.parse(JSON.stringify(body).replaceAll('<redacted>', PASSWORD)) as unknown;
  }
  return app.handle({
    method: rec.request.method,
    path: rec.request.path,
    query: rec.request.query,
    headers,
    body,
  });
}

/**
 * The differences between a recorded reply and the simulator's, under compareShape's rules;
 * records in `names` which server-generated names of the recording the simulator named otherwise.
 */
export function diffReply(
  rec: Recording,
  reply: SimResponse,
  names: Map<string, string>,
): string[] {
  const diffs: string[] = [];
  if (reply.status !== rec.response.status) {
    diffs.push(`status: expected ${rec.response.status}, got ${reply.status}`);
  }
  // A list whose order_by leaves ties: tied rows may come in any order (MariaDB's choice).
  const orderBy = listOrder(rec.request);
  const wantData = (rec.response.body as { data?: unknown } | null)?.data;
  const replyData = (reply.body as { data?: unknown } | null)?.data;
  const got =
    orderBy !== undefined && Array.isArray(wantData) && Array.isArray(replyData)
      ? { ...(reply.body as object), data: alignTiedRows(wantData, replyData, orderBy) }
      : reply.body;
  compareShape(rec.response.body, got, 'body', diffs);
  // Names the real server generated map to the simulator's for the requests that follow.
  for (const key of ['name', 'modified'] as const) {
    const want = (rec.response.body as { data?: Record<string, unknown> } | null)?.data?.[key];
    const have = (reply.body as { data?: Record<string, unknown> } | null)?.data?.[key];
    if (typeof want === 'string' && typeof have === 'string' && want !== have) {
      names.set(want, have);
    }
  }
  // Hash-named rows of a list (merge logs, entries) map pairwise when both lists agree in size.
  const gotList = (got as { data?: unknown } | null)?.data;
  if (Array.isArray(wantData) && Array.isArray(gotList) && wantData.length === gotList.length) {
    wantData.forEach((w: unknown, i) => {
      const want = (w as Record<string, unknown> | null)?.['name'];
      const have = (gotList[i] as Record<string, unknown> | null)?.['name'];
      const hash = /^[0-9a-z]{10}$/;
      if (typeof want === 'string' && typeof have === 'string' && hash.test(want)) {
        if (want !== have && !names.has(want)) names.set(want, have);
      }
    });
  }
  return diffs;
}
