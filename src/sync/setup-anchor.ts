import { SHIFT_ANCHOR_DOCTYPE, SHIFT_ANCHOR_FIELDS as F } from '../erpnext/push-shift.js';
import type { DoctypeDefinition } from './setup-doctypes.js';

const once = { reqd: 1, set_only_once: 1 } as const;

/**
 * Where a shift's chain anchor lands in the `sales_invoice` mode (one record per closed shift,
 * named by its shift_uuid; src/sync/push/shift-anchor.ts writes it, `outpost audit` and the
 * high-water mark read it). Not submittable: the signed Z report is what vouches for it, and
 * `set_only_once` with `track_changes` make an edit in the form visible. Texts stay texts: the
 * perpetual total is the signed decimal string, never a float Currency.
 */
export const ANCHOR_DOCTYPE_DEFINITION: DoctypeDefinition = {
  name: SHIFT_ANCHOR_DOCTYPE,
  module: 'Custom',
  custom: 1,
  autoname: `field:${F.shiftUuid}`,
  naming_rule: 'By fieldname',
  track_changes: 1,
  description:
    "Chain anchors of Outpost shifts pushed in the sales_invoice mode, one per closed shift (its signed Z report); `outpost audit` checks every terminal's invoices against them.",
  fields: [
    { fieldname: F.shiftUuid, label: 'Shift UUID', fieldtype: 'Data', unique: 1, ...once },
    { fieldname: F.terminal, label: 'Terminal', fieldtype: 'Data', in_list_view: 1, ...once },
    { fieldname: F.firstSeq, label: 'First Seq', fieldtype: 'Int', in_list_view: 1, ...once },
    { fieldname: F.lastSeq, label: 'Last Seq', fieldtype: 'Int', in_list_view: 1, ...once },
    { fieldname: F.headHash, label: 'Head Hash', fieldtype: 'Data', ...once },
    { fieldname: F.perpetualTotal, label: 'Perpetual Grand Total', fieldtype: 'Data', ...once },
    { fieldname: F.signedHeader, label: 'Signed Header', fieldtype: 'Small Text', ...once },
    { fieldname: F.signedBody, label: 'Signed Z Report', fieldtype: 'Long Text', ...once },
    { fieldname: F.signature, label: 'Signature', fieldtype: 'Small Text', ...once },
    { fieldname: F.keyId, label: 'Key ID', fieldtype: 'Data', ...once },
    { fieldname: F.periodStart, label: 'Period Start Date', fieldtype: 'Datetime', ...once },
    { fieldname: F.postingDate, label: 'Posting Date', fieldtype: 'Date', ...once },
    { fieldname: F.postingTime, label: 'Posting Time', fieldtype: 'Time', ...once },
  ],
  // DocPerm defaults write, create and delete to 1 (docperm.json): each is stated.
  permissions: [
    { role: 'System Manager', read: 1, write: 1, create: 1, delete: 1 },
    // The sync user (Accounts Manager for ignore_pricing_rule) pushes the anchors.
    { role: 'Accounts Manager', read: 1, write: 0, create: 1, delete: 0 },
    { role: 'Auditor', read: 1, write: 0, create: 0, delete: 0 },
  ],
};
