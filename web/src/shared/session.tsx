import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useState,
} from 'react';
import { getJson, onUnauthorized, postJson } from './api.js';

// Who is signed in. The server keeps the session in an httpOnly cookie; the
// app only asks /auth/me who that is and which roles the user holds.

export type Role =
  | 'agent'
  | 'collector'
  | 'negotiator'
  | 'supervisor'
  | 'admin';

export type User = {
  readonly username: string;
  readonly display_name: string;
  readonly roles: readonly Role[];
};

type SessionValue = {
  readonly user: User | undefined;
  readonly checking: boolean;
  readonly login: (username: string, password: string) => Promise<User>;
  readonly logout: () => Promise<void>;
};

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User>();
  const [checking, setChecking] = useState(true);
  useEffect(() => {
    getJson<User>('/auth/me')
      .then(setUser)
      .catch(() => setUser(undefined))
      .finally(() => setChecking(false));
    return onUnauthorized(() => setUser(undefined));
  }, []);
  const login = useCallback(async (username: string, password: string) => {
    const answer = await postJson<{ user: User }>('/auth/login', {
      username,
      password,
    });
    setUser(answer.user);
    return answer.user;
  }, []);
  const logout = useCallback(async () => {
    await postJson('/auth/logout').catch(() => undefined);
    setUser(undefined);
  }, []);
  return (
    <SessionContext.Provider value={{ user, checking, login, logout }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession outside provider');
  return value;
}
