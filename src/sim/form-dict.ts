import type { Doc } from './doc.js';
import { internalError, throwError } from './errors.js';

/** A request's arguments as Frappe sees them: `frappe.form_dict` and the raw body text. */
export interface RequestArgs {
  readonly formDict: Doc;
  /** The body as sent (`request.get_data()`), '' when there is none. */
  readonly raw: string;
}

const isRecord = (v: unknown): v is Doc => !!v && typeof v === 'object' && !Array.isArray(v);

/** Werkzeug's `Request.is_json`: application/json or any application/…+json. */
function isJsonType(mimetype: string): boolean {
  return (
    mimetype === 'application/json' ||
    (mimetype.startsWith('application/') && mimetype.endsWith('+json'))
  );
}

/** Python's json.loads failing inside make_form_dict: Frappe answers 500 JSONDecodeError. */
function loadJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch (e) {
    throw internalError('JSONDecodeError', (e as Error).message, 'json.decoder');
  }
}

/**
 * Frappe's `make_form_dict` (frappe/app.py): a JSON body (by content type) is the whole
 * form_dict and the query string is then ignored; otherwise form_dict is the query string
 * updated with the urlencoded form fields (werkzeug's `request.form`). A JSON list lands under
 * `data`. A body handed in already parsed (in-process callers) counts as JSON.
 */
export function readRequestArgs(
  body: unknown,
  contentType: string | undefined,
  query: Readonly<Record<string, unknown>>,
): RequestArgs {
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return { formDict: fromJson(body), raw: JSON.stringify(body) };
  }
  const raw = body ?? '';
  const mimetype = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw !== '' && isJsonType(mimetype)) return { formDict: fromJson(loadJson(raw)), raw };
  const formDict: Doc = { ...query };
  if (mimetype === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(raw)) formDict[k] = v;
  }
  delete formDict['_'];
  return { formDict, raw };
}

function fromJson(value: unknown): Doc {
  if (Array.isArray(value)) return { data: value };
  if (isRecord(value)) {
    const out = { ...value };
    delete out['_']; // jQuery's cache-buster, dropped by Frappe
    return out;
  }
  throw throwError('ValidationError', 'Invalid request arguments');
}

/**
 * API v1's `get_request_form_data` (frappe/api/v1.py), what resource insert and update use:
 * form_dict's `data` (a form POST's JSON text, as frappe-client sends it) or else the raw body,
 * parsed as JSON; text that is not JSON means the form fields themselves are the document.
 */
export function requestFormData(args: RequestArgs): Doc {
  const data = args.formDict['data'] ?? args.raw;
  let parsed: unknown = data;
  if (typeof data === 'string') {
    try {
      parsed = JSON.parse(data);
    } catch {
      return args.formDict;
    }
  }
  if (isRecord(parsed)) return parsed;
  // `frappe.new_doc(doctype, **data)` with something that is not a mapping.
  throw internalError(
    'TypeError',
    `frappe.model.document.Document() argument after ** must be a mapping, not ${pyType(parsed)}`,
    '',
  );
}

function pyType(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return 'str';
}
