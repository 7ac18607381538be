import { useSyncExternalStore } from 'react';
import type { Auth } from './auth';
import { Login } from './screens/Login';
import { Pair } from './screens/Pair';
import { Till } from './screens/Till';

/** Pairing, then a cashier's login, then the till: whichever step this device is at. */
export function App({ auth }: { auth: Auth }) {
  const state = useSyncExternalStore(
    (l) => auth.subscribe(l),
    () => auth.state(),
  );
  if (state.step === 'pair') return <Pair auth={auth} reason={state.reason} />;
  if (state.step === 'login') return <Login auth={auth} />;
  return <Till auth={auth} session={state.session} />;
}
