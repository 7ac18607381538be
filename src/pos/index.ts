/** The till: cashiers, shifts, sales, returns and receipts on the store database and journal. */
export { PosError, PosErrorKinds, type PosErrorKind } from './errors.js';
export { type PosSettings, parseSettings, storeIdFrom, checkSeriesId } from './settings.js';
export { Terminal, type TerminalOptions, type LocalTime, type Tx } from './terminal.js';
export {
  type Cashier,
  type Role,
  addCashier,
  authenticate,
  authenticateManager,
  forceOffline,
} from './cashiers.js';
export {
  type Shift,
  type ShiftReport,
  type ZReport,
  type PerMode,
  currentShift,
  openShift,
  xReport,
  closeShift,
  shiftReport,
  amountsPerMode,
} from './shift.js';
export { type CartLine, type Cart, quoteDraft, refuseStrayRates } from './cart.js';
export { type SaleInput, type SaleResult, sell } from './sale.js';
export { type Payment } from './payment.js';
export { type PricedCart, priceCart } from './price-cart.js';
export { type ReturnInput, type ReturnResult, returnSale } from './returns.js';
export { type UnreceiptedReturnInput, returnWithoutReceipt } from './unreceipted-return.js';
export {
  receiptOf,
  receiptRecord,
  issueReceipt,
  printReceipt,
  verificationPayload,
  invoiceFromScan,
} from './receipts.js';
export {
  outboxDocument,
  outboxEntry,
  type FromJournal,
  type OutboxEntry,
  type SignedFacts,
} from './outbox.js';
export { type ExchangeInput, type ExchangeResult, exchange } from './exchange.js';
