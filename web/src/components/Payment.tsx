import { useState } from 'react';
import type { Quote, Till } from '../api/schemas';
import { decimalText, quickCash, type Formats } from '../format';
import type { Settlement } from '../settle';
import { Redeem } from './Loyalty';

/** The usual notes a customer pays with, for the quick cash buttons (in major units). */
const NOTES = [5, 10, 20, 50, 100] as const;

export type Tendered = Readonly<Record<string, string>>;

/** The payments in the API's shape: the modes with an amount typed, in the profile's order. */
export function paymentsOf(till: Till, tendered: Tendered) {
  return till.modes
    .map((m) => ({ mode_of_payment: m.mode_of_payment, amount: tendered[m.mode_of_payment] ?? '' }))
    .filter((p) => /^\d+(\.\d+)?$/.test(p.amount) && !/^0+(\.0+)?$/.test(p.amount));
}

/**
 * Taking the money: an amount per mode of payment, quick cash buttons, and the change due as
 * the node computed it for these very payments (the till gives change from the cash mode).
 */
export function Payment({
  till,
  quote,
  f,
  tendered,
  onTender,
  onComplete,
  approval,
  onBack,
  busy,
  settle,
  onSettle,
}: {
  till: Till;
  quote: Quote | null;
  f: Formats;
  tendered: Tendered;
  onTender: (t: Tendered) => void;
  /** The sale is complete once `manager` is given (absent: no approval needed so far). */
  onComplete: (manager?: { id: string; pin: string }) => void;
  /** Why a manager must approve (the node's refusal), or null. */
  approval: string | null;
  onBack: () => void;
  busy: boolean;
  /** Points redeemed and a whole-sale discount, priced by the node with the tender. */
  settle: Settlement;
  onSettle: (s: Settlement) => void;
}) {
  const [manager, setManager] = useState({ id: '', pin: '' });
  // Less the points redeemed: what the customer still pays, as the node computed it.
  const due = quote
    ? (quote.amount_due ??
      decimalText(quote.rounded_total || quote.grand_total, till.currency_precision))
    : null;
  const cash = till.modes.find((m) => m.type === 'Cash')?.mode_of_payment;
  const priced = quote !== null && paymentsOf(till, tendered).length > 0;
  const short = priced && quote.paid_amount < (quote.rounded_total || quote.grand_total);
  return (
    <section className="payment" aria-label="Payment">
      <h2>
        Payment — due <span data-testid="due">{due !== null ? f.money(due) : '…'}</span>
      </h2>
      <div className="mode">
        <label htmlFor="sale-discount">Discount on the sale (%)</label>
        <input
          id="sale-discount"
          inputMode="decimal"
          autoComplete="off"
          value={settle.discount}
          onChange={(e) =>
            onSettle({ ...settle, discount: e.target.value.replace(/[^\d.]/g, '').slice(0, 6) })
          }
        />
      </div>
      {quote !== null && quote.discount_amount !== 0 && (
        <p data-testid="sale-discount">Discount: −{f.money(quote.discount_amount)}</p>
      )}
      {quote?.loyalty && (
        <Redeem
          loyalty={quote.loyalty}
          redeem={settle.redeem}
          onRedeem={(redeem) => onSettle({ ...settle, redeem })}
          f={f}
        />
      )}
      {till.modes.map((m) => (
        <div className="mode" key={m.mode_of_payment}>
          <label htmlFor={`pay-${m.mode_of_payment}`}>{m.mode_of_payment}</label>
          <input
            id={`pay-${m.mode_of_payment}`}
            inputMode="decimal"
            autoComplete="off"
            value={tendered[m.mode_of_payment] ?? ''}
            onChange={(e) => onTender({ ...tendered, [m.mode_of_payment]: e.target.value.trim() })}
          />
          {due !== null && m.type !== 'Cash' && (
            <button type="button" onClick={() => onTender({ [m.mode_of_payment]: due })}>
              Exact
            </button>
          )}
        </div>
      ))}
      {cash !== undefined && due !== null && (
        <div className="quick" role="group" aria-label="Quick cash">
          {quickCash(due, till.currency_precision, NOTES).map((amount) => (
            <button
              type="button"
              key={amount}
              data-testid="quick-cash"
              onClick={() => onTender({ [cash]: amount })}
            >
              {f.money(amount)}
            </button>
          ))}
        </div>
      )}
      <dl className="totals">
        <div>
          <dt>Paid</dt>
          <dd data-testid="paid">{priced ? f.money(quote.paid_amount) : '—'}</dd>
        </div>
        <div className="grand">
          <dt>Change due</dt>
          <dd data-testid="change">{priced ? f.money(quote.change_amount) : '—'}</dd>
        </div>
      </dl>
      {short && <p className="error">Not enough paid yet.</p>}
      {approval !== null && (
        <form
          className="approve"
          onSubmit={(e) => {
            e.preventDefault();
            onComplete(manager);
          }}
        >
          <p role="alert" className="error">
            A manager must approve this sale.
          </p>
          <p className="muted">{approval}</p>
          <label htmlFor="approve-id">Manager</label>
          <input
            id="approve-id"
            autoComplete="off"
            value={manager.id}
            onChange={(e) => setManager({ ...manager, id: e.target.value })}
          />
          <label htmlFor="approve-pin">Manager PIN</label>
          <input
            id="approve-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={manager.pin}
            onChange={(e) => setManager({ ...manager, pin: e.target.value })}
          />
          <button type="submit" className="primary" disabled={busy || !manager.id || !manager.pin}>
            Approve and complete
          </button>
        </form>
      )}
      <div className="actions">
        <button type="button" onClick={onBack}>
          Back to the cart (Esc)
        </button>
        <button
          type="button"
          className="primary"
          data-testid="complete"
          disabled={busy || !priced || short}
          onClick={() => onComplete()}
        >
          Complete sale (F12)
        </button>
      </div>
    </section>
  );
}
