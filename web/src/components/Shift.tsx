import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import {
  shiftOpenedSchema,
  xReportSchema,
  zReportSchema,
  type ShiftReport,
  type Till,
  type ZReport,
} from '../api/schemas';
import type { Auth } from '../auth';
import type { Formats } from '../format';
import { message } from '../messages';

const DECIMAL = /^\d+(\.\d+)?$/;

/** One amount per mode of payment, typed by the cashier (the float, or the count). */
function PerModeForm({
  till,
  idPrefix,
  submit,
  label,
  busy,
}: {
  till: Till;
  idPrefix: string;
  submit: (amounts: { mode: string; amount: string }[]) => void;
  label: string;
  busy: boolean;
}) {
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(
      till.modes.map((m) => ({
        mode: m.mode_of_payment,
        amount: DECIMAL.test(amounts[m.mode_of_payment] ?? '')
          ? (amounts[m.mode_of_payment] ?? '0')
          : '0',
      })),
    );
  };
  return (
    <form onSubmit={onSubmit}>
      {till.modes.map((m) => (
        <div className="mode" key={m.mode_of_payment}>
          <label htmlFor={`${idPrefix}-${m.mode_of_payment}`}>{m.mode_of_payment}</label>
          <input
            id={`${idPrefix}-${m.mode_of_payment}`}
            inputMode="decimal"
            autoComplete="off"
            value={amounts[m.mode_of_payment] ?? ''}
            onChange={(e) => setAmounts({ ...amounts, [m.mode_of_payment]: e.target.value.trim() })}
          />
        </div>
      ))}
      <button type="submit" className="primary" disabled={busy}>
        {label}
      </button>
    </form>
  );
}

function Figures({ report, f }: { report: ShiftReport | ZReport; f: Formats }) {
  const rows: [string, string][] = [
    ['Opened', `${f.dateTime(report.opened_at)} (${report.opened_by})`],
    ['Sales', `${report.sales.count} · ${f.money(report.sales.grand_total)}`],
    ['Returns', `${report.returns.count} · ${f.money(report.returns.grand_total)}`],
    ['Voids', `${report.voids.count} · ${f.money(report.voids.grand_total)}`],
    ['Grand total', f.money(report.grand_total)],
  ];
  for (const [mode, v] of Object.entries(report.expected)) {
    rows.push([`${mode} expected`, f.money(v)]);
  }
  if ('counted' in report) {
    for (const [mode, v] of Object.entries(report.counted))
      rows.push([`${mode} counted`, f.money(v)]);
    for (const [mode, v] of Object.entries(report.difference)) {
      rows.push([`${mode} difference`, f.money(v)]);
    }
  }
  return (
    <dl className="totals" data-testid="shift-figures">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The shift: open it with the float per mode; the X report (figures so far, journaled);
 * close it with the cash count (Z report: counted against expected, sealed in the journal).
 */
export function Shift({
  auth,
  till,
  f,
  onChanged,
  onBack,
}: {
  auth: Auth;
  till: Till;
  f: Formats;
  onChanged: () => void;
  onBack: () => void;
}) {
  const [x, setX] = useState<ShiftReport | null>(null);
  const [z, setZ] = useState<ZReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? message(e) : String(e));
    } finally {
      setBusy(false);
    }
  };
  const open = (amounts: { mode: string; amount: string }[]) =>
    void act(async () => {
      await auth.api.post(
        '/api/shifts',
        {
          balance_details: amounts.map((a) => ({
            mode_of_payment: a.mode,
            opening_amount: a.amount,
          })),
        },
        shiftOpenedSchema,
      );
      setZ(null);
      onChanged();
      onBack();
    });
  const close = (amounts: { mode: string; amount: string }[]) =>
    void act(async () => {
      const r = await auth.api.post(
        '/api/shifts/current/close',
        {
          payment_reconciliation: amounts.map((a) => ({
            mode_of_payment: a.mode,
            closing_amount: a.amount,
          })),
        },
        zReportSchema,
      );
      setZ(r.z_report);
      setX(null);
      onChanged();
    });
  return (
    <section className="shift" aria-label="Shift">
      <h2>Shift</h2>
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {z !== null && (
        <>
          <h3 data-testid="z-report">Z report — shift closed</h3>
          <Figures report={z} f={f} />
        </>
      )}
      {till.shift === null ? (
        <>
          <h3>Open a shift: the float in the drawer</h3>
          <PerModeForm till={till} idPrefix="float" submit={open} label="Open shift" busy={busy} />
        </>
      ) : (
        <>
          <p>
            Open since {f.dateTime(till.shift.opened_at)} ({till.shift.opened_by}).
          </p>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                setX((await auth.api.get('/api/shifts/current/x-report', xReportSchema)).x_report);
              })
            }
          >
            X report
          </button>
          {x !== null && <Figures report={x} f={f} />}
          <h3>Close the shift: count the drawer</h3>
          <PerModeForm
            till={till}
            idPrefix="count"
            submit={close}
            label="Close shift"
            busy={busy}
          />
        </>
      )}
      <div className="actions">
        <button type="button" onClick={onBack}>
          Back to selling
        </button>
      </div>
    </section>
  );
}
