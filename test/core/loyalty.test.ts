import { describe, expect, it } from 'vitest';
import { quote } from '../../src/core/index.js';
import { baseMaster, draft, run } from './fixture.js';

const program = (
  rules: { tier_name: string; min_spent: number; collection_factor: number }[],
  conversion = 0.01,
) => ({
  name: 'Club',
  company: 'Test Co',
  conversion_factor: conversion,
  expiry_duration: 365,
  from_date: '2026-01-01',
  collection_rules: rules,
});
const entry = (points: number, posting: string, expiry: string, spent = 0) => ({
  customer: 'Member',
  loyalty_program: 'Club',
  company: 'Test Co',
  loyalty_points: points,
  purchase_amount: spent,
  posting_date: posting,
  expiry_date: expiry,
});
const member = {
  name: 'Member',
  customer_group: 'Retail',
  territory: 'All Territories',
  loyalty_program: 'Club',
};

function master(
  conversion = 0.01,
  tiers = [{ tier_name: 'Base', min_spent: 0, collection_factor: 1 }],
) {
  return baseMaster({
    Customer: [member],
    'Loyalty Program': [program(tiers, conversion)],
    'Loyalty Point Entry': [
      entry(500, '2026-01-01', '2027-01-01', 500),
      entry(100, '2025-06-01', '2026-06-01', 100),
      entry(-50, '2026-03-01', '2027-01-01'),
    ],
  });
}

describe('loyalty', () => {
  it('redeems points within the unexpired balance; the loyalty amount counts as paid', () => {
    const out = run(
      master(),
      draft([{ item_code: 'CHEESE', qty: 1 }], {
        customer: 'Member',
        redeem_loyalty_points: 1,
        loyalty_points: 300,
        payments: [{ mode_of_payment: 'Cash', amount: 9.99 }],
        docstatus: 1,
      }),
    );
    expect(out).toMatchObject({
      loyalty_program: 'Club',
      loyalty_points: 300,
      loyalty_amount: 3,
      paid_amount: 12.99,
      change_amount: 0,
    });
  });

  it('refuses more points than the unexpired balance (450 here: 500 − 50, the 100 expired)', () => {
    const d = draft([{ item_code: 'CHEESE', qty: 1 }], {
      customer: 'Member',
      redeem_loyalty_points: 1,
      loyalty_points: 451,
    });
    expect(() => run(master(), d)).toThrowError(
      expect.objectContaining({ kind: 'ValidationError', field: 'loyalty_points' }) as Error,
    );
    expect(() => run(master(), { ...d, loyalty_points: 450 })).not.toThrow();
  });

  it('refuses a redemption worth more than the total', () => {
    const d = draft([{ item_code: 'CHEESE', qty: 1 }], {
      customer: 'Member',
      redeem_loyalty_points: 1,
      loyalty_points: 13,
    });
    expect(() => run(master(1), d)).toThrow(/more value than the Total/);
  });

  it('points earned: cint((grand total − cint(loyalty amount)) / collection factor)', () => {
    const q = quote(
      master(),
      draft([{ item_code: 'CHEESE', qty: 1 }], {
        customer: 'Member',
        redeem_loyalty_points: 1,
        loyalty_points: 300,
      }),
    );
    expect(q.loyalty_points_earned).toMatchObject({
      loyalty_points: 9,
      loyalty_program_tier: 'Base',
      expiry_date: '2027-11-27',
    });
  });

  it("tiers as ERPNext's code picks them: the first rule by min_spent descending, stepping down only while spend ≤ min_spent", () => {
    const tiers = [
      { tier_name: 'Silver', min_spent: 0, collection_factor: 1 },
      { tier_name: 'Gold', min_spent: 1000, collection_factor: 0.5 },
    ];
    const q = quote(
      master(0.01, tiers),
      draft([{ item_code: 'HAMMER', qty: 1 }], { customer: 'Member' }),
    );
    expect(q.loyalty_points_earned).toMatchObject({
      loyalty_program_tier: 'Gold',
      loyalty_points: 40,
    });
  });

  it('no program, no points', () => {
    expect(
      quote(baseMaster(), draft([{ item_code: 'HAMMER', qty: 1 }])).loyalty_points_earned,
    ).toBeNull();
  });
});
