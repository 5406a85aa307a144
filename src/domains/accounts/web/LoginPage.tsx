import { useEffect, useRef, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import type { InputRef } from 'antd';
import { ApiError } from '../../../web/api.ts';
import { useMeQuery } from '../../../web/auth.tsx';
import { applyFieldErrors } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { LanguageSwitch } from '../../../web/shell/LanguageSwitch.tsx';
import { Logo } from '../../../web/shell/Logo.tsx';
import { PageSpin } from '../../../web/shell/PageSpin.tsx';
import { signOutState } from '../../../web/shell/session.ts';
import { useLogin } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';

type LoginForm = { username: string; password: string; totp?: string };

/** Only paths of this app: `next` comes from the address bar and must not lead elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const meQuery = useMeQuery();
  const login = useLogin();
  const [form] = Form.useForm<LoginForm>();
  const [needTotp, setNeedTotp] = useState(false);
  const [problem, setProblem] = useState<{ code: string; message: string } | null>(null);
  const totpRef = useRef<InputRef>(null);
  const next = safeNext(params.get('next'));

  useEffect(() => {
    signOutState.explicit = false;
  }, []);
  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  if (meQuery.isPending) return <PageSpin fullScreen />;
  if (meQuery.data) return <Navigate to={next} replace />;

  const submit = (values: LoginForm) => {
    setProblem(null);
    login.mutate(
      { username: values.username.trim(), password: values.password, ...(needTotp && values.totp ? { totp: values.totp } : {}) },
      {
        onError: (err) => {
          if (err instanceof ApiError) {
            if (err.code === 'auth.totp_required') {
              setNeedTotp(true);
              setProblem({ code: err.code, message: err.message });
              return;
            }
            if (applyFieldErrors(form, err)) return;
            if (err.code === 'auth.invalid_credentials' || err.code === 'auth.totp_invalid') form.setFieldValue(err.code === 'auth.totp_invalid' ? 'totp' : 'password', '');
            setProblem({ code: err.code, message: err.message });
            return;
          }
          setProblem({ code: 'unknown', message: (err as Error).message });
        },
      },
    );
  };

  return (
    <div className="boai-login">
      <div className="boai-login-top">
        <LanguageSwitch signedIn={false} />
      </div>
      <div className="boai-login-body">
        <Card className="boai-login-card">
          <div className="boai-login-head">
            <Logo size={48} />
            <h1>{t(m.loginTitle)}</h1>
            <Typography.Text type="secondary">{t(m.loginSubtitle)}</Typography.Text>
          </div>
          {problem && (
            <Alert
              className="boai-login-alert"
              type={problem.code === 'auth.totp_required' ? 'info' : 'error'}
              showIcon
              title={problem.message}
              style={{ marginBottom: 16 }}
              data-testid="login-error"
              role="alert"
            />
          )}
          <Form<LoginForm> form={form} layout="vertical" requiredMark={false} onFinish={submit} autoComplete="on" size="large">
            <Form.Item name="username" label={t(m.username)} rules={[{ required: true, whitespace: true, message: t(m.usernameRequired) }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={40} />
            </Form.Item>
            <Form.Item name="password" label={t(m.password)} rules={[{ required: true, message: t(m.passwordRequired) }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={256} />
            </Form.Item>
            {needTotp && (
              <Form.Item
                name="totp"
                label={t(m.totpCode)}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t(m.totpCodeInvalid) }]}
              >
                <Input
                  ref={totpRef}
                  prefix={<SafetyOutlined />}
                  placeholder={t(m.totpCodePlaceholder)}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                />
              </Form.Item>
            )}
            <Form.Item style={{ marginBottom: 12 }}>
              <Button type="primary" htmlType="submit" block loading={login.isPending}>
                {t(m.login)}
              </Button>
            </Form.Item>
          </Form>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
            {t(m.loginHint)}
          </Typography.Paragraph>
        </Card>
      </div>
      <div className="boai-login-foot">{t(m.loginFooter)}</div>
    </div>
  );
}
