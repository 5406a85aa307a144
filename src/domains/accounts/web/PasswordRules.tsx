import { Space, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, InfoCircleOutlined } from '@ant-design/icons';
import { passwordProblemLabels, passwordShapeProblems, type PasswordProblem } from '../accounts.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { accountsMessages as m } from './accounts.messages.ts';

const SHOWN: PasswordProblem[] = ['too_short', 'classes', 'context', 'whitespace_edges'];

/** The server's password rules, checked as the user types (the common-password list stays on the server). */
export function PasswordRules({ password, context }: { password: string; context: readonly string[] }) {
  const { t } = useI18n();
  const problems = new Set(passwordShapeProblems(password, context));
  const rows = problems.has('too_long') ? [...SHOWN, 'too_long' as const] : SHOWN;
  return (
    <div data-testid="password-rules">
      <Typography.Text strong>{t(m.passwordRules)}</Typography.Text>
      <Space orientation="vertical" size={2} style={{ display: 'flex', marginTop: 4 }}>
        {rows.map((p) => {
          const ok = password.length > 0 && !problems.has(p);
          return (
            <Typography.Text key={p} type={password.length === 0 ? 'secondary' : ok ? 'success' : 'danger'}>
              {ok ? <CheckCircleFilled /> : password.length === 0 ? <InfoCircleOutlined /> : <CloseCircleFilled />} {t(passwordProblemLabels[p])}
            </Typography.Text>
          );
        })}
        <Typography.Text type="secondary">
          <InfoCircleOutlined /> {t(m.passwordRuleCommon)}
        </Typography.Text>
      </Space>
    </div>
  );
}
