import { describe, expect, it } from 'vitest';
import { seedSecondSite } from './fixture-seed-ar2.js';
import { data, makeSite, rows, type TestSite } from './site.js';

/**
 * What the replay cannot see of recordings 210–249, because it masks names and posting times:
 * a refused duplicate does not use up its series name (218 → 223), set_posting_time keeps a
 * back-dated time while without it every save re-dates the sale (215–217, 229–230), and the
 * consolidated invoice is posted at the last merged sale's time, its stock with it (237, 239).
 */
const UUID = 'ar2_sale_uuid';

function pushSite(): TestSite {
  const site = makeSite();
  site.clock.set(Date.parse('2026-12-06T23:33:30.000Z'));
  seedSecondSite(site.app);
  expect(
    site.post('/api/resource/Custom Field', {
      dt: 'POS Invoice',
      fieldname: UUID,
      label: 'AR2 Sale UUID',
      fieldtype: 'Data',
      unique: 1,
      insert_after: 'customer',
    }).status,
  ).toBe(200);
  expect(
    site.post('/api/resource/POS Opening Entry', {
      period_start_date: '2026-12-06 18:33:38',
      company: 'POS Test Store',
      pos_profile: 'Test POS',
      user: 'Administrator',
      balance_details: [{ mode_of_payment: 'Cash', opening_amount: 0 }],
      docstatus: 1,
    }).status,
  ).toBe(200);
  return site;
}

const sale = (uuid: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  company: 'POS Test Store',
  pos_profile: 'Test POS',
  customer: 'Walk-in Test Customer',
  is_pos: 1,
  update_stock: 1,
  [UUID]: uuid,
  ignore_pricing_rule: 1,
  items: [{ item_code: 'POS-ITEM-001', qty: 1, price_list_rate: 20, rate: 20 }],
  payments: [{ mode_of_payment: 'Cash', amount: 20 }],
  ...extra,
});

describe('push path details the replay masks (recordings 210-249)', () => {
  it('a uuid refused as a duplicate leaves its series name to the next insert (218, 223)', () => {
    const site = pushSite();
    expect(data(site.post('/api/resource/POS Invoice', sale('U-1')))['name']).toBe(
      'ACC-PSINV-2026-00003',
    );
    const dup = site.post('/api/resource/POS Invoice', sale('U-1'));
    expect(dup.status).toBe(417);
    expect(String((dup.body as { exception: string }).exception)).toContain(
      "('POS Invoice', 'ACC-PSINV-2026-00004', IntegrityError(1062, \"Duplicate entry 'U-1' for key 'ar2_sale_uuid'\"))",
    );
    expect(data(site.post('/api/resource/POS Invoice', sale('U-2')))['name']).toBe(
      'ACC-PSINV-2026-00004',
    );
  });

  it('set_posting_time keeps a back-dated time; without it each save re-dates (216, 230)', () => {
    const site = pushSite();
    const kept = data(
      site.post(
        '/api/resource/POS Invoice',
        sale('U-1', { set_posting_time: 1, posting_date: '2026-12-06', posting_time: '17:34:00' }),
      ),
    );
    site.clock.advance(5000);
    const submitted = data(
      site.put(`/api/resource/POS Invoice/${String(kept['name'])}`, { docstatus: 1 }),
    );
    expect([submitted['posting_date'], submitted['posting_time']]).toEqual([
      '2026-12-06',
      '17:34:00',
    ]);
    const draft = data(
      site.post(
        '/api/resource/POS Invoice',
        sale('U-2', { posting_date: '2026-12-01', posting_time: '10:00:00' }),
      ),
    );
    // Dated now (site time, to the microsecond the clock hands out), not as sent.
    expect(draft['posting_date']).toBe('2026-12-06');
    expect(String(draft['posting_time'])).toMatch(/^18:33:35\.0000\d\d$/);
    site.clock.advance(1500);
    const later = data(
      site.put(`/api/resource/POS Invoice/${String(draft['name'])}`, { docstatus: 1 }),
    );
    expect(String(later['posting_time'])).toMatch(/^18:33:36\.5000\d\d$/);
  });

  it('the consolidated invoice takes the last sale’s posting time and same-named custom fields unless no_copy (237, 239)', () => {
    const site = pushSite();
    // The same uuid field on Sales Invoice (as the recorder made it, 211), and a terminal field
    // on both doctypes that is no_copy on the POS Invoice side: Frappe's map_fields skips a
    // field marked no_copy on either doctype.
    for (const [dt, fieldname, noCopy] of [
      ['Sales Invoice', UUID, 0],
      ['POS Invoice', 'ar2_terminal', 1],
      ['Sales Invoice', 'ar2_terminal', 0],
    ] as const) {
      const made = site.post('/api/resource/Custom Field', {
        dt,
        fieldname,
        label: fieldname,
        fieldtype: 'Data',
        no_copy: noCopy,
        insert_after: 'customer',
      });
      expect(made.status).toBe(200);
    }
    const early = data(
      site.post(
        '/api/resource/POS Invoice',
        sale('U-1', {
          ar2_terminal: 'T1',
          set_posting_time: 1,
          posting_date: '2026-12-06',
          posting_time: '17:34:00',
          docstatus: 1,
          paid_amount: 20,
        }),
      ),
    );
    site.clock.advance(2000);
    const last = data(
      site.post(
        '/api/resource/POS Invoice',
        sale('U-2', { ar2_terminal: 'T2', docstatus: 1, paid_amount: 20 }),
      ),
    );
    site.clock.advance(2000);
    const closing = site.post('/api/resource/POS Closing Entry', {
      pos_opening_entry: 'POS-OPE-2026-00004',
      period_start_date: '2026-12-06 18:33:38',
      period_end_date: '2026-12-06 18:35:16',
      posting_date: '2026-12-06',
      posting_time: '18:35:16',
      pos_profile: 'Test POS',
      user: 'Administrator',
      company: 'POS Test Store',
      pos_transactions: [early, last].map((d) => ({
        pos_invoice: d['name'],
        posting_date: d['posting_date'],
        grand_total: d['grand_total'],
        customer: d['customer'],
      })),
      payment_reconciliation: [
        { mode_of_payment: 'Cash', opening_amount: 0, expected_amount: 40, closing_amount: 40 },
      ],
      docstatus: 1,
    });
    expect(closing.status).toBe(200);
    const si = data(site.get('/api/resource/Sales Invoice/ACC-SINV-2026-00002'));
    expect([si['posting_time'], si[UUID], si['ar2_terminal']]).toEqual([
      last['posting_time'],
      'U-2',
      undefined,
    ]);
    const sle = rows(
      site.get('/api/resource/Stock Ledger Entry', {
        fields: '["posting_time","actual_qty"]',
        filters: '[["voucher_no","=","ACC-SINV-2026-00002"]]',
        order_by: 'creation asc',
      }),
    );
    expect(sle).toEqual([
      { posting_time: last['posting_time'], actual_qty: -1 },
      { posting_time: last['posting_time'], actual_qty: -1 },
    ]);
  });
});
