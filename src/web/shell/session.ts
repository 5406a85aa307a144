import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { api } from '../api.ts';
import { dropSession } from '../auth.tsx';
import { rememberLang, useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';

/**
 * Set while the user signs out on purpose, so that the guard sends them to a plain login page
 * instead of one that would bring them back to where they were. The login page clears it.
 */
export const signOutState = { explicit: false };

export function useLogout() {
  const queryClient = useQueryClient();
  const { lang, t } = useI18n();
  const { message } = App.useApp();
  return useCallback(async () => {
    // Before the request: any other request answered 401 meanwhile must not record a way back either.
    signOutState.explicit = true;
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } catch {
      // The session may already be gone; signing out locally is what the user asked for.
    }
    // The server's Clear-Site-Data wipes this browser's storage, the language choice with it.
    rememberLang(lang);
    dropSession(queryClient);
    void message.success(t(shellMessages.loggedOut));
  }, [queryClient, lang, message, t]);
}
