/** The fiscal journal: append-only, hash-chained, signed records and their verifier. */
export { canonicalize, CanonicalJsonError } from './canonical.js';
export { type Clock, systemClock } from './clock.js';
export { GENESIS_PREV_HASH, sha256Hex } from './digest.js';
export { JournalError } from './errors.js';
export {
  type Signer,
  type TerminalKey,
  type PublicKeyExport,
  generateTerminalKey,
  exportPublicKey,
  importPublicKey,
  keyIdOf,
  publicKeyRaw,
  verifySignature,
} from './keys.js';
export {
  KeyFileError,
  type ScryptParams,
  DEFAULT_SCRYPT,
  saveTerminalKey,
  savePlainTerminalKey,
  isEncryptedKeyFile,
  loadTerminalKey,
} from './keyfile.js';
export { type Header, type Totals } from './record.js';
export {
  migrateJournal,
  JOURNAL_TRIGGERS,
  JOURNAL_DDL,
  JOURNAL_DDL_V1,
  JOURNAL_PER_TERMINAL_SQL,
} from './schema.js';
export {
  appendRecord,
  journalWriter,
  type JournalWriter,
  readHead,
  type AppendInput,
  type JournalRecord,
} from './journal.js';
export { readRecords, readRecord, readRecordByInvoiceNo, perpetualGrandTotal } from './read.js';
export {
  type VerifiedRecord,
  type VerifiedRead,
  readVerifiedRecord,
  readVerifiedRecordByInvoiceNo,
} from './read-verified.js';
export { rotateKey } from './rotation.js';
export { type Problem, type VerifyResult } from './problems.js';
export { verifyJournal, verifyJournalFile } from './verify.js';
export { signHead, readHeadFile, advanceHeadFile, writeHeadFile } from './anchor.js';
export { exportJournal } from './export.js';
export { verifyExport, verifyExportFile } from './export-verify.js';
export { uuidv7, isUuidV7 } from './uuid7.js';
export { hashCode, parseReceiptCode, receiptCode, type ReceiptCode } from './receipt-code.js';
