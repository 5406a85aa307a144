import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { ApiError } from './api.ts';
import { AuthBridge } from './auth.tsx';
import { I18nProvider, useI18n } from './i18n.tsx';
import { AppRoutes } from './router.tsx';
import { theme } from './theme.ts';
import './styles.css';

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
