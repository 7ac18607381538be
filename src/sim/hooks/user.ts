import { randomBytes } from 'node:crypto';
import { setSecret } from '../auth.js';
import type { Doc } from '../doc.js';
import { cstr, rowsOf } from '../doc.js';
import type { HookRegistry } from '../hooks.js';

/**
 * Frappe's User controller, reduced: named by email, full name from its parts, passwords and
 * API secrets kept out of the document (hashed / stored aside like Frappe's __Auth table).
 */
export function registerUserHooks(hooks: HookRegistry): void {
  const keepSecrets = (
    doc: Doc,
    ctx: Parameters<NonNullable<Parameters<HookRegistry['register']>[1]['validate']>>[1],
  ): void => {
    const name = cstr(doc['name']);
    if (doc['new_password']) setSecret(ctx.db, name, 'password', cstr(doc['new_password']));
    doc['new_password'] = '';
    const secret = cstr(doc['api_secret']);
    if (secret && !/^\*+$/.test(secret)) {
      setSecret(ctx.db, name, 'api_secret', secret);
      doc['api_secret'] = '*'.repeat(secret.length);
    }
  };
  hooks.register('User', {
    beforeInsert: (doc, ctx) => {
      const settings = ctx.db.get('System Settings', 'System Settings')?.data ?? {};
      doc['language'] ??= settings['language'];
      doc['time_zone'] ??= settings['time_zone'];
      // Frappe links every user to the built-in "frappe" login provider.
      doc['social_logins'] = [{ provider: 'frappe', userid: randomBytes(20).toString('hex') }];
    },
    autoname: (doc) => (doc['email'] ? cstr(doc['email']).trim().toLowerCase() : undefined),
    validate: (doc, ctx) => {
      doc['full_name'] = [doc['first_name'], doc['middle_name'], doc['last_name']]
        .filter((x) => x)
        .map(cstr)
        .join(' ');
      if (!doc['username'] && doc['first_name']) {
        doc['username'] = cstr(doc['first_name'])
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '_');
      }
      doc['roles'] = rowsOf(doc, 'roles');
      keepSecrets(doc, ctx);
    },
  });
}
