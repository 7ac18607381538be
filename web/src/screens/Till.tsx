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
  addWeighed,
  setCustomer,
  addLabel,
  cartBody,
  emptyCart,
  removeLine,
  setQty,
  setRate,
  type Cart,
} from '../cart';
import { ApproveDevice } from '../components/ApproveDevice';
import { CartActions } from '../components/CartActions';
import { CartView } from '../components/CartView';
import { Payment, paymentsOf } from '../components/Payment';
import { Receipt } from '../components/Receipt';
import { CustomerPicker } from '../components/CustomerPicker';
import { LoyaltyBalance, MemberBalance } from '../components/Loyalty';
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
import { TillHeader } from '../components/TillHeader';
import { WeightEntry } from '../components/WeightEntry';
import { formats } from '../format';
import { usePricing } from '../hooks/usePricing';
import { useKeptCart } from '../hooks/useKeptCart';
import { useMemberPoints } from '../hooks/useMemberPoints';
import { useLookups, useScans } from '../hooks/useScans';
import { useSettlement } from '../hooks/useSettlement';
import { useSync } from '../hooks/useSync';
import { useUnits } from '../hooks/useUnits';
import { message } from '../messages';
import { NO_SETTLEMENT, settlementBody } from '../settle';
import { adding, type Weighing } from '../weighed';

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
  const [cart, setCart] = useKeptCart(localStorage, CART_KEY);
  const [stage, setStage] = useState<Stage>({ step: 'cart' });
  const [notice, setNotice] = useState<string | null>(null);
  const [selling, setSelling] = useState(false);
  const [returning, setReturning] = useState<ReturnDraft>(emptyReturn);
  // Entered at payment (amounts per mode, points for this cart's customer, a discount on the
  // whole sale): kept across a reload for this very cart, forgotten when it changes.
  const settlement = useSettlement(localStorage, till, cart);
  const { tendered, settle, setTendered, setSettle, clear: forgetPayment } = settlement;
  const [weighing, setWeighing] = useState<Weighing | null>(null);
  const [sold, setSold] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const sync = useSync(auth);
  const units = useUnits(auth, sync.pulls);
  const member = useMemberPoints(auth, cart.customer?.name, sync.pulls, sold);
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

  const update = useCallback((next: (c: Cart) => Cart) => setCart(next), [setCart]);

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
      const a = adding(item, units);
      if ('refuse' in a) setNotice(a.refuse);
      else if ('ask' in a) setWeighing(a.ask);
      else if (a.add === 'label') update((c) => addLabel(c, a.barcode, item.item_name, item.qty));
      else update((c) => addItem(c, item.item_code, item.item_name));
    },
    [update, units],
  );

  const lookup = useLookups(auth, pricing.learn);
  useScans((code, field) => {
    if (weighing !== null) {
      // A code scanned while the weight is asked is not a weight: its digits typed into the
      // field are cleared (a new request), and the scan is not sold.
      setWeighing({ ...weighing, reason: `${code} is a scanned code, not a weight.` });
      return;
    }
    if (field && field.id !== 'search') return;
    if (field?.id === 'search') field.blur();
    const failed = (e: unknown) => setNotice(`Scan ${code}: ${problem(e)}`);
    if (stage.step === 'return') {
      // The receipt's QR first; then the goods coming back, by their barcodes.
      if (returning.receipt === '') setReturning((d) => scannedIntoReturn(d, code));
      else lookup(code, (item) => setReturning((d) => itemIntoReturn(d, item)), failed);
      return;
    }
    // The lookup first: its request goes out before anything here re-renders the screen.
    lookup(code, addFound, failed);
    if (stage.step !== 'cart') setStage({ step: 'cart' });
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
        forgetPayment();
        setSold((n) => n + 1);
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
    [auth, cart, payments, settle, selling, update, forgetPayment],
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

  // A reload in the middle of taking the money comes back to the payment, as it was entered.
  // Once: a later read of the till (a shift opened) must not bring the payment back.
  const { restored } = settlement;
  const resumed = useRef(false);
  useEffect(() => {
    if (resumed.current || restored !== true || !till?.shift) return;
    resumed.current = true;
    setStage({ step: 'pay' });
  }, [restored, till?.shift]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // The weight dialog has the keyboard until it is closed.
      if (weighing !== null) return;
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
  }, [stage.step, cart.lines.length, complete, hold, weighing]);

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
      <TillHeader
        till={till}
        cashier={session.cashier.name}
        onOpen={(screen) => {
          if (screen === 'return') setReturning(emptyReturn);
          setStage({ step: screen });
        }}
        onLogout={() => void auth.logout()}
      />
      <main className="sale">
        <section className="left" aria-label="Cart">
          <h1 className="visually-hidden">Sale</h1>
          <Search auth={auth} onPick={addFound} inputRef={searchRef} />
          <CustomerPicker
            auth={auth}
            current={cart.customer}
            // Another customer is another cart: what was entered at payment is forgotten.
            onPick={(c) => update((x) => setCustomer(x, c))}
          />
          {quote?.loyalty ? (
            <LoyaltyBalance loyalty={quote.loyalty} f={f} />
          ) : (
            member !== null && <MemberBalance points={member} f={f} />
          )}
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
            <CartActions
              quote={quote}
              f={f}
              by={pricing.by}
              busy={pricing.busy}
              lines={cart.lines.length}
              onPay={() => setStage({ step: 'pay' })}
              onHold={() => void hold()}
              onRecall={() => setStage({ step: 'holds' })}
              onClear={() => update(() => emptyCart)}
            />
          )}
        </aside>
      </main>
      {weighing !== null && (
        <WeightEntry
          weighing={weighing}
          onAdd={(qty) => {
            update((c) => addWeighed(c, weighing.item_code, weighing.item_name, qty));
            setWeighing(null);
          }}
          onCancel={() => setWeighing(null)}
        />
      )}
      <StatusBar sync={sync} f={f} />
    </div>
  );
}
