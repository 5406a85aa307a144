import { Link } from 'react-router';
import { Button, Result } from 'antd';
import { useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t(shellMessages.notFoundTitle)}
      subTitle={t(shellMessages.notFoundText)}
      extra={
        <Link to="/">
          <Button type="primary">{t(shellMessages.backHome)}</Button>
        </Link>
      }
    />
  );
}
