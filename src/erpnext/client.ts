import { z } from 'zod';
import {
  CountAnswer,
  DocAnswer,
  ErpDocSchema,
  ListAnswer,
  MethodAnswer,
  readAnswer,
  readErrorBody,
  readJsonAnswer,
  serverMessages,
} from './answers.js';
import { FrappeError, UnreachableError } from './errors.js';

export type ErpDoc = z.output<typeof ErpDocSchema>;
export type Filter = [string, string, unknown] | [string, string, string, unknown];

export interface ListQuery {
  readonly fields?: readonly string[];
  readonly filters?: readonly Filter[];
  readonly or_filters?: readonly Filter[];
  readonly order_by?: string;
  readonly limit_start?: number;
  readonly limit_page_length?: number;
  /** Required by Frappe to list a child doctype: the parent doctype. */
  readonly parent?: string;
}

/**
 * What Outpost needs from ERPNext. Implemented over HTTP (Frappe REST v1); the contract is the
 * recorded behaviour of ERPNext v15, which the simulator also serves.
 */
export interface ErpClient {
  readonly baseUrl: string;
  /** The user the credentials act as; throws FrappeError 401 on bad credentials. */
  loggedUser(): Promise<string>;
  ping(): Promise<void>;
  list(doctype: string, query: ListQuery): Promise<ErpDoc[]>;
  /**
   * The same list through POST /api/method/frappe.client.get_list: for long filters (e.g. 1,000
   * parent names) that would overflow a URL (servers answer 414/431 past ~8–16 KB).
   */
  listLong(doctype: string, query: ListQuery): Promise<ErpDoc[]>;
  get(doctype: string, name: string): Promise<ErpDoc>;
  count(doctype: string, filters?: readonly Filter[]): Promise<number>;
  insert(doctype: string, doc: ErpDoc): Promise<ErpDoc>;
  /** PUT: a partial update of the sent fields (`{docstatus: 1}` submits a draft). */
  update(doctype: string, name: string, fields: ErpDoc): Promise<ErpDoc>;
  /** frappe.client.cancel: docstatus 2 (cancelling a cancelled document is refused, 417). */
  cancel(doctype: string, name: string): Promise<ErpDoc>;
  /**
   * frappe.client.insert_many: up to 200 documents in one request and one transaction: all are
   * inserted or, if one fails, none (recordings 115-117). ERPNext's names, in the docs' order.
   */
  insertMany(docs: readonly ErpDoc[]): Promise<string[]>;
  /** DELETE /api/resource: a draft goes (a Deleted Document keeps its copy); a submitted one is refused. */
  delete(doctype: string, name: string): Promise<void>;
  call(method: string, args?: ErpDoc): Promise<unknown>;
  /**
   * The server's clock as its last answer stated it (the HTTP `Date` header, to the second), or
   * null before any answer or when the server sends none.
   */
  serverTime?(): Date | null;
}

interface HttpClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Per-request timeout; a slow link counts as offline past it. */
  readonly timeoutMs?: number;
}

export class HttpErpClient implements ErpClient {
  readonly baseUrl: string;
  private readonly auth: string;
  private readonly timeoutMs: number;
  private lastServerTime: Date | null = null;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.auth = `token ${options.apiKey}:${options.apiSecret}`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  serverTime(): Date | null {
    return this.lastServerTime;
  }

  async loggedUser(): Promise<string> {
    const path = '/api/method/frappe.auth.get_logged_user';
    const r = await this.request('GET', path);
    return readAnswer(MethodAnswer(z.string()), r, `GET ${path}`).message;
  }

  async ping(): Promise<void> {
    const path = '/api/method/ping';
    readAnswer(MethodAnswer(z.string()), await this.request('GET', path), `GET ${path}`);
  }

  async list(doctype: string, q: ListQuery): Promise<ErpDoc[]> {
    const params = new URLSearchParams();
    if (q.fields) params.set('fields', JSON.stringify(q.fields));
    if (q.filters) params.set('filters', JSON.stringify(q.filters));
    if (q.or_filters) params.set('or_filters', JSON.stringify(q.or_filters));
    if (q.order_by) params.set('order_by', q.order_by);
    if (q.limit_start !== undefined) params.set('limit_start', String(q.limit_start));
    params.set('limit_page_length', String(q.limit_page_length ?? 20));
    if (q.parent) params.set('parent', q.parent);
    const r = await this.request(
      'GET',
      `/api/resource/${encodeURIComponent(doctype)}?${params.toString()}`,
    );
    return readAnswer(ListAnswer, r, `${doctype} list`).data;
  }

