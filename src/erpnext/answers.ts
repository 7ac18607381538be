import { z } from 'zod';
import { parseJsonWith, parseWith, QuoteError } from '../core/index.js';
import { FrappeError } from './errors.js';

/**
 * The shapes of ERPNext's answers that the client reads (Frappe REST v1, as recorded in
 * test/fixtures/erpnext-api/): `{"data": …}` from /api/resource, `{"message": …}` from
 * /api/method, and Frappe's error body. Documents stay open objects: a site's custom fields
 * and fields we do not read pass through untouched.
 */

/** One document or list row: an object whose fields are not checked here (see store/erp-docs). */
export const ErpDocSchema = z.looseObject({});

/** GET/POST /api/resource/<doctype>[/<name>]: `{"data": {…}}` (frappe/api/v1.py). */
export const DocAnswer = z.looseObject({ data: ErpDocSchema });

/** GET /api/resource/<doctype>: `{"data": [{…}, …]}`. */
export const ListAnswer = z.looseObject({ data: z.array(ErpDocSchema) });

/** /api/method/<path>: the return value under `message` (frappe/handler.py). */
export const MethodAnswer = <S extends z.ZodType>(message: S) => z.looseObject({ message });

/** frappe.client.get_count answers a count: `{"message": 20}`. */
export const CountAnswer = MethodAnswer(z.int().min(0));

/**
 * Frappe's error body (frappe/utils/response.py report_error, frappe/app.py handle_exception):
 * every field optional, and one of the wrong type is ignored, since the answer is an error
 * whatever it says; a proxy's HTML error page has none of them.
 */
const ErrorBody = z.looseObject({
  exc_type: z.string().optional().catch(undefined),
  exception: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  _server_messages: z.string().optional().catch(undefined),
});
type ErrorBody = z.output<typeof ErrorBody>;

/** `_server_messages`: JSON text of a list whose entries are JSON texts of `{message, …}`. */
const ServerMessageList = z.array(z.unknown());
const ServerMessage = z.looseObject({ message: z.unknown() });

/**
 * The messages of `_server_messages`, decoded twice with tags stripped; the raw text when it is
 * not in that form (the message still reaches the user).
 */
export function serverMessages(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  try {
    return parseJsonWith(ServerMessageList, raw, '_server_messages').map((entry, i) => {
      const where = `_server_messages[${i}]`;
      const obj = typeof entry === 'string' ? parseJsonWith(z.unknown(), entry, where) : entry;
      const parsed = ServerMessage.safeParse(obj);
      const msg = parsed.success ? parsed.data.message : obj;
      return typeof msg === 'string' ? msg.replace(/<[^>]+>/g, '') : JSON.stringify(msg);
    });
  } catch {
    return [raw];
  }
}

/**
 * `value` checked against `schema`; an answer of the wrong shape is ERPNext's (or a proxy's)
 * fault, not the caller's, so it is a FrappeError `InvalidResponse` naming the field at fault.
 */
export function readAnswer<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
  status = 200,
): z.output<S> {
  return asInvalidResponse(status, () => parseWith(schema, value, where));
}

/** An answer's text as JSON; text that is not JSON is an `InvalidResponse` naming `where`. */
export function readJsonAnswer(text: string, where: string, status: number): unknown {
  return asInvalidResponse(status, () => parseJsonWith(z.unknown(), text, where));
}

/** Frappe's error fields of a failed answer; none when it is not JSON (a proxy's error page). */
export function readErrorBody(text: string): ErrorBody {
  try {
    return parseJsonWith(ErrorBody, text, 'error body');
  } catch {
    return {};
  }
}

function asInvalidResponse<T>(status: number, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof QuoteError)
      throw new FrappeError(status, 'InvalidResponse', e.message, e.field);
    throw e;
  }
}
