import { JournalError } from './errors.js';
import type { AppendInput } from './journal.js';
import type { RecordType } from './record.js';
import { RecordTypes, parseKeyRotationBody, totalsProblem } from './record.js';
import { isUuidV7 } from './uuid7.js';

const NEEDS_TOTALS: readonly RecordType[] = ['sale', 'return', 'void'];
const NEEDS_INVOICE_NO: readonly RecordType[] = ['sale', 'return'];

/** Refuses a malformed record before anything is written. */
export function checkInput(input: AppendInput): void {
  const bad = (message: string) => new JournalError('InvalidRecord', message);
  if (!Object.hasOwn(RecordTypes, input.type)) throw bad(`unknown record type ${input.type}`);
  if (input.totals !== undefined) {
    const problem = totalsProblem(input.totals);
    if (problem !== null) throw bad(problem);
  } else if (NEEDS_TOTALS.includes(input.type)) {
    throw bad(`a ${input.type} record needs totals`);
  }
  // A sign slip would corrupt the perpetual grand total forever: refuse it here.
  const gt = input.totals?.grand_total;
  if (input.type === 'sale' && gt?.startsWith('-')) throw bad('a sale has a grand total ≥ 0');
  if (
    (input.type === 'return' || input.type === 'void') &&
    gt !== undefined &&
    !isNonPositive(gt)
  ) {
    throw bad(`a ${input.type} has a grand total ≤ 0`);
  }
  if (input.invoice_no === '') throw bad('invoice_no must not be empty');
  if (input.invoice_no === undefined && NEEDS_INVOICE_NO.includes(input.type)) {
    throw bad(`a ${input.type} record needs invoice_no`);
  }
  if (input.uuid !== undefined && !isUuidV7(input.uuid)) throw bad('uuid must be a UUIDv7');
  if (input.type === 'key_rotation') {
    const body = parseKeyRotationBody(input.body);
    if (typeof body === 'string') throw bad(body);
  }
}

const isNonPositive = (decimal: string): boolean =>
  decimal.startsWith('-') || /^0(\.0+)?$/.test(decimal);
