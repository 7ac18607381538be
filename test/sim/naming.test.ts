import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sim/clock.js';
import { SimDb } from '../../src/sim/db.js';
import { nameFromSeries, seriesPattern } from '../../src/sim/naming.js';
import { SiteTime } from '../../src/sim/site-time.js';

describe('naming series', () => {
  const setup = () => {
    const db = SimDb.open(':memory:');
    const clock = new ManualClock(Date.parse('2026-03-04T12:00:00Z'));
    return { db, clock, time: new SiteTime(clock, 'UTC') };
  };

  it('expands date parts and keeps one counter per prefix', () => {
    const { db, time } = setup();
    expect(nameFromSeries(db, time, seriesPattern('ACC-PSINV-.YYYY.-'), {})).toBe(
      'ACC-PSINV-2026-00001',
    );
    expect(nameFromSeries(db, time, 'ACC-PSINV-.YYYY.-.#####', {})).toBe('ACC-PSINV-2026-00002');
    expect(nameFromSeries(db, time, 'X-.YY.-.MM.-.DD.-.###', {})).toBe('X-26-03-04-001');
    expect(nameFromSeries(db, time, 'T-.{customer}.-.##', { customer: 'C1' })).toBe('T-C1-01');
    expect(db.currentSeries('ACC-PSINV-2026-')).toBe(2);
  });

  it('starts a new counter when the year changes', () => {
    const { db, clock, time } = setup();
    expect(nameFromSeries(db, time, 'S-.YYYY.-.####', {})).toBe('S-2026-0001');
    clock.set(Date.parse('2027-01-01T00:00:00Z'));
    expect(nameFromSeries(db, time, 'S-.YYYY.-.####', {})).toBe('S-2027-0001');
  });

  it('rolls the counter back with the transaction that used it', () => {
    const { db, time } = setup();
    expect(() =>
      db.transaction(() => {
        nameFromSeries(db, time, 'R-.####', {});
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(nameFromSeries(db, time, 'R-.####', {})).toBe('R-0001');
  });
});

describe('site time', () => {
  it('never repeats or goes back, even when the clock does', () => {
    const clock = new ManualClock(Date.parse('2026-11-27T06:51:14.112Z'));
    const time = new SiteTime(clock, 'America/New_York');
    const a = time.stamp();
    const b = time.stamp();
    clock.advance(-5000);
    const c = time.stamp();
    expect(a).toBe('2026-11-27 01:51:14.112000');
    expect(b).toBe('2026-11-27 01:51:14.112001');
    expect(c > b).toBe(true);
  });
});

describe('site time after a restart', () => {
  it('stamps after the latest stored modified even if the clock is behind it', () => {
    const clock = new ManualClock(Date.parse('2026-11-27T06:00:00Z'));
    const time = new SiteTime(clock, 'America/New_York');
    time.observe('2026-11-27 03:15:00.250000');
    expect(time.stamp()).toBe('2026-11-27 03:15:00.250001');
    clock.set(Date.parse('2026-11-27T09:00:00Z'));
    expect(time.stamp()).toBe('2026-11-27 04:00:00.000000');
  });
});
