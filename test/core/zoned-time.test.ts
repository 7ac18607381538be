import { describe, expect, it } from 'vitest';
import { zonedTime } from '../../src/core/index.js';

describe('zonedTime', () => {
  it('gives the wall clock and offset of a zone, across daylight saving', () => {
    expect(zonedTime(Date.parse('2026-11-27T13:00:05Z'), 'America/New_York')).toEqual({
      date: '2026-11-27',
      time: '08:00:05',
      offset: '-05:00',
    });
    expect(zonedTime(new Date('2026-07-01T03:30:00Z'), 'America/New_York')).toEqual({
      date: '2026-06-30',
      time: '23:30:00',
      offset: '-04:00',
    });
    expect(zonedTime(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Kolkata').offset).toBe('+05:30');
    expect(zonedTime(Date.parse('2026-01-01T00:00:00Z'), 'UTC')).toEqual({
      date: '2026-01-01',
      time: '00:00:00',
      offset: '+00:00',
    });
  });
});
