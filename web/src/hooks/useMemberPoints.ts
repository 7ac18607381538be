import { useEffect, useState } from 'react';
import { memberPointsSchema, type MemberPoints } from '../api/schemas';
import type { Auth } from '../auth';

/**
 * The chosen customer's points as the node counts them (GET /api/loyalty), asked as soon as
 * the customer is picked, before any item is in the cart; asked again after each pull of the
 * node (`pulled`) and each sale (`sold`). Null for a walk-in, until the node answers, or when
 * the customer is in no loyalty program.
 */
export function useMemberPoints(
  auth: Auth,
  customer: string | undefined,
  pulled: number,
  sold: number,
): MemberPoints | null {
  const [points, setPoints] = useState<MemberPoints | null>(null);
  useEffect(() => {
    if (customer === undefined) return;
    let current = true;
    auth.api.get(`/api/loyalty?customer=${encodeURIComponent(customer)}`, memberPointsSchema).then(
      (p) => current && setPoints(p),
      // No balance shown rather than a wrong one; the cart's price still brings the node's.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [auth, customer, pulled, sold]);
  // Another customer's answer (the one chosen before) is never shown for this one.
  return points !== null && points.customer === customer && points.loyalty_program !== null
    ? points
    : null;
}
