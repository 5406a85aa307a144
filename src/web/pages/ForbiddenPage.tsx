import { Link } from 'react-router';
import { Button, Result } from 'antd';
import { useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';

export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Result
      status="403"
      title={t(shellMessages.forbiddenTitle)}
      subTitle={t(shellMessages.forbiddenText)}
      extra={
        <Link to="/">
          <Button type="primary">{t(shellMessages.backHome)}</Button>
        </Link>
      }
    />
  );
}
