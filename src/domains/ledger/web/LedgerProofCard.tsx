import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Skeleton, Tag } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import type { PublicProof } from '../ledger.contract.ts';
import { checkPublicProof } from '../verify/browser.ts';
import { api } from '../../../web/api.ts';
import { useI18n } from '../../../web/i18n.tsx';

const TYPE_LABEL: Record<string, { zh: string; en: string }> = {
  receipt: { zh: '收到捐赠', en: 'Gift received' },
  allocation: { zh: '分配到项目', en: 'Allocated to a project' },
  disbursement: { zh: '拨付使用', en: 'Disbursed' },
  correction: { zh: '冲正', en: 'Correction' },
};

/** "39541.00" → "¥39,541.00" (entries carry yuan as decimal strings). */
const yuanText = (s: string) => `¥${s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

/**
 * The gift's steps on the public ledger, each checked here in the browser: the checkpoint's
 * signature (WebCrypto Ed25519) and the step's inclusion proof (RFC 9162) — 已验证 only when both
 * hold, so the page does not take the server's word for it.
 */
export function LedgerProofCard({ code }: { code: string }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['public-trace-proof', code],
    queryFn: async ({ signal }) => {
      const proof = await api<PublicProof>('/api/public/donations/trace/proof', { query: { code }, signal, silentAuth: true });
      return { proof, check: await checkPublicProof(proof) };
    },
    retry: false,
    staleTime: 60_000,
  });
  const title = t({ zh: '公开账本验证', en: 'Public ledger verification' });
  if (q.isPending) {
    return (
      <Card className="don-public-block" title={title}>
        <Skeleton active />
      </Card>
    );
  }
  if (q.isError) {
    return (
      <Card className="don-public-block" title={title} data-testid="ledger-proof">
        <Alert type="info" showIcon title={t({ zh: '本笔捐赠尚未写入已签署的公开账本，请稍后再查。', en: 'This gift is not yet in a signed checkpoint of the public ledger; check again later.' })} />
      </Card>
    );
  }
  const { proof, check } = q.data;
  return (
    <Card className="don-public-block" title={title} data-testid="ledger-proof">
      {check.checkpoint.ok ? (
        <p className="don-public-privacy" data-testid="ledger-checkpoint">
          {t({ zh: '账本检查点签名有效（共 {n} 条，公钥 ID {key}）。以下每一步的包含证明均在您的浏览器中核验。', en: 'The ledger checkpoint signature is valid ({n} entries, key ID {key}). Each step below was checked in your browser.' }, { n: String(check.checkpoint.treeSize), key: check.checkpoint.keyId ?? '' })}
        </p>
      ) : (
        <Alert type="error" showIcon title={t({ zh: '账本检查点签名无效', en: 'The ledger checkpoint signature is invalid' })} description={check.checkpoint.detail} />
      )}
      <ul className="ledger-steps">
        {check.steps.map((s) => {
          const entry = JSON.parse(proof.steps.find((x) => x.index === s.index)!.entry) as { amount?: string; date?: string };
          return (
            <li key={s.index} data-testid="ledger-step" data-ok={s.ok ? 'true' : 'false'}>
              <span>{t(TYPE_LABEL[s.type] ?? { zh: s.type, en: s.type })}</span> <span>{entry.date ?? ''}</span> <strong>{entry.amount ? yuanText(entry.amount) : ''}</strong> <span className="boai-mono">#{s.index}</span>{' '}
              {s.ok ? (
                <Tag color="success" icon={<CheckCircleFilled />}>
                  {t({ zh: '已验证', en: 'Verified' })}
                </Tag>
              ) : (
                <Tag color="error" icon={<CloseCircleFilled />} title={s.detail}>
                  {t({ zh: '验证失败', en: 'Not verified' })}
                </Tag>
              )}
            </li>
          );
        })}
      </ul>
      {proof.pending > 0 && <Alert type="info" title={t({ zh: '另有 {n} 步尚待下一次签署后可验证。', en: '{n} more steps become verifiable after the next checkpoint.' }, { n: String(proof.pending) })} />}
    </Card>
  );
}
