import { Spin } from 'antd';
import { useI18n } from '../i18n.tsx';
import { shellMessages } from '../messages.ts';

export function PageSpin({ fullScreen }: { fullScreen?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={fullScreen ? 'boai-spin boai-spin-full' : 'boai-spin'}>
      <Spin description={t(shellMessages.loading)} />
    </div>
  );
}
