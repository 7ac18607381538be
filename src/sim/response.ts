import type { FrappeError, ServerMessage } from './errors.js';

/** A traceback-ish `exc` string, shaped like Frappe's (a JSON list holding one string). */
function traceback(err: FrappeError, exception: string): string {
  return JSON.stringify([
    `Traceback (most recent call last):\n  File "outpost/sim", line 1, in handle\n    ${err.excType}\n${exception}\n`,
  ]);
}

/**
 * Frappe's v1 error body: `exception` + `exc` when a traceback is allowed, `exc_type`,
 * `_server_messages` (a JSON list of JSON strings: decode twice: the messages msgprint queued
 * before the failure, then the error's own) and any extra keys.
 */
export function errorBody(
  err: FrappeError,
  earlier: readonly ServerMessage[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...err.extra };
  if (err.detail !== null) {
    const cls = err.module ? `${err.module}.${err.excType}` : err.excType;
    const exception = `${cls}${err.detail ? `: ${err.detail}` : ''}`;
    body['exception'] = exception;
    body['exc_type'] = err.excType;
    body['exc'] = traceback(err, exception);
  } else {
    body['exc_type'] = err.excType;
  }
  if (err.fromErpnext) body['_exc_source'] = 'erpnext (app)';
  const messages = [...earlier, ...err.messages];
  if (messages.length > 0) {
    body['_server_messages'] = JSON.stringify(messages.map((m) => JSON.stringify(m)));
  }
  return body;
}

/** Frappe's v2 error body: `{"errors": [{type, exception?, message, title, indicator}]}`. */
export function errorBodyV2(err: FrappeError): Record<string, unknown> {
  const first = err.messages[0];
  const entry: Record<string, unknown> = { type: err.excType };
  if (err.detail !== null) {
    entry['exception'] =
      `Traceback (most recent call last):\n  File "outpost/sim", line 1, in handle\n${err.module}.${err.excType}: ${err.detail}\n`;
  }
  entry['message'] = first?.['message'] ?? err.message;
  entry['title'] = first?.['title'] ?? 'Message';
  entry['indicator'] = first?.['indicator'] ?? 'red';
  return { errors: [entry] };
}

/** The cookies Frappe sets on every reply for the session's user. */
export function sessionCookies(sid: string, user: string, fullName: string): string[] {
  const guest = user === 'Guest';
  return [
    `sid=${sid}; Max-Age=612000; HttpOnly; Path=/; SameSite=Lax`,
    `system_user=${guest ? 'no' : 'yes'}; Path=/; SameSite=Lax`,
    `full_name=${encodeURIComponent(fullName)}; Path=/; SameSite=Lax`,
    `user_id=${encodeURIComponent(user)}; Path=/; SameSite=Lax`,
    'user_image=; Path=/; SameSite=Lax',
  ];
}
