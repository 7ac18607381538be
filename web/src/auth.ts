import { Api, type Credentials } from './api/client';
import { sessionSchema, type Session } from './api/schemas';
import { DEVICE_HEADER } from './pairing';

/*
 * The screen's whole knowledge of who it is and who sells: a device token (from the pairing
 * flow in pairing.ts once a manager approved its code, typed by the operator, or in the demo's
 * link as #pair=TOKEN) and a cashier's PIN session (POST /api/session).
 */

const DEVICE_KEY = 'outpost.device-token';
const SESSION_KEY = 'outpost.session';
const SESSION_HEADER = 'x-outpost-session';

export type AuthState =
  | { readonly step: 'pair'; readonly reason: string | null }
  | { readonly step: 'login' }
  | { readonly step: 'selling'; readonly session: Session };

function storedSession(): Session | null {
  const text = sessionStorage.getItem(SESSION_KEY);
  if (text === null) return null;
  try {
    return sessionSchema.parse(JSON.parse(text));
  } catch {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
}

export class Auth implements Credentials {
  private device: string | null;
  private session: Session | null;
  private readonly listeners = new Set<() => void>();
  private snapshot: AuthState | null = null;
  /** Why this terminal was unpaired, said on the pairing screen (a revoked device is told so). */
  private unpairedBecause: string | null = null;
  readonly api: Api;

  constructor() {
    const fromLink = /^#pair=([A-Za-z0-9_-]{16,})$/.exec(location.hash)?.[1];
    if (fromLink !== undefined) {
      localStorage.setItem(DEVICE_KEY, fromLink);
      // The token must not stay in the address bar, the history or a screenshot.
      history.replaceState(null, '', location.pathname + location.search);
    }
    this.device = localStorage.getItem(DEVICE_KEY);
    this.session = this.device === null ? null : storedSession();
    this.api = new Api(this);
  }

  /** The same object until something changes (React's useSyncExternalStore relies on it). */
  state(): AuthState {
    this.snapshot ??= this.compute();
    return this.snapshot;
  }

  private compute(): AuthState {
    if (this.device === null) return { step: 'pair', reason: this.unpairedBecause };
    if (this.session === null) return { step: 'login' };
    return { step: 'selling', session: this.session };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.device !== null) h[DEVICE_HEADER] = this.device;
    if (this.session !== null) h[SESSION_HEADER] = this.session.session_token;
    return h;
  }

  onRefused(kind: string): void {
    if (kind === 'DeviceRevoked') this.unpair('A manager revoked this terminal: pair it again.');
    else if (kind === 'DeviceUnknown') this.unpair('The store node does not know this terminal.');
    else if (kind === 'SessionExpired' || kind === 'SessionRequired') this.setSession(null);
  }

  /** Pairs this browser with the node by a device token (approved, or given by the operator). */
  pair(token: string): void {
    localStorage.setItem(DEVICE_KEY, token.trim());
    this.device = token.trim();
    this.unpairedBecause = null;
    this.emit();
  }

  unpair(reason: string | null = null): void {
    localStorage.removeItem(DEVICE_KEY);
    this.device = null;
    this.unpairedBecause = reason;
    this.setSession(null);
  }

  async login(cashier: string, pin: string): Promise<void> {
    const session = await this.api.post('/api/session', { cashier, pin }, sessionSchema);
    this.setSession(session);
  }

  async logout(): Promise<void> {
    try {
      await this.api.send('DELETE', '/api/session');
    } finally {
      this.setSession(null);
    }
  }

  private setSession(s: Session | null): void {
    this.session = s;
    if (s === null) sessionStorage.removeItem(SESSION_KEY);
    else sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    this.emit();
  }

  private emit(): void {
    this.snapshot = null;
    for (const l of [...this.listeners]) l();
  }
}
