import type { HookRegistry } from '../hooks.js';
import { registerContactHooks } from './contact.js';
import { registerCustomerHooks } from './customer.js';
import { registerCustomFieldExistsHook } from './custom-field.js';
import { registerItemHooks } from './item.js';
import { registerItemPriceHooks } from './item-price.js';
import { registerUserHooks } from './user.js';

/** The framework-level controllers the simulator ships; business logic registers more. */
export function registerFrameworkHooks(hooks: HookRegistry): void {
  registerItemHooks(hooks);
  registerItemPriceHooks(hooks);
  registerCustomerHooks(hooks);
  registerContactHooks(hooks);
  registerUserHooks(hooks);
  registerCustomFieldExistsHook(hooks);
}
