import { describe, expect, it } from 'vitest';
import { FrappeError, UnreachableError } from '../../src/erpnext/errors.js';
import { classify } from '../../src/sync/push/classify.js';

const refused = (message: string, excType = 'ValidationError', status = 417) =>
  classify(new FrappeError(status, excType, message));

describe('classify: what a failed request means for the work', () => {
  it('names the loyalty refusals apart: points spent before the sale arrived, and a return of points since spent', () => {
    // validate_loyalty_points, at a redeeming sale's insert (loyalty_program.py)
    expect(refused("You don't have enough Loyalty Points to redeem")).toMatchObject({
      kind: 'rejected',
      reason: "the customer's loyalty points were spent elsewhere before this sale reached ERPNext",
    });
    // delete_loyalty_point_entry, at the submit of a return or the cancel of a void (the words
    // ERPNext uses, with the invoices that spent the points)
    expect(
      refused(
        "POS Invoice can't be cancelled since the Loyalty Points earned has been redeemed. First cancel the POS Invoice No ACC-PSINV-2026-00007",
      ),
    ).toMatchObject({
      kind: 'rejected',
      reason:
        'the points this sale earned have since been spent (ERPNext names the invoices that spent them), and ERPNext refuses to return or cancel it while they stand: cancel those invoices first, or post this return by hand in ERPNext without reversing the points, then resolve it here',
    });
  });

  it('retries the moment, not the document', () => {
    expect(classify(new UnreachableError('http://erp', 'ECONNREFUSED'))).toEqual({
      kind: 'retryable',
      message: 'cannot reach ERPNext at http://erp: ECONNREFUSED',
    });
    expect(classify(new FrappeError(429, 'HTTP 429', 'slow down', undefined, 3_000))).toEqual({
      kind: 'retryable',
      message: 'ERPNext answered 429 HTTP 429: slow down',
      retryAfterMs: 3_000,
    });
    expect(
      refused('Document has been modified after you opened it', 'TimestampMismatchError'),
    ).toEqual({
      kind: 'retryable',
      message: 'TimestampMismatchError: Document has been modified after you opened it',
    });
    expect(refused('Not permitted', 'PermissionError', 403)).toMatchObject({
      kind: 'rejected',
      reason: 'the API user is not permitted to do this in ERPNext: give it the role ERPNext names',
    });
  });
});
