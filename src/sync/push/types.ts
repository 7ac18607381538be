import type { ErpDoc, ListQuery } from '../../erpnext/client.js';
import type { SignedFacts } from '../../erpnext/push-invoice.js';

type Rec = Record<string, unknown>;

/**
 * One outbox row ready to push, built from its VERIFIED journal record (the till's
 * `outboxEntry`). The push never reads a document from anywhere else.
 */
export interface PushEntry {
  readonly uuid: string;
  readonly seq: number;
  readonly doctype: string;
  /** insert: a sale or return; cancel: a void; document: a shift's opening or closing. */
  readonly action: 'insert' | 'cancel' | 'document';
  readonly document: Readonly<Rec>;
  readonly signed: SignedFacts;
  readonly body: Readonly<Rec>;
  readonly returnRows: readonly number[];
  readonly shiftUuid: string | null;
}

/**
 * Where the push reads its work. Contract: `entry` returns the row's document checked against
 * its signed journal record, or throws (a record that fails verification is never pushed).
 */
export interface PushSource {
  entry(uuid: string): PushEntry;
}

/** What a customer named on the till is in ERPNext. */
export type CustomerRef =
  { readonly kind: 'erpnext'; readonly name: string } | { readonly kind: 'pending' };

/**
 * Maps the till's customer name to ERPNext's. A customer created offline is `pending` until it
 * has been pushed; the invoices that name it wait for it.
 */
export interface CustomerResolver {
  resolve(tillName: string): CustomerRef;
}

/** Until customers can be created at the till, every name the till knows is ERPNext's. */
export const erpnextCustomers: CustomerResolver = {
  resolve: (name) => ({ kind: 'erpnext', name }),
};

/** The part of ERPNext's REST API the push uses (HttpErpClient implements it). */
export interface PushClient {
  loggedUser(): Promise<string>;
  list(doctype: string, query: ListQuery): Promise<ErpDoc[]>;
  get(doctype: string, name: string): Promise<ErpDoc>;
  insert(doctype: string, doc: ErpDoc): Promise<ErpDoc>;
  update(doctype: string, name: string, fields: ErpDoc): Promise<ErpDoc>;
  cancel(doctype: string, name: string): Promise<ErpDoc>;
  insertMany(docs: readonly ErpDoc[]): Promise<string[]>;
  delete(doctype: string, name: string): Promise<void>;
}

/** Time, injected: the loop's waits and the backoff's jitter are the test's to drive. */
export interface PushClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemPushClock: PushClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(t);
        resolve();
      }
      signal?.addEventListener('abort', done);
    }),
};
