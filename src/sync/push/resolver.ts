import { resolveCustomer } from '../../store/customers-local.js';
import type { Db } from '../../store/db.js';
import type { CustomerResolver } from './types.js';

/**
 * The till's customers as ERPNext knows them (customer_local): a customer created here holds
 * its invoices until it has been pushed or matched, in review included; then the invoices carry
 * ERPNext's name, which may differ from the till's ("Ann Lee - 1", or the customer it matched).
 * Every other name is ERPNext's own, pulled from it.
 */
export function tillCustomers(db: Db): CustomerResolver {
  return {
    resolve(tillName) {
      const c = resolveCustomer(db, tillName);
      return c.kind === 'erpnext' ? c : { kind: 'pending' };
    },
  };
}
