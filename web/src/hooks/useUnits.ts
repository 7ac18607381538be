import { useEffect, useState } from 'react';
import { uomsSchema } from '../api/schemas';
import type { Auth } from '../auth';
import type { Units } from '../weighed';

/**
 * The catalog's units of measure (GET /api/uoms), read again after each pull of the node
 * (`pulled`); null until the node has answered once. A unit not whole (Kg) is weighed.
 */
export function useUnits(auth: Auth, pulled: number): Units | null {
  const [units, setUnits] = useState<Units | null>(null);
  useEffect(() => {
    let current = true;
    auth.api.get('/api/uoms', uomsSchema).then(
      (r) => {
        if (!current) return;
        setUnits(
          new Map(
            r.uoms.map((u) => [u.uom, { whole: u.must_be_whole_number, precision: u.precision }]),
          ),
        );
      },
      // Kept as it was: the screen still sells; a weighed item then waits for its label.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [auth, pulled]);
  return units;
}
