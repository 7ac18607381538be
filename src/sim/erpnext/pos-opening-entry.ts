import type { Doc } from '../doc.js';
import { cint, cstr } from '../doc.js';
import type { HookRegistry } from '../hooks.js';

/** POSOpeningEntry.set_status: Draft, Open, Closed (once a closing entry links it), Cancelled. */
function openingStatus(doc: Doc): string {
  const docstatus = cint(doc['docstatus']);
  if (docstatus === 2) return 'Cancelled';
  if (docstatus === 1) return cstr(doc['pos_closing_entry']) ? 'Closed' : 'Open';
  return 'Draft';
}

/** ERPNext's POS Opening Entry controller: the status follows submission and closing. */
export function registerPosOpeningEntry(hooks: HookRegistry): void {
  const setStatus = (doc: Doc): void => {
    doc['status'] = openingStatus(doc);
  };
  hooks.register('POS Opening Entry', {
    validate: setStatus,
    beforeSubmit: (doc) => {
      doc['status'] = openingStatus({ ...doc, docstatus: 1 });
    },
    beforeCancel: (doc) => {
      doc['status'] = 'Cancelled';
    },
  });
}