  async listLong(doctype: string, q: ListQuery): Promise<ErpDoc[]> {
    const message = await this.call('frappe.client.get_list', {
      doctype,
      ...(q.fields ? { fields: q.fields } : {}),
      ...(q.filters ? { filters: q.filters } : {}),
      ...(q.or_filters ? { or_filters: q.or_filters } : {}),
      ...(q.order_by ? { order_by: q.order_by } : {}),
      ...(q.limit_start !== undefined ? { limit_start: q.limit_start } : {}),
      limit_page_length: q.limit_page_length ?? 20,
      ...(q.parent ? { parent: q.parent } : {}),
    });
    return readAnswer(z.array(ErpDocSchema), message, `${doctype} get_list: message`);
  }

  async get(doctype: string, name: string): Promise<ErpDoc> {
    const r = await this.request(
      'GET',
      `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`,
    );
    return readAnswer(DocAnswer, r, `${doctype} ${name}`).data;
  }

  async count(doctype: string, filters: readonly Filter[] = []): Promise<number> {
    const params = new URLSearchParams({ doctype, filters: JSON.stringify(filters) });
    const r = await this.request('GET', `/api/method/frappe.client.get_count?${params.toString()}`);
    return readAnswer(CountAnswer, r, `${doctype} count`).message;
  }

  async insert(doctype: string, doc: ErpDoc): Promise<ErpDoc> {
    const r = await this.request('POST', `/api/resource/${encodeURIComponent(doctype)}`, doc);
    return readAnswer(DocAnswer, r, `new ${doctype}`).data;
  }

  async update(doctype: string, name: string, fields: ErpDoc): Promise<ErpDoc> {
    const r = await this.request(
      'PUT',
      `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`,
      fields,
    );
    return readAnswer(DocAnswer, r, `${doctype} ${name}`).data;
  }

  async cancel(doctype: string, name: string): Promise<ErpDoc> {
    const message = await this.call('frappe.client.cancel', { doctype, name });
    return readAnswer(ErpDocSchema, message, `cancel ${doctype} ${name}: message`);
  }

  async insertMany(docs: readonly ErpDoc[]): Promise<string[]> {
    const message = await this.call('frappe.client.insert_many', { docs });
    return readAnswer(z.array(z.string()), message, 'insert_many: message');
  }

  async delete(doctype: string, name: string): Promise<void> {
    const r = await this.request(
      'DELETE',
      `/api/resource/${encodeURIComponent(doctype)}/${encodeURIComponent(name)}`,
    );
    // 202 {"data": "ok"} (recording 069)
    readAnswer(z.object({ data: z.literal('ok') }), r, `delete ${doctype} ${name}`);
  }

  async call(method: string, args: ErpDoc = {}): Promise<unknown> {
    const r = await this.request('POST', `/api/method/${method}`, args);
    return readAnswer(MethodAnswer(z.unknown()), r, method).message;
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          Accept: 'application/json',
          Authorization: this.auth,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new UnreachableError(
        this.baseUrl,
        cause?.code ?? cause?.message ?? (e as Error).message,
      );
    }
    const date = new Date(res.headers.get('date') ?? '');
    if (!Number.isNaN(date.getTime())) this.lastServerTime = date;
    const text = await res.text().catch((e: unknown) => {
      throw new UnreachableError(this.baseUrl, `answer cut off: ${(e as Error).message}`);
    });
    if (!res.ok) {
      const body = readErrorBody(text);
      throw new FrappeError(
        res.status,
        body.exc_type ?? `HTTP ${res.status}`,
        serverMessages(body._server_messages).join('; ') ||
          body.exception ||
          body.message ||
          `${method} ${path} answered ${res.status}`,
        undefined,
        retryAfterMs(res.headers.get('retry-after')),
      );
    }
    // An empty answer reads as null, which every answer schema refuses, naming the request.
    return text ? readJsonAnswer(text, `${method} ${path}`, res.status) : null;
  }
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined if absent. */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
