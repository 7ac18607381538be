import { describe, expect, it } from 'vitest';
import { addItem, data, makeSite, rows, serverMessages } from './site.js';

describe('document writes', () => {
  it('inserts with child tables, defaults, numeric types and increasing modified', () => {
    const site = makeSite();
    const r = addItem(site, 'D-1', { standard_rate: '12.5', barcodes: [{ barcode: 'X1' }] });
    expect(r.status).toBe(200);
    const doc = data(r);
    expect(doc['name']).toBe('D-1');
    expect(doc['item_name']).toBe('D-1');
    expect(doc['standard_rate']).toBe(12.5);
    expect(doc['is_stock_item']).toBe(1);
    expect(doc['creation']).toMatch(/^2026-11-27 01:50:00\.\d{6}$/);
    const barcodes = doc['barcodes'] as Record<string, unknown>[];
    expect(barcodes[0]).toMatchObject({
      barcode: 'X1',
      parent: 'D-1',
      parentfield: 'barcodes',
      idx: 1,
    });
    const put = site.put('/api/resource/Item/D-1', { description: 'changed' });
    expect(String(data(put)['modified']) > String(doc['modified'])).toBe(true);
  });

  it('refuses a PUT carrying an older modified with TimestampMismatchError (417)', () => {
    const site = makeSite();
    const first = data(addItem(site, 'D-2'));
    site.clock.advance(5);
    expect(site.put('/api/resource/Item/D-2', { description: 'a' }).status).toBe(200);
    const stale = site.put('/api/resource/Item/D-2', {
      description: 'b',
      modified: first['modified'],
    });
    expect(stale.status).toBe(417);
    expect((stale.body as { exc_type: string }).exc_type).toBe('TimestampMismatchError');
    expect(serverMessages(stale)[0]).toMatch(
      /^Error: Document has been modified after you have opened it/,
    );
    const current = data(site.get('/api/resource/Item/D-2'))['modified'];
    expect(site.put('/api/resource/Item/D-2', { description: 'c', modified: current }).status).toBe(
      200,
    );
  });

  it('maps mandatory, link and duplicate-name failures to Frappe errors', () => {
    const site = makeSite();
    const missing = site.post('/api/resource/Item', { item_code: 'D-3', stock_uom: 'Nos' });
    expect([missing.status, (missing.body as { exc_type: string }).exc_type]).toEqual([
      417,
      'MandatoryError',
    ]);
    expect(serverMessages(missing)).toEqual(['Error: Value missing for Item: Item Group']);
    const link = addItem(site, 'D-3', { item_group: 'Nope' });
    expect(serverMessages(link)).toEqual(['Could not find Item Group: Nope']);
    expect(addItem(site, 'D-3').status).toBe(200);
    const dup = addItem(site, 'D-3');
    expect([dup.status, (dup.body as { exc_type: string }).exc_type]).toEqual([
      409,
      'DuplicateEntryError',
    ]);
  });

  it('rolls a failed request back completely (insert_many is atomic)', () => {
    const site = makeSite();
    const r = site.post('/api/method/frappe.client.insert_many', {
      docs: [
        { doctype: 'Item', item_code: 'M-1', item_group: 'Products', stock_uom: 'Nos' },
        { doctype: 'Item', item_code: 'M-2', item_group: 'Nope', stock_uom: 'Nos' },
      ],
    });
    expect(r.status).toBe(417);
    expect(site.get('/api/resource/Item/M-1').status).toBe(404);
  });

  it('deletes into Deleted Document and refuses to delete submitted documents', () => {
    const site = makeSite();
    addItem(site, 'D-4');
    const del = site.del('/api/resource/Item/D-4');
    expect([del.status, del.body]).toEqual([202, { data: 'ok' }]);
    expect(site.get('/api/resource/Item/D-4').status).toBe(404);
    const deleted = site.get('/api/resource/Deleted Document', {
      fields: '["deleted_name","deleted_doctype","data"]',
      filters: '{"deleted_name":"D-4"}',
    });
    const row = rows(deleted)[0];
    expect(row?.['deleted_doctype']).toBe('Item');
    expect(JSON.parse(String(row?.['data']))).toMatchObject({ name: 'D-4', doctype: 'Item' });
  });

  it('moves docstatus draft → submitted → cancelled and names amendments -1, -2', () => {
    const site = makeSite();
    const base = {
      company: 'Outpost Demo Retail',
      pos_profile: 'P',
      user: 'Administrator',
      period_start_date: '2026-11-27 01:00:00',
      posting_date: '2026-11-27',
      balance_details: [{ mode_of_payment: 'Cash', opening_amount: 0 }],
    };
    site.app.db.transaction(() => {
      site.app.db.insert({
        doctype: 'POS Profile',
        name: 'P',
        parent: null,
        parentfield: null,
        parenttype: null,
        idx: 0,
        docstatus: 0,
        creation: '2026-11-27 00:00:00.000000',
        modified: '2026-11-27 00:00:00.000000',
        data: { name: 'P', company: 'Outpost Demo Retail' },
      });
    });
    const draft = data(site.post('/api/resource/POS Opening Entry', base));
    expect(draft['name']).toBe('POS-OPE-2026-00001');
    expect(draft['docstatus']).toBe(0);
    const submitted = site.put('/api/resource/POS Opening Entry/POS-OPE-2026-00001', {
      docstatus: 1,
    });
    expect(data(submitted)['docstatus']).toBe(1);
    const allowed = site.put('/api/resource/POS Opening Entry/POS-OPE-2026-00001', {
      status: 'Open',
    });
    expect(allowed.status).toBe(200);
    const locked = site.put('/api/resource/POS Opening Entry/POS-OPE-2026-00001', {
      posting_date: '2026-11-28',
    });
    expect([locked.status, (locked.body as { exc_type: string }).exc_type]).toEqual([
      417,
      'UpdateAfterSubmitError',
    ]);
    const back = site.put('/api/resource/POS Opening Entry/POS-OPE-2026-00001', { docstatus: 0 });
    expect((back.body as { exc_type: string }).exc_type).toBe('DocstatusTransitionError');
    const cancel = site.post('/api/method/frappe.client.cancel', {
      doctype: 'POS Opening Entry',
      name: 'POS-OPE-2026-00001',
    });
    expect((cancel.body as { message: { docstatus: number } }).message.docstatus).toBe(2);
    const edit = site.put('/api/resource/POS Opening Entry/POS-OPE-2026-00001', { remarks: 'x' });
    expect([edit.status, (edit.body as { exception: string }).exception]).toEqual([
      417,
      'frappe.exceptions.ValidationError: Cannot edit cancelled document',
    ]);
    const amended = site.post('/api/resource/POS Opening Entry', {
      ...base,
      amended_from: 'POS-OPE-2026-00001',
      docstatus: 1,
    });
    expect(data(amended)['name']).toBe('POS-OPE-2026-00001-1');
    expect(site.del('/api/resource/POS Opening Entry/POS-OPE-2026-00001-1').status).toBe(417);
  });
});

