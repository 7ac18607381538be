import type { Till } from '../api/schemas';

/** The screens the header opens beside the sale. */
export type Opened = 'return' | 'shift' | 'review' | 'devices';

/** The till's top bar: where and who, the other screens, logging out. */
export function TillHeader({
  till,
  cashier,
  onOpen,
  onLogout,
}: {
  till: Till;
  cashier: string;
  onOpen: (screen: Opened) => void;
  onLogout: () => void;
}) {
  return (
    <header className="top">
      <span className="brand">Outpost</span>
      <span>
        {till.company} · {till.store_id} · {till.terminal_id}
      </span>
      <span className="who" data-testid="cashier">
        {cashier}
      </span>
      <button type="button" onClick={() => onOpen('return')}>
        Return (F8)
      </button>
      <button type="button" onClick={() => onOpen('shift')}>
        Shift (F4)
      </button>
      <button type="button" onClick={() => onOpen('review')}>
        Review
      </button>
      <button type="button" onClick={() => onOpen('devices')}>
        Devices
      </button>
      <button type="button" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}
