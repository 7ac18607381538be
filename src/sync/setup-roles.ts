import { z } from 'zod';
import type { ErpClient } from '../erpnext/client.js';
import { readAnswer } from '../erpnext/answers.js';
import { KEY_DOCTYPE } from './setup-keys.js';

/**
 * What the sync user must be allowed to do in ERPNext, each with the standard roles that allow
 * it. The roles are read from ERPNext v15's DocPerm tables (the doctype JSON in
 * ../shared/erpnext-schema/): a site whose Role Permissions Manager changed them may differ.
 */
interface Need {
  readonly why: string;
  /** Roles that grant it in a standard ERPNext v15 site, the least powerful first. */
  readonly anyOf: readonly string[];
}

export const ROLE_NEEDS: readonly Need[] = [
  {
    why: 'create and submit POS Invoices (pos_invoice.json: Accounts User or Accounts Manager)',
    anyOf: ['Accounts User', 'Accounts Manager'],
  },
  {
    why: 'write ignore_pricing_rule on POS Invoice (permlevel 1, Accounts Manager only): without it ERPNext silently resets the flag to 0 and re-prices the sale',
    anyOf: ['Accounts Manager'],
  },
  {
    why: 'cancel the POS Invoice or Sales Invoice of a voided sale (Accounts User may not cancel)',
    anyOf: ['Accounts Manager'],
  },
  {
    why: 'delete the draft of a document ERPNext refused on submit, so no sale is left parked as a draft (pos_invoice.json, sales_invoice.json: delete is Accounts Manager only)',
    anyOf: ['Accounts Manager'],
  },
  {
    why: 'create and submit Sales Invoices (posting mode sales_invoice; sales_invoice.json)',
    anyOf: ['Accounts User', 'Accounts Manager'],
  },
  {
    why: 'create and submit POS Opening and POS Closing Entries (shifts; the closing consolidates): Sales Manager or System Manager',
    anyOf: ['Sales Manager', 'System Manager'],
  },
  {
    why: 'create Customers made at the till (customer.json: Sales User or Sales Master Manager)',
    anyOf: ['Sales User', 'Sales Master Manager'],
  },
  {
    why: 'read Loyalty Point Entries to reconcile points (loyalty_point_entry.json)',
    anyOf: ['Accounts User', 'Accounts Manager', 'Auditor'],
  },
  {
    why: 'read stock levels (Bin) for the pull; posting stock needs no stock role (ERPNext writes Stock Ledger Entries itself)',
    anyOf: ['Sales User', 'Sales Manager', 'Stock User', 'Stock Manager'],
  },
  {
    why: `register a rotated terminal key (${KEY_DOCTYPE}: create)`,
    anyOf: ['Accounts Manager', 'System Manager'],
  },
];

/** Installing Custom Fields and the key DocType (this command's own writes). */
export const SETUP_ROLE = 'System Manager';

/** One role the user lacks and what it is needed for. */
export interface MissingRole {
  readonly role: string;
  readonly needed_for: readonly string[];
}

export interface RoleReport {
  readonly user: string;
  readonly roles: readonly string[];
  /** Roles to add, each covering as many unmet needs as possible. */
  readonly missing: readonly MissingRole[];
  /** Whether this user may install Custom Fields and the DocType (System Manager). */
  readonly can_install: boolean;
}

const RolesAnswer = z.array(z.string());

/**
 * The user's roles (`frappe.core.doctype.user.user.get_roles`, whitelisted for any logged-in
 * user, frappe/core/doctype/user/user.py) checked against ROLE_NEEDS. Administrator skips every
 * permission check in Frappe, permlevels included, so it lacks nothing.
 */
export async function checkRoles(erp: ErpClient, user: string): Promise<RoleReport> {
  const roles = readAnswer(
    RolesAnswer,
    await erp.call('frappe.core.doctype.user.user.get_roles', { uid: user }),
    'get_roles: message',
  );
  const admin = user === 'Administrator';
  const held = new Set(roles);
  const unmet = admin ? [] : ROLE_NEEDS.filter((n) => !n.anyOf.some((r) => held.has(r)));
  return {
    user,
    roles: [...roles].sort(),
    missing: coverWith(unmet),
    can_install: admin || held.has(SETUP_ROLE),
  };
}

/**
 * Greedy cover: the role that meets the most unmet needs first (ties: the first named in a
 * need, the least powerful), until every need is met. Deterministic, so reports compare.
 */
function coverWith(unmet: readonly Need[]): MissingRole[] {
  const out: MissingRole[] = [];
  let left = [...unmet];
  while (left.length > 0) {
    const candidates = [...new Set(left.flatMap((n) => n.anyOf))];
    const count = (role: string): number => left.filter((n) => n.anyOf.includes(role)).length;
    let best = candidates[0] ?? '';
    for (const c of candidates) if (count(c) > count(best)) best = c;
    out.push({
      role: best,
      needed_for: left.filter((n) => n.anyOf.includes(best)).map((n) => n.why),
    });
    left = left.filter((n) => !n.anyOf.includes(best));
  }
  return out;
}
