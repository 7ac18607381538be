import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { checkQuantity } from '../quantity';
import type { Weighing } from '../weighed';

const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '.', '0', '⌫'] as const;

/**
 * Asks the weight of an item sold by weight that came without one (picked in the search, or a
 * label printed with nothing on the scale). Keyboard first: the field has the focus, Enter
 * adds, Escape cancels; the buttons do the same by touch.
 */
export function WeightEntry({
  weighing,
  onAdd,
  onCancel,
}: {
  weighing: Weighing;
  onAdd: (qty: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Asked again (a scan landed in the field): start from an empty field.
  useEffect(() => {
    setText('');
    setProblem(null);
  }, [weighing]);
  const id = useId();
  const field = `Weight (${weighing.uom})`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = checkQuantity(text, weighing.precision);
    if ('problem' in r) setProblem(`${field}: ${r.problem}.`);
    else onAdd(r.qty);
  };
  const type = (next: string) => {
    setText(next);
    setProblem(null);
  };
  const press = (k: (typeof KEYS)[number]) =>
    type(k === '⌫' ? text.slice(0, -1) : (text + k).slice(0, 16));
  const onKey = (e: KeyboardEvent<HTMLFormElement>) => {
    // Escape closes this dialog only (not the payment or search behind it).
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }
    // A modal dialog keeps the focus (WAI-ARIA dialog pattern): Tab from its last control goes
    // to its first, Shift+Tab from its first to its last, never to the till behind it.
    if (e.key === 'Tab') {
      const controls = [...e.currentTarget.querySelectorAll<HTMLElement>('input, button')];
      const first = controls[0];
      const last = controls[controls.length - 1];
      const at = document.activeElement;
      if (e.shiftKey && at === first && last) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && at === last && first) {
        e.preventDefault();
        first.focus();
      }
    }
  };
  return (
    <div className="overlay">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="weight-dialog"
      >
        <form onSubmit={submit} onKeyDown={onKey}>
          <h2 id={`${id}-title`}>Weigh {weighing.item_name}</h2>
          {weighing.reason !== undefined && <p className="muted">{weighing.reason}</p>}
          <label htmlFor="weight">{field}</label>
          <input
            id="weight"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            aria-invalid={problem !== null}
            aria-describedby={problem !== null ? `${id}-problem` : undefined}
            value={text}
            onChange={(e) => {
              setText(e.target.value.replace(',', '.'));
              setProblem(null);
            }}
          />
          <p className="muted">
            {weighing.precision === 0
              ? 'Whole units only.'
              : `Up to ${weighing.precision} decimals, e.g. ${'0.45'.padEnd(weighing.precision + 2, '0').slice(0, weighing.precision + 2)}.`}
          </p>
          <div className="keypad" role="group" aria-label="Weight keypad">
            {KEYS.map((k) => (
              <button
                type="button"
                key={k}
                onClick={() => press(k)}
                aria-label={k === '⌫' ? 'Delete last digit' : k === '.' ? 'Decimal point' : k}
              >
                {k}
              </button>
            ))}
          </div>
          {problem !== null && (
            <p role="alert" className="error" id={`${id}-problem`} data-testid="weight-problem">
              {problem}
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={onCancel}>
              Cancel (Esc)
            </button>
            <button type="submit" className="primary">
              Add (Enter)
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
