import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { PUBLIC_DISCLOSURE_PATH, PUBLIC_TRACE_PATH, PublicDisclosurePage, PublicTracePage } from '../domains/donations/web/routes.tsx';
import { allRoutes } from './domains.ts';
import { RequireAuth, RequirePermission } from './shell/guards.tsx';
import { PageSpin } from './shell/PageSpin.tsx';
import { ForbiddenPage } from './pages/ForbiddenPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';

const HomePage = lazy(() => import('./pages/HomePage.tsx').then((m) => ({ default: m.HomePage })));
const LoginPage = lazy(() => import('../domains/accounts/web/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() => import('../domains/accounts/web/ChangePasswordPage.tsx').then((m) => ({ default: m.ChangePasswordPage })));
const TotpPage = lazy(() => import('../domains/accounts/web/TotpPage.tsx').then((m) => ({ default: m.TotpPage })));

/** The whole route table: sign-in outside, everything else behind the session guard. */
export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <Suspense fallback={<PageSpin fullScreen />}>
            <LoginPage />
          </Suspense>
        }
      />
      {/* Public, no sign-in: the donor's own lookup by the code on the receipt. */}
      <Route
        path={PUBLIC_TRACE_PATH}
        element={
          <Suspense fallback={<PageSpin fullScreen />}>
            <PublicTracePage />
          </Suspense>
        }
      />
      {/* Public, no sign-in: 捐赠公示 — every gift and payment of a month, and the published reports. */}
      <Route
        path={PUBLIC_DISCLOSURE_PATH}
        element={
          <Suspense fallback={<PageSpin fullScreen />}>
            <PublicDisclosurePage />
          </Suspense>
        }
      />
      <Route element={<RequireAuth />}>
        <Route index element={<HomePage />} />
        <Route path="account/password" element={<ChangePasswordPage />} />
        <Route path="account/totp" element={<TotpPage />} />
        {allRoutes.map((r) => (
          <Route
            key={r.path}
            path={r.path}
            element={
              <RequirePermission permission={r.permission}>
                <r.Component />
              </RequirePermission>
            }
          />
        ))}
        <Route path="403" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
