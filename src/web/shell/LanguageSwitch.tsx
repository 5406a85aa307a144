import { App, Segmented } from 'antd';
import type { Lang } from '../../platform/i18n.ts';
import { api } from '../api.ts';
import { languageChoice, useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';

/** 中文 / English. Signed in, the choice is also saved to the account (exports and e-mails use it). */
export function LanguageSwitch({ signedIn, className }: { signedIn: boolean; className?: string }) {
  const { lang, setLang, t } = useI18n();
  const { message } = App.useApp();
  const change = (next: Lang) => {
    setLang(next);
    if (!signedIn) languageChoice.beforeSignIn = true;
    if (signedIn) {
      api('/api/auth/language', { method: 'PUT', body: { language: next } }).catch((e: Error) => {
        void message.warning(t(shellMessages.languageSaveFailed, { message: e.message }));
      });
    }
  };
  return (
    <Segmented<Lang>
      className={className}
      size="small"
      value={lang}
      onChange={change}
      data-testid="language-switch"
      options={[
        { label: t(shellMessages.langZh), value: 'zh-CN' },
        { label: t(shellMessages.langEn), value: 'en' },
      ]}
    />
  );
}
