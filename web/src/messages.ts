import { UNREACHABLE, type ApiError } from './api/client';

/**
 * The cashier-facing text for what the node refused: chosen here, in the screen (the node's
 * message is for operators and logs, and is shown only when no better one exists).
 */
const TEXT: Readonly<Record<string, string>> = {
  [UNREACHABLE]: 'The store node does not answer. The cart is kept; try again in a moment.',
  AuthenticationFailed: 'Wrong cashier or PIN.',
  LockedOut: 'Too many wrong PINs: this cashier is locked for a while.',
  SessionExpired: 'Your session ended. Log in again.',
  DeviceUnknown: 'This terminal is not paired with the store node.',
};

export function message(e: ApiError): string {
  return TEXT[e.kind] ?? e.message;
}
