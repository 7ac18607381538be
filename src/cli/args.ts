import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command-line mistake: the message names the flag and the problem. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The flag at fault: given, or read from a message that starts with it (`--pay: ...`). */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field ?? /^(--[a-z-]+)[:\s]/.exec(message)?.[1];
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict flag parsing; unknown flags and missing values become UsageErrors. */
export function flags<O extends Options>(
  argv: readonly string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function required(value: string | undefined, flag: string, what: string): string {
  if (!value) throw new UsageError(`${flag}: required (${what})`);
  return value;
}
