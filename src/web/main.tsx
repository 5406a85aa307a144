import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ConfigProviderProps } from 'antd';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import enUSModule from 'antd/es/locale/en_US.js';
import { ApiError } from './api.ts';
import { AuthBridge } from './auth.tsx';
import { I18nProvider, useI18n } from './i18n.tsx';
import { AppRoutes } from './router.tsx';
import { theme } from './theme.ts';
import './styles.css';

type AntdLocale = NonNullable<ConfigProviderProps['locale']>;

/** antd's ES files look like CommonJS to TypeScript (its package has no "type": "module"): unwrap the default either way. */
function asLocale(m: unknown): AntdLocale {
  let v = m as { locale?: unknown; default?: unknown } | undefined;
  while (v && typeof v.locale !== 'string' && v.default) v = v.default as typeof v;
  return v as AntdLocale;
}
const zhCN = asLocale(zhCNModule);
const enUS = asLocale(enUSModule);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; a network hiccup might.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

/** antd in the UI language: zh_CN by default, en_US when switched. Times are shown in Asia/Shanghai (format.ts). */
function LocalisedAntd({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <LocalisedAntd>
          <BrowserRouter>
            <AuthBridge />
            <AppRoutes />
          </BrowserRouter>
        </LocalisedAntd>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
