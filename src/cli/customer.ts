import { addCustomer } from '../pos/customers.js';
import { localCustomersByName, type LocalCustomer } from '../store/customers-local.js';
import { Lookup } from '../store/lookup.js';
import { flags, required, UsageError } from './args.js';
import type { Command, Io } from './command.js';
import { openContext } from './store-context.js';
import { openTill } from './till.js';

const help = `Usage: outpost customer add --data DIR --name NAME [--phone P] [--email E] [--group G] [--json]
       outpost customer search --data DIR --text TEXT [--json]

add: creates a customer at this till, online or not. It can be found and sold to at once
(\`outpost sell --customer NAME\`), and \`outpost sync --push\` sends it to ERPNext before any
sale that names it. The name is the one ERPNext would give: NAME, or "NAME - 1" when the store
already knows a customer called NAME. The group defaults to that of the POS Profile's walk-in
customer (so does the territory); the loyalty program is the one ERPNext would give the group.
A phone or e-mail that already belongs to a customer is refused, naming that customer. On push,
a customer ERPNext already has with that phone or e-mail is used instead of a new one, and
ERPNext's name replaces the till's. The creation is a signed journal record. Errors name the
field as ERPNext does: customer_name (--name), mobile_no (--phone), email_id (--email),
customer_group (--group).

search: customers by name, id, e-mail or phone (any ending), as the till finds them; those
created here and not yet in ERPNext show pending_push.
`;

const json = (io: Io, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

export const customerCommand: Command = {
  name: 'customer',
  summary: 'add a customer at the till (offline too), or search customers',
  help,
  run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'add') return Promise.resolve(add(rest, io));
    if (sub === 'search') return Promise.resolve(search(rest, io));
    throw new UsageError(`expected \`outpost customer add|search ...\`; got ${sub ?? 'nothing'}`);
  },
};

function add(argv: readonly string[], io: Io): number {
  const { values } = flags(argv, {
    data: { type: 'string' },
    name: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
    group: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = required(values.data, '--data', 'the store directory');
  if (values.name === undefined) throw new UsageError('--name: required (the customer name)');
  const till = openTill(dir);
  try {
    const c = addCustomer(till.term, {
      customer_name: values.name,
      mobile_no: values.phone,
      email_id: values.email,
      customer_group: values.group,
    });
    if (values.json) json(io, { customer: shown(c) });
    else {
      io.stdout(
        `customer ${c.name} added (${c.customer_group}${c.loyalty_program ? `, ${c.loyalty_program}` : ''}); ERPNext gets it on the next push\n`,
      );
    }
    return 0;
  } finally {
    till.close();
  }
}

const shown = (c: LocalCustomer) => ({
  name: c.name,
  customer_name: c.customer_name,
  customer_group: c.customer_group,
  territory: c.territory,
  mobile_no: c.mobile_no,
  email_id: c.email_id,
  loyalty_program: c.loyalty_program,
  uuid: c.uuid,
  seq: c.seq,
  created_at: c.created_at,
  state: c.state,
  erpnext_name: c.erpnext_name,
});

function search(argv: readonly string[], io: Io): number {
  const { values } = flags(argv, {
    data: { type: 'string' },
    text: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = required(values.data, '--data', 'the store directory');
  const text = required(values.text, '--text', 'a name, e-mail, id or phone');
  const { db } = openContext(dir, { readonly: true });
  try {
    const hits = new Lookup(db).customers(text);
    const local = localCustomersByName(
      db,
      hits.map((h) => h['name'] ?? ''),
    );
    const out: Record<string, string | boolean>[] = hits.map((h) => {
      const l = local.get(h['name'] ?? '');
      return l && l.state !== 'done' ? { ...h, pending_push: true, uuid: l.uuid } : h;
    });
    if (values.json) json(io, out);
    else if (out.length === 0) io.stderr('outpost customer: not found\n');
    else {
      for (const c of out) {
        const contact = [c['mobile_no'], c['email_id']].filter(Boolean).join(', ');
        const pending = 'pending_push' in c ? ' (not yet in ERPNext)' : '';
        io.stdout(
          `${c['name']}  ${c['customer_group']}${contact ? `  ${contact}` : ''}${pending}\n`,
        );
      }
    }
    return out.length === 0 ? 1 : 0;
  } finally {
    db.close();
  }
}
