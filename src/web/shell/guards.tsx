import { useEffect, useRef, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Button, Result } from 'antd';
import { api } from '../api.ts';
import { MeProvider, STAGE_PATHS, useHasPermission, useMe, useMeQuery } from '../auth.tsx';
import { languageChoice, useI18n } from '../i18n.tsx';
import { common } from '../messages.ts';
import { ForbiddenPage } from '../pages/ForbiddenPage.tsx';
import { AppLayout, StageLayout } from './AppLayout.tsx';
import { PageSpin } from './PageSpin.tsx';
import { signOutState } from './session.ts';

/** Brings the account's language and the screen together once per sign-in. */
function LanguageSync() {
  const me = useMe();
  const { lang, setLang } = useI18n();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (done.current === me.user.id) return;
    done.current = me.user.id;
    if (languageChoice.beforeSignIn) {
      // Picked on the sign-in page just now: the account follows, so exports match the screen.
      languageChoice.beforeSignIn = false;
      if (me.user.language !== lang) api('/api/auth/language', { method: 'PUT', body: { language: lang } }).catch(() => undefined);
    } else if (me.user.language !== lang) {
      setLang(me.user.language);
    }
  }, [me.user.id, me.user.language, lang, setLang]);
  return null;
}

/**
 * The signed-in part of the app. Nobody signed in: to the login page, remembering the way back.
 * A sign-in that still needs a password change or TOTP enrolment: only that page.
 */
export function RequireAuth() {
  const q = useMeQuery();
  const location = useLocation();
  const { t } = useI18n();
  if (q.isPending) return <PageSpin fullScreen />;
  if (q.isError) {
    return (
      <Result
        status="error"
        title={t(common.loadFailed)}
        subTitle={q.error.message}
        extra={<Button onClick={() => void q.refetch()}>{t(common.retry)}</Button>}
      />
    );
  }
  const me = q.data;
  if (!me) {
    const here = location.pathname + location.search;
    const next = signOutState.explicit || here === '/' ? '' : `?next=${encodeURIComponent(here)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  if (me.stage !== 'full') {
    const only = STAGE_PATHS[me.stage];
    if (location.pathname !== only) return <Navigate to={only} replace />;
    return (
      <MeProvider me={me}>
        <LanguageSync />
        <StageLayout />
      </MeProvider>
    );
  }
  return (
    <MeProvider me={me}>
      <LanguageSync />
      <AppLayout />
    </MeProvider>
  );
}

export function RequirePermission({ permission, children }: { permission: string | undefined; children: ReactNode }) {
  const has = useHasPermission();
  return has(permission) ? children : <ForbiddenPage />;
}
