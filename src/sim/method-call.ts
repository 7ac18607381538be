import { FrappeError, thrownMessage, throwError } from './errors.js';
import type { MethodCall, MethodDef, MethodReply } from './method-types.js';

function notWhitelisted(method: string, expired: boolean): FrappeError {
  const msg = `<details><summary>You are not permitted to access this resource. Login to access</summary>Function <strong>${method}</strong> is not whitelisted.</details>`;
  return new FrappeError('PermissionError', 403, msg, {
    messages: [thrownMessage(msg, 'Method Not Allowed')],
    extra: expired ? { session_expired: 1 } : {},
  });
}

/**
 * Frappe's handler.execute_cmd: an unknown dotted path is a ValidationError (417), Guest may
 * call only allow_guest methods (403, with session_expired for a stale sid), and a method
 * whitelisted for other HTTP verbs answers 403 "Not permitted".
 */
export function callMethod(
  methods: ReadonlyMap<string, MethodDef>,
  name: string,
  call: MethodCall,
): MethodReply {
  const def = methods.get(name);
  if (!def) {
    const mod = name.split('.').slice(0, -1).join('.');
    throw throwError(
      'ValidationError',
      `Failed to get method for command ${name} with No module named '${mod}'`,
    );
  }
  const p = call.principal;
  if (p.user === 'Guest' && !def.allowGuest) throw notWhitelisted(name, p.sessionExpired);
  if (def.httpMethods && !def.httpMethods.includes(call.httpMethod.toUpperCase())) {
    throw throwError('PermissionError', 'Not permitted');
  }
  return def.run(call);
}
