import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import {
  heldSchema,
  saleSchema,
  tillSchema,
  type Item,
  type ReturnResult,
  type Sale,
  type Session,
  type Till as TillInfo,
} from '../api/schemas';
import type { Auth } from '../auth';
import {
  addItem,
  setCustomer,
  addLabel,
  cartBody,
  emptyCart,
  loadCart,
  removeLine,
  saveCart,
  setQty,
  setRate,
  type Cart,
} from '../cart';
import { ApproveDevice } from '../components/ApproveDevice';
import { CartView } from '../components/CartView';
import { Payment, paymentsOf, type Tendered } from '../components/Payment';
import { Receipt } from '../components/Receipt';
import { CustomerPicker } from '../components/CustomerPicker';
import { LoyaltyBalance } from '../components/Loyalty';
import { Holds } from '../components/Holds';
import {
  Return,
  emptyReturn,
  itemIntoReturn,
  scannedIntoReturn,
  type ReturnDraft,
} from '../components/Return';
import { Review } from '../components/Review';
import { Search } from '../components/Search';
import { Shift } from '../components/Shift';
import { StatusBar } from '../components/StatusBar';
import { Totals } from '../components/Totals';
import { formats } from '../format';
import { usePricing } from '../hooks/usePricing';
import { useLookups, useScans } from '../hooks/useScans';
import { useSync } from '../hooks/useSync';
import { message } from '../messages';
import { NO_SETTLEMENT, settlementBody, type Settlement } from '../settle';

const CART_KEY = 'outpost.cart';

type Stage =
  | { readonly step: 'cart' }
  | { readonly step: 'shift' }
  | { readonly step: 'holds' }
  | { readonly step: 'review' }
  | { readonly step: 'devices' }
  | { readonly step: 'return' }
  | { readonly step: 'returned'; readonly result: ReturnResult }
  | { readonly step: 'pay' }
  | { readonly step: 'done'; readonly sale: Sale };

const problem = (e: unknown): string => (e instanceof ApiError ? message(e) : String(e));

