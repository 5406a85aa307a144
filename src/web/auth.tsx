import { createContext, useCallback, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Me, SessionStage } from '../domains/accounts/accounts.contract.ts';
import { App } from 'antd';
import { api, ApiError, setAuthHooks, setCsrfToken } from './api.ts';
import { useI18n } from './i18n.tsx';
import { shellMessages } from './messages.ts';

/**
 * The signed-in user ("me") lives in the query cache under ['me']: `null` when nobody is signed in.
 * Every Me the server sends (sign-in, password change, TOTP confirmation rotate the session)
 * goes through `acceptMe`, which also takes the session's new CSRF token.
 */
export const meKey = ['me'] as const;

/** Where a session that is not yet complete must go, and nowhere else. */
export const STAGE_PATHS: Record<Exclude<SessionStage, 'full'>, string> = {
  password_change: '/account/password',
  mfa_enrol: '/account/totp',
};

export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('/api/auth/me', { silentAuth: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function acceptMe(queryClient: QueryClient, me: Me) {
  setCsrfToken(me.csrfToken);
  queryClient.setQueryData(meKey, me);
}

/** Forgets everything fetched for the previous user. */
export function dropSession(queryClient: QueryClient) {
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  queryClient.setQueryData(meKey, null);
}

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
}

const MeContext = createContext<Me | null>(null);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

/** The signed-in user; only inside the signed-in part of the app. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in page');
  return me;
}

export function useHasPermission(): (permission: string | undefined) => boolean {
  const me = useMe();
  return useCallback((permission) => !permission || me.user.permissions.includes(permission), [me]);
}

/** Connects the API client's session errors to the cache: the route guards do the rest. */
export function AuthBridge() {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { t } = useI18n();
  useEffect(() => {
    setAuthHooks({
      onUnauthenticated: (code) => {
        if (!queryClient.getQueryData(meKey)) return;
        dropSession(queryClient);
        if (code === 'session_expired') void message.warning(t(shellMessages.sessionEnded));
      },
      onStageRequired: () => {
        void queryClient.invalidateQueries({ queryKey: meKey });
      },
      onCsrfFailed: () => {
        void queryClient.invalidateQueries({ queryKey: meKey });
      },
    });
    return () => setAuthHooks({});
  }, [queryClient, message, t]);
  return null;
}
