import { randomBytes } from 'node:crypto';

/** One entry of Frappe's `_server_messages` list (each is JSON-encoded again on the wire). */
export type ServerMessage = Readonly<Record<string, string | number>>;

interface ErrorInit {
  /** Messages as Frappe would queue them with msgprint/throw. */
  readonly messages?: readonly ServerMessage[];
  /** Text after "frappe.exceptions.X: "; `null` omits `exception` and `exc` (Frappe does for 404/400). */
  readonly detail?: string | null;
  /** Module path in `exception`, e.g. "pymysql.err" for OperationalError. */
  readonly module?: string;
  /** Extra top-level body keys (e.g. `session_expired`, `_error_message`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** ERPNext raised it (Frappe then adds `_exc_source`). */
  readonly fromErpnext?: boolean;
}

/**
 * A Frappe exception: `excType` is the Python class name, `status` its http_status_code.
 * Everything the wire body needs travels with it; the HTTP edge only serializes.
 */
export class FrappeError extends Error {
  readonly messages: readonly ServerMessage[];
  readonly detail: string | null;
  readonly module: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly fromErpnext: boolean;

  constructor(
    readonly excType: string,
    readonly status: number,
    message: string,
    init: ErrorInit = {},
  ) {
    super(message);
    this.name = excType;
    this.messages = init.messages ?? [];
    this.detail = init.detail === undefined ? message : init.detail;
    this.module = init.module ?? 'frappe.exceptions';
    this.extra = init.extra ?? {};
    this.fromErpnext = init.fromErpnext ?? false;
  }
}

/** The message `frappe.throw` queues: red, raise_exception, with a random exc id. */
export function thrownMessage(message: string, title = 'Message'): ServerMessage {
  return {
    message,
    title,
    indicator: 'red',
    raise_exception: 1,
    __frappe_exc_id: randomBytes(28).toString('hex'),
  };
}

/** The message plain `msgprint` queues. */
export function printedMessage(message: string, title = 'Message'): ServerMessage {
  return { message, title };
}

const statusOf = {
  ValidationError: 417,
  MandatoryError: 417,
  LinkValidationError: 417,
  TimestampMismatchError: 417,
  UniqueValidationError: 417,
  DocstatusTransitionError: 417,
  UpdateAfterSubmitError: 417,
  CannotChangeConstantError: 417,
  LinkExistsError: 417,
  DataError: 417,
  DoesNotExistError: 404,
  PermissionError: 403,
  AuthenticationError: 401,
  CSRFTokenError: 400,
  DuplicateEntryError: 409,
} as const;

/** Frappe exception class names this simulator raises with their HTTP status. */
type FrappeExcType = keyof typeof statusOf;

/** `frappe.throw(message, exc)`: the usual way validation fails. */
export function throwError(
  excType: FrappeExcType,
  message: string,
  opts: { title?: string; fromErpnext?: boolean } = {},
): FrappeError {
  return new FrappeError(excType, statusOf[excType], message, {
    messages: [thrownMessage(message, opts.title)],
    fromErpnext: opts.fromErpnext ?? false,
  });
}

/** `raise frappe.X(message)` without a queued message (no `_server_messages`). */
export function raiseError(excType: FrappeExcType, message: string): FrappeError {
  return new FrappeError(excType, statusOf[excType], message);
}

/** A non-Frappe Python exception: HTTP 500 (e.g. JSONDecodeError, KeyError, OperationalError). */
export function internalError(excType: string, detail: string, module?: string): FrappeError {
  return new FrappeError(excType, 500, detail, module === undefined ? {} : { module });
}

/** `frappe.DoesNotExistError`: "{doctype} {name} not found", 404 without traceback. */
export function notFound(doctype: string, name: string): FrappeError {
  return doesNotExist(`${doctype} ${name} not found`);
}

/** A 404 DoesNotExistError with a thrown message; Frappe sends no traceback for these. */
export function doesNotExist(message: string): FrappeError {
  return new FrappeError('DoesNotExistError', 404, message, {
    messages: [thrownMessage(message)],
    detail: null,
  });
}

/** A ValidationError subclass defined by ERPNext (e.g. ItemPriceDuplicateItem), thrown: 417. */
export function erpnextValidationError(
  excType: string,
  module: string,
  message: string,
): FrappeError {
  return new FrappeError(excType, 417, message, {
    module,
    messages: [thrownMessage(message)],
    fromErpnext: true,
  });
}
