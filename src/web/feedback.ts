import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { ApiError, SESSION_GONE } from './api.ts';
import { useI18n } from './i18n.tsx';
import { common } from './messages.ts';

/**
 * Puts a failed request in front of the user: validation problems on the form fields they
 * belong to (plus a summary), everything else as a message in the language the server used.
 * Returns true when field errors were placed on the form.
 */
export function applyFieldErrors(form: FormInstance | undefined, err: unknown): boolean {
  if (!form || !(err instanceof ApiError)) return false;
  // By full path, so a row of a list gets its own message (`goods.0.quantity` → ['goods', 0, 'quantity']).
  const byPath = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const fe of err.fieldErrors()) {
    const name = fe.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const entry = byPath.get(fe.path) ?? { name, errors: [] };
    entry.errors.push(fe.message);
    byPath.set(fe.path, entry);
  }
  if (byPath.size === 0) return false;
  form.setFields([...byPath.values()]);
  return true;
}

export function useReportError() {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (err: unknown, form?: FormInstance) => {
      if (err instanceof ApiError) {
        // The shell moves the user to the login or stage page: a message would only repeat that.
        if (err.status === 401 && SESSION_GONE.has(err.code)) return;
        applyFieldErrors(form, err);
        void message.error(err.message);
        return;
      }
      void message.error(err instanceof Error && err.message ? err.message : t(common.loadFailed));
    },
    [message, t],
  );
}