describe('unique custom field', () => {
  it('adds the field at run time and refuses a duplicate value with UniqueValidationError', () => {
    const site = makeSite();
    const cf = site.post('/api/resource/Custom Field', {
      dt: 'Item',
      fieldname: 'ext_id',
      label: 'External ID',
      fieldtype: 'Data',
      unique: 1,
      insert_after: 'item_name',
    });
    expect(data(cf)['name']).toBe('Item-ext_id');
    expect(data(addItem(site, 'U-1', { ext_id: 'E1' }))['ext_id']).toBe('E1');
    const dup = addItem(site, 'U-2', { ext_id: 'E1' });
    expect([dup.status, (dup.body as { exc_type: string }).exc_type]).toEqual([
      417,
      'UniqueValidationError',
    ]);
    expect(serverMessages(dup)).toEqual(['External ID must be unique']);
    expect(addItem(site, 'U-3').status).toBe(200);
    expect(addItem(site, 'U-4').status).toBe(200);
    const list = site.get('/api/resource/Item', {
      fields: '["name","ext_id"]',
      filters: '{"ext_id":"E1"}',
    });
    expect(rows(list)).toEqual([{ name: 'U-1', ext_id: 'E1' }]);
  });
});

describe('Item Price controller', () => {
  it('takes currency and side from the price list, item details from the item, refuses duplicates', () => {
    const site = makeSite();
    addItem(site, 'IP-1', { item_name: 'Priced', description: 'A priced item' });
    const body = { item_code: 'IP-1', price_list: 'Standard Selling', price_list_rate: 4 };
    const price = data(site.post('/api/resource/Item Price', body));
    expect(price).toMatchObject({
      currency: 'USD',
      selling: 1,
      buying: 0,
      item_name: 'Priced',
      item_description: 'A priced item',
      uom: 'Nos',
    });
    const dup = site.post('/api/resource/Item Price', body);
    expect([dup.status, (dup.body as { exc_type: string }).exc_type]).toEqual([
      417,
      'ItemPriceDuplicateItem',
    ]);
    expect(
      site.post('/api/resource/Item Price', { ...body, price_list: 'Standard Buying' }).status,
    ).toBe(200);
  });
});

describe('frappe.client write methods', () => {
  it('set_value on a document and on a child row, save, get_single_value', () => {
    const site = makeSite();
    addItem(site, 'W-1', { barcodes: [{ barcode: 'W1-A' }] });
    const set = site.post('/api/method/frappe.client.set_value', {
      doctype: 'Item',
      name: 'W-1',
      fieldname: 'description',
      value: 'via set_value',
    });
    expect((set.body as { message: Record<string, unknown> }).message['description']).toBe(
      'via set_value',
    );
    const rowName = String(
      (data(site.get('/api/resource/Item/W-1'))['barcodes'] as Record<string, unknown>[])[0]?.[
        'name'
      ],
    );
    site.post('/api/method/frappe.client.set_value', {
      doctype: 'Item Barcode',
      name: rowName,
      fieldname: JSON.stringify({ barcode: 'W1-B' }),
    });
    const after = data(site.get('/api/resource/Item/W-1'));
    expect(after['barcodes']).toMatchObject([{ name: rowName, barcode: 'W1-B' }]);
    const saved = site.post('/api/method/frappe.client.save', {
      doc: { ...after, item_name: 'Saved' },
    });
    expect((saved.body as { message: Record<string, unknown> }).message['item_name']).toBe('Saved');
    const standard = site.post('/api/method/frappe.client.set_value', {
      doctype: 'Item',
      name: 'W-1',
      fieldname: 'modified',
      value: 'x',
    });
    expect(standard.status).toBe(417);
    const single = site.get('/api/method/frappe.client.get_single_value', {
      doctype: 'System Settings',
      field: 'currency_precision',
    });
    expect(single.body).toEqual({ message: '2' });
  });
});
