import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client';
import type { Permission } from '@ktt/auth/principal';
import type { Me } from '../api/types';

/**
 * Who is signed in. The token (pasted by the user: in the embedded default the
 * admin token printed at first start, or one from `npm run cli -- token`) is
 * checked by the server (`GET /api/me`) before it is kept; its role's
 * permissions decide what the UI offers (`can`), the server still decides what
 * it accepts.
 *
 * The token is kept in sessionStorage: a reload of the tab stays signed in,
 * closing the tab forgets it, and it is not shared with other tabs or left on
 * disk for whatever script or user comes later (localStorage would keep a
 * bearer token, often an admin's, for good). Where sessionStorage is refused,
 * it lives in memory only.
 */
const STORAGE_KEY = 'ktt.token';

interface Session {
  token: string | null;
  me: Me | null;
  client: ApiClient;
  signIn(token: string): Promise<void>;
  signOut(): void;
  can(permission: Permission): boolean;
  /** Registrars write only for their provinces; admins everywhere; others nowhere. */
  canWriteProvince(provinceCode: string): boolean;
}

const SessionContext = createContext<Session | null>(null);

interface Stored {
  token: string;
  me: Me;
}

function readStored(): Stored | null {
  forgetLegacyToken();
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

function writeStored(stored: Stored | null): void {
  try {
    if (stored) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (a private mode, a quota): the session lives in memory until the tab reloads.
  }
}

/** Earlier versions kept the token in localStorage: it is removed, not moved (whoever could read it there may have it). */
function forgetLegacyToken(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // No localStorage: nothing was left there.
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(readStored);
  const signOut = useCallback(() => {
    writeStored(null);
    setStored(null);
  }, []);
  const client = useMemo(() => new ApiClient(stored?.token ?? null, signOut), [stored, signOut]);
  const signIn = useCallback(async (token: string) => {
    const trimmed = token.trim();
    const me = await new ApiClient(trimmed).get<Me>('/api/me');
    const next = { token: trimmed, me };
    writeStored(next);
    setStored(next);
  }, []);
  const value = useMemo<Session>(
    () => ({
      token: stored?.token ?? null,
      me: stored?.me ?? null,
      client,
      signIn,
      signOut,
      can: (permission) => stored?.me.permissions.includes(permission) ?? false,
      canWriteProvince: (provinceCode) =>
        stored?.me.role === 'admin' || (stored?.me.role === 'registrar' && stored.me.provinces.includes(provinceCode)),
    }),
    [stored, client, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The API client of the signed-in user. */
export function useApi(): ApiClient {
  return useSession().client;
}
