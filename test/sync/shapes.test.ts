import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErpClient, type ErpClient, type ErpDoc } from '../../src/erpnext/client.js';
import { FrappeError } from '../../src/erpnext/errors.js';
import { QuoteError } from '../../src/core/index.js';
import { openStore } from '../../src/store/db.js';
import { Catalog } from '../../src/store/catalog.js';
import { Puller } from '../../src/sync/pull.js';
import { preflight } from '../../src/sync/preflight.js';
import { KEY, SECRET, startSim, type RunningSim } from './sim-site.js';

const PROFILE = 'Store North - Till 1';

/**
 * The simulator's client with one answer altered, as a broken proxy or a customized site might
 * send it: the pull must refuse it, naming the document and the field.
 */
function altered(
  http: HttpErpClient,
  change: {
    list?: (doctype: string, rows: ErpDoc[]) => ErpDoc[];
    listLong?: (doctype: string, rows: ErpDoc[]) => ErpDoc[];
    get?: (doctype: string, doc: ErpDoc) => ErpDoc;
  },
): ErpClient {
  return Object.assign(Object.create(http) as ErpClient, {
    list: async (doctype: string, q: object) =>
      (change.list ?? ((_d, r) => r))(doctype, await http.list(doctype, q)),
    listLong: async (doctype: string, q: object) =>
      (change.listLong ?? ((_d, r) => r))(doctype, await http.listLong(doctype, q)),
    get: async (doctype: string, name: string) =>
      (change.get ?? ((_d, d) => d))(doctype, await http.get(doctype, name)),
  });
}

async function pullError(erp: ErpClient) {
  const db = openStore(join(mkdtempSync(join(tmpdir(), 'outpost-shapes-')), 'store.db'));
  const e = await new Puller(db, erp, { posProfile: PROFILE }).run().then(
    () => null,
    (err: unknown) => err,
  );
  db.close();
  expect(e).toBeInstanceOf(FrappeError);
  const f = e as FrappeError;
  return { excType: f.excType, field: f.field, message: f.message };
}

describe('the pull refuses ERPNext documents of the wrong shape, naming the field', () => {
  let sim: RunningSim;
  let http: HttpErpClient;
  beforeAll(async () => {
    sim = await startSim({ items: 20, customers: 4 });
    http = new HttpErpClient({ baseUrl: sim.url, apiKey: KEY, apiSecret: SECRET });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('a list row without `modified` (the keyset cursor)', async () => {
    const erp = altered(http, {
      list: (doctype, rows) =>
        doctype === 'Item'
          ? rows.map((r, i) => (i === 2 ? { ...r, modified: undefined } : r))
          : rows,
    });
    expect(await pullError(erp)).toEqual({
      excType: 'InvalidResponse',
      field: '[2].modified',
      message: 'Item list: [2].modified: Invalid input: expected string, received undefined',
    });
  });

  it('a `modified` that is not a Frappe datetime', async () => {
    const erp = altered(http, {
      list: (doctype, rows) =>
        doctype === 'Customer' ? rows.map((r) => ({ ...r, modified: '27/11/2026' })) : rows,
    });
    expect(await pullError(erp)).toMatchObject({
      field: '[0].modified',
      message:
        'Customer list: [0].modified: must be a Frappe datetime (YYYY-MM-DD HH:MM:SS[.ffffff])',
    });
  });

  it('a child row without its parent, and a barcode that is not text', async () => {
    const noParent = altered(http, {
      listLong: (doctype, rows) =>
        doctype === 'UOM Conversion Detail' ? rows.map((r) => ({ ...r, parent: null })) : rows,
    });
    expect(await pullError(noParent)).toMatchObject({
      field: '[0].parent',
      message:
        'UOM Conversion Detail rows: [0].parent: Invalid input: expected string, received null',
    });
    const numeric = altered(http, {
      listLong: (doctype, rows) =>
        doctype === 'Item Barcode' ? rows.map((r) => ({ ...r, barcode: 2100001000004 })) : rows,
    });
    expect(await pullError(numeric)).toMatchObject({
      field: '[0].barcodes[0].barcode',
      message:
        'Item list: [0].barcodes[0].barcode: Invalid input: expected string, received number',
    });
  });

  it('a POS Profile whose item groups are not a table, and a price that is not a number', async () => {
    const profile = altered(http, {
      get: (doctype, doc) =>
        doctype === 'POS Profile' ? { ...doc, item_groups: 'Products' } : doc,
    });
    expect(await pullError(profile)).toMatchObject({
      field: 'item_groups',
      message: `POS Profile ${PROFILE}: item_groups: Invalid input: expected array, received string`,
    });
    const price = altered(http, {
      list: (doctype, rows) =>
        doctype === 'Item Price' ? rows.map((r) => ({ ...r, price_list_rate: 'ten' })) : rows,
    });
    expect(await pullError(price)).toMatchObject({
      field: '[0].price_list_rate',
      message: 'Item Price list: [0].price_list_rate: must be a number',
    });
  });

  it('preflight refuses a POS Profile whose `disabled` is not a Check', async () => {
    const erp = altered(http, {
      get: (doctype, doc) => (doctype === 'POS Profile' ? { ...doc, disabled: 'no' } : doc),
    });
    const e = await preflight(erp, PROFILE).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(FrappeError);
    expect(e).toMatchObject({
      excType: 'InvalidResponse',
      field: 'disabled',
      message: `POS Profile ${PROFILE}: disabled: must be 0 or 1`,
    });
  });

  it('a Deleted Document row without deleted_name', async () => {
    const erp = altered(http, {
      list: (doctype, rows) =>
        doctype === 'Deleted Document'
          ? [{ name: 'DD-1', creation: '2026-11-27 08:00:00.000000', deleted_doctype: 'Item' }]
          : rows,
    });
    expect(await pullError(erp)).toEqual({
      excType: 'InvalidResponse',
      field: '[0].deleted_name',
      message:
        'Deleted Document list: [0].deleted_name: Invalid input: expected string, received undefined',
    });
  });

  it('a stored copy altered on disk is refused when read back, naming it and the field', async () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'outpost-shapes-')), 'store.db'));
    const puller = new Puller(db, http, { posProfile: PROFILE });
    await puller.run();
    db.prepare(
      "UPDATE doc SET data = json_set(data, '$.company', 7) WHERE doctype = 'POS Profile'",
    ).run();
    expect(() => new Puller(db, http, { posProfile: PROFILE }).scope()).toThrow(
      expect.objectContaining({
        field: 'company',
        message: `store: POS Profile ${PROFILE}: company: Invalid input: expected string, received number`,
      }) as Error,
    );
    const catalog = new Catalog(db);
    db.prepare(
      "INSERT INTO doc_stage (doctype, name, data, deleted) VALUES ('Bin', 'B-1', '{\"name\":\"B-1\",', 0)",
    ).run();
    expect(() => catalog.publish()).toThrow(QuoteError);
    expect(() => catalog.publish()).toThrow(
      expect.objectContaining({ field: 'doc_stage Bin B-1' }) as Error,
    );
    db.close();
  }, 30_000);
});
