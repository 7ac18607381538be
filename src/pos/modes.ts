import { PosError } from './errors.js';
import type { Terminal } from './terminal.js';
import { str } from './fields.js';

type Rec = Record<string, unknown>;

/** The modes of payment the POS Profile accepts, in its order, with their types. */
export interface ProfileModes {
  readonly names: readonly string[];
  readonly default: string;
  /** Mode name -> Mode of Payment type (Cash, Bank, General, Phone). */
  readonly typeOf: (mode: string) => string;
  /** The mode change is given in: the profile's default if it is cash, else its first cash mode. */
  readonly cash: string | null;
}

export function profileModes(term: Terminal): ProfileModes {
  const profile = term.profile();
  const rows = (Array.isArray(profile['payments']) ? profile['payments'] : []) as Rec[];
  const names = rows.map((r) => str(r['mode_of_payment'])).filter(Boolean);
  if (names.length === 0) {
    throw new PosError('NotReady', `POS Profile ${term.posProfile} has no modes of payment`);
  }
  const typeOf = (mode: string): string =>
    str(term.doc('Mode of Payment', mode)?.['type']) || (mode === 'Cash' ? 'Cash' : 'General');
  const def =
    str(rows.find((r) => Number(r['default']) === 1)?.['mode_of_payment']) || (names[0] ?? '');
  const cash = typeOf(def) === 'Cash' ? def : (names.find((n) => typeOf(n) === 'Cash') ?? null);
  return { names, default: def, typeOf, cash };
}

/** Refuses a mode the profile does not accept, naming the ones it does. */
export function checkMode(modes: ProfileModes, mode: string, field: string): void {
  if (!modes.names.includes(mode)) {
    throw new PosError(
      'NotFound',
      `${field}: ${mode} is not a mode of payment of this POS Profile (${modes.names.join(', ')})`,
      field,
    );
  }
}
