import { Alert, Button, Modal, Typography } from 'antd';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { accountsMessages as m } from './accounts.messages.ts';

/** Shows a one-time password once: it cannot be fetched again after this dialog closes. */
export function OneTimePasswordModal({ username, password, expiresAt, onClose }: { username: string; password: string; expiresAt: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Modal
      open
      title={t(m.otpTitle)}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t(m.otpClose)}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t(m.otpWarning)} style={{ marginBottom: 16 }} />
      <Typography.Paragraph>{t(m.otpFor, { username })}</Typography.Paragraph>
      <Typography.Paragraph
        className="boai-otp"
        copyable={{ text: password, tooltips: [t(common.copy), t(common.copied)] }}
        data-testid="one-time-password"
      >
        {password}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t(m.otpExpires, { time: formatDateTime(expiresAt, lang) })}</Typography.Text>
    </Modal>
  );
}
