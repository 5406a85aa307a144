import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, Skeleton } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { designationLabels } from '../donations.contract.ts';
import { ApiError } from '../../../web/api.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { LanguageSwitch } from '../../../web/shell/LanguageSwitch.tsx';
import { Logo } from '../../../web/shell/Logo.tsx';
import { fetchPublicTrace } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { TraceTimeline } from './donations.shared.tsx';
import { formatMoney } from './money.ts';
import { LedgerProofCard } from '../../ledger/web/LedgerProofCard.tsx';

/** The code as printed (`ABCD-EFGH-…`), whatever was typed: case, spaces and dashes do not matter. */
export function normaliseCode(input: string): string {
  const s = input.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
  return s.match(/.{1,4}/g)?.join('-') ?? '';
}
const VALID = /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/;

/**
 * 爱心轨迹查询: the donor's own page, no sign-in, made for a phone (big input, big button). The code
 * from the receipt shows the gift and every allocation and payment made from it.
 */
export function PublicTracePage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const asked = normaliseCode(params.get('code') ?? '');
  const [input, setInput] = useState(asked);
  const [problem, setProblem] = useState<string | null>(null);
  const valid = VALID.test(asked);
  const q = useQuery({
    queryKey: ['public-trace', asked, lang],
    queryFn: ({ signal }) => fetchPublicTrace(asked, signal),
    enabled: valid,
    retry: false,
    staleTime: 60_000,
  });

  useEffect(() => {
    document.title = `${t(m.publicHeading)} | ${t({ zh: '衢州市红十字会', en: 'Quzhou Red Cross' })}`;
  }, [t]);

  const submit = () => {
    const code = normaliseCode(input);
    setInput(code);
    if (!VALID.test(code)) {
      setProblem(t(m.codeInvalid));
      return;
    }
    setProblem(null);
    setParams({ code }, { replace: true });
  };

  const error = q.error instanceof ApiError ? q.error.message : q.error ? String(q.error) : null;
  const trace = q.data;

  return (
    <div className="don-public" data-testid="public-trace">
      <header className="don-public-header">
        <div className="don-public-brand">
          <Logo />
          <span>{t({ zh: '衢州市红十字会', en: 'Quzhou Red Cross Society' })}</span>
        </div>
        <LanguageSwitch signedIn={false} />
      </header>
      <main className="don-public-main">
        <h1 className="don-public-title">{t(m.publicHeading)}</h1>
        <p className="don-public-intro">{t(m.publicIntro)}</p>
        <Form layout="vertical" onFinish={submit} className="don-public-form">
          <Form.Item label={t(m.codeLabel)} validateStatus={problem ? 'error' : undefined} help={problem ?? undefined} htmlFor="trace-code">
            <Input
              id="trace-code"
              size="large"
              value={input}
              onChange={(e) => {
                setInput(normaliseCode(e.target.value));
                setProblem(null);
              }}
              placeholder={t(m.codePlaceholder)}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={19}
              className="don-public-input"
              data-testid="trace-code"
            />
          </Form.Item>
          <Button type="primary" size="large" htmlType="submit" block icon={<SearchOutlined />} loading={q.isFetching} className="don-public-button" data-testid="trace-submit">
            {t(m.lookup)}
          </Button>
        </Form>

        {error && <Alert type="error" showIcon title={error} className="don-public-block" data-testid="trace-error" />}
        {q.isFetching && !trace && (
          <Card className="don-public-block">
            <Skeleton active />
          </Card>
        )}
        {trace && (
          <>
            <Card className="don-public-block" title={t(m.publicDonation)} data-testid="trace-summary">
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t(m.number)}>
                  <span className="boai-mono">{trace.donation.number}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t(m.donor)}>{trace.donation.donorName}</Descriptions.Item>
                <Descriptions.Item label={t(m.amountShort)}>
                  <strong className="don-money">{formatMoney(trace.donation.amountFen)}</strong>
                </Descriptions.Item>
                <Descriptions.Item label={t(m.receivedOn)}>{trace.donation.receivedOn}</Descriptions.Item>
                <Descriptions.Item label={t(m.designation)}>{t(designationLabels[trace.donation.designation])}</Descriptions.Item>
                <Descriptions.Item label={t(m.unit)}>{t(m.orgOf, { unit: trace.donation.unitName })}</Descriptions.Item>
              </Descriptions>
            </Card>
            <Card className="don-public-block" title={t(m.sectionTrace)}>
              <TraceTimeline trace={trace} large />
              {trace.steps.length <= 1 && <Alert type="info" title={t(m.publicNoSteps)} />}
              <p className="don-public-privacy">{t(m.publicPrivacy)}</p>
            </Card>
            <LedgerProofCard code={asked} />
          </>
        )}
      </main>
      <footer className="don-public-footer">{t(m.publicFooter)}</footer>
    </div>
  );
}
