import type { Master } from '../core/index.js';
import { uuidv7 } from '../journal/index.js';
import {
  customerWithContact,
  freeCustomerName,
  insertLocalCustomer,
  type LocalCustomer,
  type NewLocalCustomer,
} from '../store/customers-local.js';
import type { Cashier } from './cashiers.js';
import { checkContact, type NewCustomerInput } from './customers-input.js';
import { invalid, PosError } from './errors.js';
import type { Terminal } from './terminal.js';

export type { NewCustomerInput } from './customers-input.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Creates a customer at the till, online or not: searchable and sellable to at once, and queued
 * for ERPNext (`pushCustomers` in src/sync/push). One IMMEDIATE transaction writes the signed
 * journal record (`event` `customer_added`, its uuid the customer's), the customer_local row
 * and the customer's stand-in in the cache; a refusal writes nothing.
 *
 * The name is chosen as ERPNext would choose it (`freeCustomerName`: "Ann Lee", else
 * "Ann Lee - 1"), so the till never holds two customers under one name; ERPNext may still pick
 * another on push, and its answer then replaces the till's. A phone or e-mail that already
 * belongs to a customer the store knows is refused, naming that customer: sell to them.
 */
export function addCustomer(
  term: Terminal,
  input: NewCustomerInput,
  cashier?: Cashier,
): LocalCustomer {
  const contact = checkContact(input);
  const { master } = term.master.forCart([], '');
  const walkIn = term.doc('Customer', str(term.profile()['customer']));
  const customer_group = checkGroup(term, master, input.customer_group, walkIn);
  const territory = checkTerritory(master, input.territory, walkIn);
  const local = term.localTime();
  const loyalty_program = defaultLoyaltyProgram(master, customer_group, territory, local.date);
  return term.transact((tx) => {
    // Inside the write lock: another till process cannot take the name or contact meanwhile.
    const holder = customerWithContact(term.db, contact);
    if (holder) {
      const what = holder.field === 'mobile_no' ? 'phone' : 'e-mail';
      throw invalid(
        holder.field,
        `this ${what} is already customer ${holder.name}'s: sell to ${holder.name}`,
      );
    }
    const name = freeCustomerName(term.db, contact.customer_name);
    if (master.get('Customer Group', name)) {
      // ERPNext's Customer.validate_name_with_customer_group refuses it on save.
      throw invalid(
        'customer_name',
        `A Customer Group exists with same name please change the Customer name (${name})`,
      );
    }
    const uuid = uuidv7(term.clock.now());
    const body = {
      uuid,
      name,
      ...contact,
      customer_group,
      territory,
      loyalty_program,
    };
    const record = tx.append({
      type: 'event',
      uuid,
      body: {
        event: 'customer_added',
        customer: body,
        ...(cashier ? { cashier: { id: cashier.id, name: cashier.name } } : {}),
      },
    });
    const row: NewLocalCustomer = {
      ...body,
      created_at: record.header.time,
      seq: record.seq,
    };
    insertLocalCustomer(term.db, row, `${local.date} ${local.time}`);
    return { ...row, erpnext_name: '', state: 'pending', attempts: 0, last_error: '' };
  });
}

/**
 * The customer group: the one given, else the walk-in customer's (the group the till prices
 * anonymous sales at). It must be pulled, and inside the POS Profile's customer groups when the
 * profile names some (ERPNext's POS lists only those customers, and the pull fetches only them).
 */
function checkGroup(
  term: Terminal,
  master: Master,
  given: string | undefined,
  walkIn: Record<string, unknown> | undefined,
): string {
  const group = given?.trim() || str(walkIn?.['customer_group']);
  if (!group) {
    throw invalid(
      'customer_group',
      'required: the POS Profile has no default customer to take it from',
    );
  }
  if (!master.get('Customer Group', group)) {
    throw invalid('customer_group', `Could not find Customer Group: ${group}`);
  }
  const rows = term.profile()['customer_groups'];
  const allowed = (Array.isArray(rows) ? rows : [])
    .map((r) => str((r as Record<string, unknown>)['customer_group']))
    .filter((g) => g !== '')
    .flatMap((g) => master.descendants('Customer Group', g, 'parent_customer_group'));
  if (allowed.length > 0 && !allowed.includes(group)) {
    throw new PosError(
      'InvalidInput',
      `customer_group: ${group} is not one of this POS Profile's customer groups (${[...new Set(allowed)].join(', ')})`,
      'customer_group',
    );
  }
  return group;
}

function checkTerritory(
  master: Master,
  given: string | undefined,
  walkIn: Record<string, unknown> | undefined,
): string {
  const territory = given?.trim() || str(walkIn?.['territory']);
  if (territory && !master.get('Territory', territory)) {
    throw invalid('territory', `Could not find Territory: ${territory}`);
  }
  return territory;
}

/**
 * The loyalty program ERPNext gives a new customer (Customer.set_loyalty_program,
 * erpnext/selling/doctype/customer/customer.py): among the auto opt-in programs in force today,
 * those whose customer group and territory (each the named node or one of its direct children:
 * get_nested_links reads one level of the tree) take the customer; exactly one is set, several
 * leave it blank for a person to choose. Only the programs of the profile's company are pulled.
 */
export function defaultLoyaltyProgram(
  master: Master,
  group: string,
  territory: string,
  today: string,
): string {
  const nested = (doctype: string, parentField: string, node: string): string[] => [
    node,
    ...master
      .all(doctype)
      .filter((f) => f.str(parentField) === node)
      .map((f) => f.str('name')),
  ];
  const fits = master.all('Loyalty Program').filter((p) => {
    if (!p.bool('auto_opt_in')) return false;
    const from = p.str('from_date');
    const to = p.str('to_date') || '2500-01-01';
    if (!from || from > today || to < today) return false;
    const g = p.str('customer_group');
    const t = p.str('customer_territory');
    return (
      (!g || nested('Customer Group', 'parent_customer_group', g).includes(group)) &&
      (!t || nested('Territory', 'parent_territory', t).includes(territory))
    );
  });
  return fits.length === 1 ? (fits[0]?.str('name') ?? '') : '';
}
