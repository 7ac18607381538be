import { invalid } from './errors.js';

/** A customer as the cashier (or the till's API) gives it; ERPNext's field names. */
export interface NewCustomerInput {
  readonly customer_name: string;
  readonly mobile_no?: string | undefined;
  readonly email_id?: string | undefined;
  /** Default: the group of the POS Profile's walk-in customer. */
  readonly customer_group?: string | undefined;
  /** Default: the territory of the POS Profile's walk-in customer. */
  readonly territory?: string | undefined;
}

export interface CheckedContact {
  readonly customer_name: string;
  readonly mobile_no: string;
  readonly email_id: string;
}

/** Customer.customer_name is Data: varchar(140), as the name ERPNext derives from it. */
const MAX_NAME = 140;

/** Frappe's PHONE_NUMBER_PATTERN (frappe/utils/__init__.py), matched against the whole value. */
const PHONE = /^[0-9 +_\-,.*#()]{1,20}$/;

/** Frappe's EMAIL_MATCH_PATTERN (frappe/utils/__init__.py), here for exactly one address. */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

// Control characters: a name or contact typed at a till never holds one; a pasted one would
// break receipts and ERPNext's list views.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks what the cashier typed as ERPNext would refuse it on insert, before anything is
 * written: the name (required, at most 140 characters, none of `<>`, frappe.model.naming's
 * validate_name), the phone (Frappe's validate_phone_number) and the e-mail (validate_email_address,
 * one address). Errors name the field.
 */
export function checkContact(input: NewCustomerInput): CheckedContact {
  const customer_name = (input.customer_name ?? '').trim().replace(/\s+/g, ' ');
  if (!customer_name) throw invalid('customer_name', 'required');
  if (customer_name.length > MAX_NAME) {
    throw invalid('customer_name', `at most ${MAX_NAME} characters (got ${customer_name.length})`);
  }
  if (/[<>]/.test(customer_name)) {
    throw invalid('customer_name', "Name cannot contain special characters like '<', '>'");
  }
  if (CONTROL.test(input.customer_name)) {
    throw invalid('customer_name', 'must not contain control characters');
  }
  if (customer_name === 'Customer' || customer_name.startsWith('New Customer')) {
    throw invalid('customer_name', `ERPNext does not accept ${JSON.stringify(customer_name)}`);
  }
  const mobile_no = (input.mobile_no ?? '').trim();
  if (mobile_no && !PHONE.test(mobile_no)) {
    throw invalid(
      'mobile_no',
      `${mobile_no} is not a valid Phone Number (up to 20 digits, spaces and + - . , ( ) * # _)`,
    );
  }
  const email_id = (input.email_id ?? '').trim();
  if (email_id && (CONTROL.test(email_id) || !EMAIL.test(email_id))) {
    throw invalid('email_id', `${email_id} is not a valid Email Address`);
  }
  return { customer_name, mobile_no, email_id };
}
