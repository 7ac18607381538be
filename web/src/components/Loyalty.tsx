import { useState } from 'react';
import type { Loyalty, MemberPoints } from '../api/schemas';
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
 * The chosen member's points before a cart is priced, and what they are: the node's own count,
 * ERPNext's entries as last pulled plus this store's sales it has not confirmed yet (so a sale
 * made offline a minute ago is already in it).
 */
export function MemberBalance({ points, f }: { points: MemberPoints; f: Formats }) {
  return (
    <div className="loyalty">
      <p data-testid="member-points">
        {points.loyalty_program}: {f.qty(points.points)} points, worth{' '}
        {f.money(points.points_value)}
      </p>
      <p className="muted" data-testid="member-points-basis">
        {f.qty(points.pulled_points)} as of the last pull from ERPNext
        {points.unpushed_points !== 0 &&
          ` ${points.unpushed_points > 0 ? '+' : '−'} ${f.qty(Math.abs(points.unpushed_points))} from this store’s sales not yet sent`}
      </p>
    </div>
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
