import { useState } from 'react';
import type { Loyalty } from '../api/schemas';
import type { Formats } from '../format';

/** The chosen customer's points, as the node counted them for this cart. */
export function LoyaltyBalance({ loyalty, f }: { loyalty: Loyalty; f: Formats }) {
  return (
    <p className="loyalty" data-testid="loyalty-balance">
      {loyalty.loyalty_program}: {f.qty(loyalty.points_balance)} points · this sale earns{' '}
      {f.qty(loyalty.points_earned)}
    </p>
  );
}

/**
 * Redeeming points at payment, within what the node says this sale allows (ERPNext's
 * validate_loyalty_points: the balance, and no more value than the total; the store's cap).
 * The node prices the redemption; the screen shows what it answered.
 */
export function Redeem({
  loyalty,
  redeem,
  onRedeem,
  f,
}: {
  loyalty: Loyalty;
  redeem: number;
  onRedeem: (points: number) => void;
  f: Formats;
}) {
  const [typed, setTyped] = useState(redeem > 0 ? String(redeem) : '');
  const max = loyalty.max_redeem_points;
  const take = (text: string) => {
    const digits = text.replace(/\D/g, '').slice(0, 9);
    setTyped(digits);
    const n = digits === '' ? 0 : Number(digits);
    if (n <= max) onRedeem(n);
  };
  const over = typed !== '' && Number(typed) > max;
  return (
    <fieldset className="redeem">
      <legend>
        {loyalty.loyalty_program}: {f.qty(loyalty.points_balance)} points
      </legend>
      <label htmlFor="redeem-points">Points to redeem (at most {f.qty(max)})</label>
      <div className="mode">
        <input
          id="redeem-points"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          disabled={max === 0}
          onChange={(e) => take(e.target.value)}
        />
        <button type="button" disabled={max === 0} onClick={() => take(String(max))}>
          Use {f.qty(max)}
        </button>
      </div>
      {over && (
        <p role="alert" className="error">
          At most {f.qty(max)} points on this sale.
        </p>
      )}
      {loyalty.points_redeemed > 0 && (
        <p data-testid="redeemed">
          {f.qty(loyalty.points_redeemed)} points: −{f.money(loyalty.loyalty_amount)}
        </p>
      )}
    </fieldset>
  );
}