/** The sale screen: scan or search, the cart as the node priced it, payment, the receipt. */
export function Till({ auth, session }: { auth: Auth; session: Session }) {
  const [till, setTill] = useState<TillInfo | null>(null);
  const [cart, setCart] = useState<Cart>(() => loadCart(localStorage, CART_KEY));
  const [stage, setStage] = useState<Stage>({ step: 'cart' });
  const [tendered, setTendered] = useState<Tendered>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [selling, setSelling] = useState(false);
  const [returning, setReturning] = useState<ReturnDraft>(emptyReturn);
  // Chosen at payment (points for this cart's customer, a discount on the whole sale): not part
  // of the cart kept across a reload.
  const [settle, setSettle] = useState<Settlement>(NO_SETTLEMENT);
  const searchRef = useRef<HTMLInputElement>(null);
  const sync = useSync(auth);
  const payments = useMemo(() => (till ? paymentsOf(till, tendered) : []), [till, tendered]);
  const paying = stage.step === 'pay';
  const pricing = usePricing(
    auth,
    cart,
    paying ? payments : [],
    sync.pulls,
    paying ? settle : NO_SETTLEMENT,
  );
  const f = useMemo(() => (till ? formats(till.currency, till.currency_precision) : null), [till]);

  const [tillRead, setTillRead] = useState(0);
  useEffect(() => {
    auth.api.get('/api/till', tillSchema).then(
      (t) => {
        setTill(t);
        // No shift open: the float first (a shift the first sale opens has none).
        if (t.shift === null) setStage({ step: 'shift' });
      },
      (e: unknown) => setNotice(problem(e)),
    );
  }, [auth, tillRead]);

  const update = useCallback((next: (c: Cart) => Cart) => {
    setCart((c) => {
      const n = next(c);
      saveCart(localStorage, CART_KEY, n);
      return n;
    });
  }, []);

  // One object for the screen's life: the cart's memoized rows compare it by identity.
  const actions = useMemo(
    () => ({
      setQty: (id: number, qty: string) => update((c) => setQty(c, id, qty)),
      setRate: (id: number, rate: string | undefined) => update((c) => setRate(c, id, rate)),
      remove: (id: number) => update((c) => removeLine(c, id)),
    }),
    [update],
  );

  const addFound = useCallback(
    (item: Item) => {
      setNotice(null);
      // A weighed or price label, or a pack barcode (another UOM): the scan itself is the line.
      const code = item.barcode;
      const label = (item.barcode_rule ?? '') !== '' || item.uom !== item.stock_uom;
      if (code !== undefined && label && /^0+(\.0+)?$/.test(item.qty)) {
        // A scale's label template, or a misprint: nothing weighed, nothing to sell.
        setNotice(`${item.item_name}: the label reads a quantity of 0; weigh it again.`);
        return;
      }
      if (code !== undefined && label) update((c) => addLabel(c, code, item.item_name, item.qty));
      else update((c) => addItem(c, item.item_code, item.item_name));
    },
    [update],
  );

  const lookup = useLookups(auth, pricing.learn);
  useScans((code, field) => {
    if (field && field.id !== 'search') return;
    if (field?.id === 'search') field.blur();
    const failed = (e: unknown) => setNotice(`Scan ${code}: ${problem(e)}`);
    if (stage.step === 'return') {
      // The receipt's QR first; then the goods coming back, by their barcodes.
      if (returning.receipt === '') setReturning((d) => scannedIntoReturn(d, code));
      else lookup(code, (item) => setReturning((d) => itemIntoReturn(d, item)), failed);
      return;
    }
    setStage((s) => (s.step === 'cart' ? s : { step: 'cart' }));
    lookup(code, addFound, failed);
  });

  // Set when the node asked for a manager (a price set by the cashier, a discount past the limit).
  const [approval, setApproval] = useState<string | null>(null);
  const complete = useCallback(
    async (manager?: { id: string; pin: string }) => {
      if (selling || payments.length === 0) return;
      setSelling(true);
      setNotice(null);
      try {
        const body = {
          ...cartBody(cart),
          payments,
          ...settlementBody(settle),
          ...(manager ? { manager } : {}),
        };
        const sale = await auth.api.post('/api/sales', body, saleSchema);
        update(() => emptyCart);
        setTendered({});
        setSettle(NO_SETTLEMENT);
        setApproval(null);
        setStage({ step: 'done', sale });
      } catch (e) {
        if (e instanceof ApiError && e.kind === 'ApprovalRequired') setApproval(e.message);
        else if (e instanceof ApiError && manager && e.field === 'manager') setApproval(message(e));
        else setNotice(problem(e));
      } finally {
        setSelling(false);
      }
    },
    [auth, cart, payments, settle, selling, update],
  );

  const hold = useCallback(async () => {
    if (cart.lines.length === 0) return;
    try {
      const held = await auth.api.post('/api/holds', cartBody(cart), heldSchema);
      update(() => emptyCart);
      setNotice(`The cart is on hold as ${held.name}.`);
    } catch (e) {
      setNotice(problem(e));
    }
  }, [auth, cart, update]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F8') {
        e.preventDefault();
        setReturning(emptyReturn);
        setStage({ step: 'return' });
      } else if (e.key === 'F6' && stage.step === 'cart') {
        e.preventDefault();
        void hold();
      } else if (e.key === 'F7' && stage.step === 'cart' && cart.lines.length === 0) {
        e.preventDefault();
        setStage({ step: 'holds' });
      } else if (e.key === 'F4') {
        e.preventDefault();
        setStage({ step: 'shift' });
      } else if (e.key === 'F2') {
        e.preventDefault();
        setStage({ step: 'cart' });
        searchRef.current?.focus();
      } else if (e.key === 'F9' && stage.step === 'cart' && cart.lines.length > 0) {
        e.preventDefault();
        setStage({ step: 'pay' });
      } else if (e.key === 'F12' && stage.step === 'pay') {
        e.preventDefault();
        void complete();
      } else if (e.key === 'Escape' && stage.step === 'pay') {
        setStage({ step: 'cart' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stage.step, cart.lines.length, complete, hold]);

  if (!till || !f) {
    return (
      <main className="center">
        <p role="status">{notice ?? 'Opening the till…'}</p>
        <StatusBar sync={sync} f={null} />
      </main>
    );
  }
  const quote = cart.lines.length > 0 ? pricing.quote : null;
  return (
    <div className="till">
      <header className="top">
        <span className="brand">Outpost</span>
        <span>
          {till.company} · {till.store_id} · {till.terminal_id}
        </span>
        <span className="who" data-testid="cashier">
          {session.cashier.name}
        </span>
        <button
          type="button"
          onClick={() => {
            setReturning(emptyReturn);
            setStage({ step: 'return' });
          }}
        >
          Return (F8)
        </button>
        <button type="button" onClick={() => setStage({ step: 'shift' })}>
          Shift (F4)
        </button>
        <button type="button" onClick={() => setStage({ step: 'review' })}>
          Review
        </button>
        <button type="button" onClick={() => setStage({ step: 'devices' })}>
          Devices
        </button>
        <button type="button" onClick={() => void auth.logout()}>
          Log out
        </button>
      </header>
      <main className="sale">
        <section className="left" aria-label="Cart">
          <h1 className="visually-hidden">Sale</h1>
          <Search auth={auth} onPick={addFound} inputRef={searchRef} />
          <CustomerPicker
            auth={auth}
            current={cart.customer}
            onPick={(c) => {
              setSettle((x) => ({ ...x, redeem: 0 }));
              update((x) => setCustomer(x, c));
            }}
          />
          {quote?.loyalty && <LoyaltyBalance loyalty={quote.loyalty} f={f} />}
          {notice !== null && (
            <p role="alert" className="error" data-testid="notice">
              {notice}
            </p>
          )}
          {pricing.error !== null && cart.lines.length > 0 && (
            <p role="alert" className="error" data-testid="price-error">
              {message(pricing.error)}
            </p>
          )}
          <CartView cart={cart} quote={quote} f={f} actions={actions} />
        </section>
        <aside className="right" aria-label="Totals and payment">
          {stage.step === 'review' ? (
            <Review
              auth={auth}
              isManager={session.cashier.role === 'manager'}
              f={f}
              onBack={() => setStage({ step: 'cart' })}
            />
          ) : stage.step === 'devices' ? (
            <ApproveDevice auth={auth} onBack={() => setStage({ step: 'cart' })} />
          ) : stage.step === 'return' ? (
            <Return
              auth={auth}
              draft={returning}
              onDraft={setReturning}
              f={f}
              onDone={(result) => setStage({ step: 'returned', result })}
              onBack={() => setStage({ step: 'cart' })}
            />
          ) : stage.step === 'returned' ? (
            <Receipt
              auth={auth}
              invoiceNo={stage.result.invoice_no ?? ''}
              title="Return"
              against={stage.result.return_against}
              headline={`Refund: ${stage.result.refunds
                // The node signs refunds negative (money out); the cashier reads an amount to pay out.
                .map((r) => `${f.money(r.amount.replace(/^-/, ''))} ${r.mode}`)
                .join(', ')}`}
              onDone={() => setStage({ step: 'cart' })}
            />
          ) : stage.step === 'holds' ? (
            <Holds
              auth={auth}
              f={f}
              onRecall={(c) => {
                update(() => c);
                setStage({ step: 'cart' });
              }}
              onBack={() => setStage({ step: 'cart' })}
            />
          ) : stage.step === 'shift' ? (
            <Shift
              auth={auth}
              till={till}
              f={f}
              onChanged={() => setTillRead((n) => n + 1)}
              onBack={() => setStage({ step: 'cart' })}
            />
          ) : stage.step === 'done' ? (
            <Receipt
              auth={auth}
              invoiceNo={stage.sale.invoice_no}
              title="Sale"
              headline={`Change: ${f.money(stage.sale.change_amount)}`}
              onDone={() => setStage({ step: 'cart' })}
            />
          ) : stage.step === 'pay' ? (
            <Payment
              till={till}
              quote={quote}
              f={f}
              tendered={tendered}
              onTender={setTendered}
              onComplete={(manager) => void complete(manager)}
              approval={approval}
              onBack={() => {
                setApproval(null);
                setStage({ step: 'cart' });
              }}
              busy={selling || pricing.busy}
              settle={settle}
              onSettle={setSettle}
            />
          ) : (
            <>
              <Totals quote={quote} f={f} by={pricing.by} />
              {pricing.busy && quote === null && (
                <p className="muted" role="status">
                  Pricing…
                </p>
              )}
              <button
                type="button"
                className="primary big"
                data-testid="pay"
                disabled={cart.lines.length === 0 || quote === null}
                onClick={() => setStage({ step: 'pay' })}
              >
                Pay (F9)
              </button>
              <div className="actions">
                <button
                  type="button"
                  data-testid="hold"
                  disabled={cart.lines.length === 0}
                  onClick={() => void hold()}
                >
                  Hold (F6)
                </button>
                <button
                  type="button"
                  data-testid="recall-list"
                  disabled={cart.lines.length > 0}
                  onClick={() => setStage({ step: 'holds' })}
                >
                  Recall (F7)
                </button>
                <button
                  type="button"
                  disabled={cart.lines.length === 0}
                  onClick={() => update(() => emptyCart)}
                >
                  Clear the cart
                </button>
              </div>
            </>
          )}
        </aside>
      </main>
      <StatusBar sync={sync} f={f} />
    </div>
  );
}
