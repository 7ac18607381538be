/** The till: cashiers, shifts, sales, returns and receipts on the store database and journal. */
export { PosError } from './errors.js';
export { parseSettings, storeIdFrom } from './settings.js';
export { Terminal, type Tx } from './terminal.js';
export {
  type Cashier,
  addCashier,
  authenticate,
  authenticateManager,
  forceOffline,
} from './cashiers.js';
export { openShift, xReport, closeShift, amountsPerMode } from './shift.js';
export { type CartLine, type Cart, quoteDraft, refuseStrayRates } from './cart.js';
export { sell, sellGrouped } from './sale.js';
export { CommitQueue, type CommitTiming } from './commit-queue.js';
export { type Payment } from './payment.js';
export { priceCart, quoteDue } from './price-cart.js';
export { returnSale, type ReturnResult } from './returns.js';
export { returnWithoutReceipt } from './unreceipted-return.js';
export { returnAgainstRemote, type RemoteReturnResult, type RemoteSale } from './remote-return.js';
export { codeInJournal, printReceipt, invoiceFromScan, scannedInvoiceNo } from './receipts.js';
export { outboxDocument, outboxEntry, type OutboxEntry, type SignedFacts } from './outbox.js';
export { exchange } from './exchange.js';
export { decideReview, type ReviewAction, type ReviewDecision } from './review.js';
export {
  acknowledgeChainBehind,
  assertChainCurrent,
  chainBehind,
  chainReadsOf,
  type Acknowledgement,
} from './chain.js';
export { forcedOfflineUntil, noteErpAnswer, recordConnectivity } from './connectivity.js';
