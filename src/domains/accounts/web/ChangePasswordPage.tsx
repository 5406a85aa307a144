import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Row } from 'antd';
import { passwordProblemLabels, passwordShapeProblems } from '../accounts.contract.ts';
import { ApiError } from '../../../web/api.ts';
import { useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { useChangePassword } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';
import { PasswordRules } from './PasswordRules.tsx';

type PasswordForm = { currentPassword: string; newPassword: string; confirm: string; endOtherSessions: boolean };

/** Where each refusal of the server belongs on the form. */
const fieldOf: Record<string, keyof PasswordForm> = {
  'auth.current_password_wrong': 'currentPassword',
  'auth.password_policy': 'newPassword',
  'auth.password_reused': 'newPassword',
};

export function ChangePasswordPage() {
  const me = useMe();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const report = useReportError();
  const change = useChangePassword();
  const [form] = Form.useForm<PasswordForm>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const forced = me.stage === 'password_change';
  const context = [me.user.username, me.user.displayName, me.user.unitName];

  const submit = (v: PasswordForm) => {
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.newPassword, endOtherSessions: v.endOtherSessions || undefined },
      {
        onSuccess: () => {
          void message.success(t(m.passwordChanged));
          form.resetFields();
          // The guard takes a still incomplete sign-in (TOTP enrolment) on from the home page.
          void navigate('/', { replace: true });
        },
        onError: (err) => {
          const field = err instanceof ApiError ? fieldOf[err.code] : undefined;
          if (field) form.setFields([{ name: field, errors: [err.message] }]);
          else report(err, form);
        },
      },
    );
  };

  return (
    <Card title={t(forced ? m.mustChangeTitle : m.changePasswordTitle)} style={{ maxWidth: 760 }}>
      {forced && <Alert type="warning" showIcon title={t(m.mustChangeText)} style={{ marginBottom: 16 }} />}
      <Row gutter={24}>
        <Col xs={24} md={14}>
          <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} initialValues={{ endOtherSessions: true }}>
            <Form.Item name="currentPassword" label={t(m.currentPassword)} rules={[{ required: true, message: t(m.passwordRequired) }]}>
              <Input.Password autoComplete="current-password" maxLength={256} />
            </Form.Item>
            <Form.Item
              name="newPassword"
              label={t(m.newPassword)}
              rules={[
                { required: true, message: t(m.passwordRequired) },
                {
                  validator: (_r, value: string | undefined) => {
                    const problems = passwordShapeProblems(value ?? '', context);
                    return problems.length === 0 ? Promise.resolve() : Promise.reject(new Error(problems.map((p) => t(passwordProblemLabels[p])).join(lang === 'en' ? '; ' : '；')));
                  },
                },
              ]}
            >
              <Input.Password autoComplete="new-password" maxLength={256} />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t(m.confirmPassword)}
              dependencies={['newPassword']}
              rules={[
                { required: true, message: t(m.passwordRequired) },
                ({ getFieldValue }) => ({
                  validator: (_r, value: string | undefined) =>
                    !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t(m.confirmMismatch))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" maxLength={256} />
            </Form.Item>
            <Form.Item name="endOtherSessions" valuePropName="checked">
              <Checkbox>{t(m.endOtherSessions)}</Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={change.isPending}>
              {t(m.changePasswordTitle)}
            </Button>
          </Form>
        </Col>
        <Col xs={24} md={10}>
          <PasswordRules password={newPassword} context={context} />
        </Col>
      </Row>
    </Card>
  );
}
