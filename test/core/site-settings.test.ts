import { describe, expect, it } from 'vitest';
import type { QuoteError } from '../../src/core/index.js';
import {
  DEFAULT_SITE_SETTINGS,
  Master,
  siteSettings,
  withOverrides,
} from '../../src/core/index.js';

const ss = (fields: Record<string, unknown>) => siteSettings({ systemSettings: fields });

describe('siteSettings: ERPNext System Settings / Global Defaults to the engine', () => {
  it("gives Frappe's defaults for a site with no records", () => {
    expect(DEFAULT_SITE_SETTINGS).toEqual({
      currency: 2,
      float: 3,
      method: "Banker's Rounding (legacy)",
      disableRoundedTotal: false,
    });
  });

  it('takes a blank or 0 currency precision from the System Settings number format', () => {
    expect(ss({ currency_precision: '', number_format: '#,###.##' }).currency).toBe(2);
    expect(ss({ currency_precision: '0', number_format: '#,###.##' }).currency).toBe(2);
    expect(ss({ currency_precision: 0, number_format: '#,###.###' }).currency).toBe(3);
    expect(ss({ currency_precision: '', number_format: '#,###' }).currency).toBe(0);
    expect(ss({ currency_precision: null, number_format: '#.###' }).currency).toBe(0);
    expect(ss({ number_format: '#.########' }).currency).toBe(8);
    // get_number_format_info: a format outside Frappe's table counts as 2 decimals.
    expect(ss({ number_format: '#~###' }).currency).toBe(2);
  });

  it('uses a set currency precision over the number format', () => {
    expect(ss({ currency_precision: '3', number_format: '#,###' }).currency).toBe(3);
    expect(ss({ currency_precision: 1, number_format: '#,###.##' }).currency).toBe(1);
  });

  it('reads float precision as cint(...) or 3', () => {
    expect(ss({ float_precision: '' }).float).toBe(3);
    expect(ss({ float_precision: '0' }).float).toBe(3);
    expect(ss({ float_precision: '6' }).float).toBe(6);
  });

  it("falls back to Banker's Rounding (legacy) when the method is blank", () => {
    expect(ss({ rounding_method: '' }).method).toBe("Banker's Rounding (legacy)");
    expect(ss({ rounding_method: null }).method).toBe("Banker's Rounding (legacy)");
    expect(ss({ rounding_method: 'Commercial Rounding' }).method).toBe('Commercial Rounding');
  });

  it('takes disable_rounded_total from Global Defaults only', () => {
    expect(siteSettings({ globalDefaults: { disable_rounded_total: 1 } }).disableRoundedTotal).toBe(
      true,
    );
    expect(siteSettings({ globalDefaults: { disable_rounded_total: 0 } }).disableRoundedTotal).toBe(
      false,
    );
    // System Settings has no such field; a stray one is not read.
    expect(ss({ disable_rounded_total: 1 }).disableRoundedTotal).toBe(false);
  });

  it('refuses values ERPNext cannot hold, naming the field', () => {
    const err = (f: () => unknown): QuoteError => {
      try {
        f();
      } catch (e) {
        return e as QuoteError;
      }
      throw new Error('did not throw');
    };
    expect(err(() => ss({ currency_precision: '12' })).field).toBe(
      'System Settings.currency_precision',
    );
    expect(err(() => ss({ float_precision: 'x' })).field).toBe('System Settings.float_precision');
    expect(err(() => ss({ rounding_method: 'Half Up' })).field).toBe(
      'System Settings.rounding_method',
    );
    expect(
      err(() => siteSettings({ globalDefaults: { disable_rounded_total: 'yes' } })).field,
    ).toBe('Global Defaults.disable_rounded_total');
  });

  it('lets effective values in `system` replace the derived ones', () => {
    const base = ss({ currency_precision: '', number_format: '#,###' });
    expect(withOverrides(base, { currency_precision: 2 })).toEqual({
      currency: 2,
      float: 3,
      method: "Banker's Rounding (legacy)",
      disableRoundedTotal: false,
    });
    expect(withOverrides(base, {})).toEqual(base);
  });

  it('is what Master reads from the records it is given', () => {
    const m = new Master({
      'System Settings': [
        { currency_precision: '', number_format: '#,###', rounding_method: 'Commercial Rounding' },
      ],
      'Global Defaults': [{ disable_rounded_total: 1 }],
    });
    expect(m.system).toEqual({
      currency: 0,
      float: 3,
      method: 'Commercial Rounding',
      disableRoundedTotal: true,
    });
  });
});
