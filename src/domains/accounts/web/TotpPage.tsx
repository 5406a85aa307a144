import { useNavigate } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, QRCode, Result, Row, Space, Steps, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useTotpConfirm, useTotpRemove, useTotpSetup } from './accounts.api.ts';
import { accountsMessages as m } from './accounts.messages.ts';

const codeRule = (message: string) => ({ required: true, pattern: /^\d{6}$/, message });

/** Groups a base32 secret in fours, as authenticator apps show it. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

function RemoveTotp() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const remove = useTotpRemove();
  const [form] = Form.useForm<{ password: string; code: string }>();
  return (
    <Card title={t(m.totpRemoveTitle)} size="small">
      <Typography.Paragraph type="secondary">{t(m.totpRemoveText)}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) =>
          remove.mutate(v, {
            onSuccess: () => {
              form.resetFields();
              void message.success(t(m.totpRemoved));
            },
            onError: (e) => report(e, form),
          })
        }
      >
        <Form.Item name="password" label={t(m.password)} rules={[{ required: true, message: t(m.passwordRequired) }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="code" label={t(m.totpCode)} rules={[codeRule(t(m.totpCodeInvalid))]}>
          <Input inputMode="numeric" maxLength={6} style={{ width: 120 }} autoComplete="one-time-code" />
        </Form.Item>
        <Button danger htmlType="submit" loading={remove.isPending}>
          {t(m.totpRemove)}
        </Button>
      </Form>
    </Card>
  );
}

export function TotpPage() {
  const me = useMe();
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const report = useReportError();
  const setup = useTotpSetup();
  const confirm = useTotpConfirm();
  const [form] = Form.useForm<{ code: string }>();
  const forced = me.stage === 'mfa_enrol';

  if (me.user.totpEnabled && !forced) {
    return (
      <Card title={t(m.totpTitle)} style={{ maxWidth: 760 }}>
        <Result status="success" icon={<SafetyCertificateOutlined />} title={t(m.totpEnabledText)} />
        <RemoveTotp />
      </Card>
    );
  }

  const secret = setup.data;
  return (
    <Card title={t(forced ? m.totpMandatoryTitle : m.totpTitle)} style={{ maxWidth: 820 }}>
      {forced && <Alert type="warning" showIcon title={t(m.totpMandatoryText)} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph>{t(m.totpIntro)}</Typography.Paragraph>
      {!secret ? (
        <Button type="primary" loading={setup.isPending} onClick={() => setup.mutate(undefined, { onError: (e) => report(e) })}>
          {t(m.totpStart)}
        </Button>
      ) : (
        <Steps
          orientation="vertical"
          current={1}
          items={[
            {
              title: t(m.totpStep1),
              description: (
                <Row gutter={24} style={{ marginTop: 8 }}>
                  <Col flex="none">
                    <QRCode value={secret.otpauthUrl} size={180} bordered />
                  </Col>
                  <Col flex="1 1 260px" style={{ minWidth: 0 }}>
                    <Typography.Paragraph>{t(m.totpStep1Alt)}</Typography.Paragraph>
                    <Typography.Paragraph copyable={{ text: secret.secret, tooltips: [t(common.copy), t(common.copied)] }}>
                      <span className="boai-secret" data-testid="totp-secret">
                        {groupSecret(secret.secret)}
                      </span>
                    </Typography.Paragraph>
                    <Typography.Text type="secondary">{t(m.totpUrl)}</Typography.Text>
                    <Typography.Paragraph className="boai-mono" copyable style={{ wordBreak: 'break-all', fontSize: 12 }}>
                      {secret.otpauthUrl}
                    </Typography.Paragraph>
                    <Alert type="info" showIcon title={t(m.totpSecretWarning)} />
                  </Col>
                </Row>
              ),
            },
            {
              title: t(m.totpStep2),
              description: (
                <Form
                  form={form}
                  layout="inline"
                  style={{ marginTop: 8 }}
                  onFinish={(v) =>
                    confirm.mutate(v.code, {
                      onSuccess: () => {
                        void message.success(t(m.totpEnrolled));
                        void navigate('/', { replace: true });
                      },
                      onError: (e) => {
                        form.setFields([{ name: 'code', errors: [e.message] }]);
                      },
                    })
                  }
                >
                  <Form.Item name="code" rules={[codeRule(t(m.totpCodeInvalid))]}>
                    <Input
                      inputMode="numeric"
                      maxLength={6}
                      placeholder={t(m.totpCodePlaceholder)}
                      style={{ width: 160 }}
                      autoComplete="one-time-code"
                      aria-label={t(m.totpCode)}
                    />
                  </Form.Item>
                  <Space>
                    <Button type="primary" htmlType="submit" loading={confirm.isPending}>
                      {t(m.totpConfirm)}
                    </Button>
                  </Space>
                </Form>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
