import { useEffect, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Empty, Select, Skeleton, Space } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, FileProtectOutlined } from '@ant-design/icons';
import type { DisclosureContent } from '../donations.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { LanguageSwitch } from '../../../web/shell/LanguageSwitch.tsx';
import { Logo } from '../../../web/shell/Logo.tsx';
import {
  publicXlsxUrl,
  usePublicDisbursements,
  usePublicDonations,
  usePublicSummary,
  usePublishedDisclosure,
  usePublishedDisclosures,
  type DisclosureScope,
  type PublicDisbursement,
  type PublicDonation,
} from './donations.api.ts';
import { disclosureMessages as m } from './disclosure.messages.ts';
import { PUBLIC_DISCLOSURE_PATH } from './disclosure.paths.ts';
import { ByProjectTable, ByUnitTable, categoryText, designationShort, HashBox, monthLabel, monthRange, periodText, SummaryFigures } from './disclosure.shared.tsx';
import { todayShanghai } from './donations.shared.tsx';
import { formatMoney } from './money.ts';

/** The areas a reader may pick: the city (default) and its counties, by their administrative codes. */
const AREAS: { code: string; label: Text }[] = [
  { code: '330800', label: m.city },
  { code: '330802', label: { zh: '柯城区', en: 'Kecheng' } },
  { code: '330803', label: { zh: '衢江区', en: 'Qujiang' } },
  { code: '330822', label: { zh: '常山县', en: 'Changshan' } },
  { code: '330824', label: { zh: '开化县', en: 'Kaihua' } },
  { code: '330825', label: { zh: '龙游县', en: 'Longyou' } },
  { code: '330881', label: { zh: '江山市', en: 'Jiangshan' } },
];

/** This month and the 23 before it, newest first. */
function recentMonths(today: string): string[] {
  const out: string[] = [];
  let [y, mo] = today.slice(0, 7).split('-').map(Number) as [number, number];
  for (let i = 0; i < 24; i++) {
    out.push(`${y}-${String(mo).padStart(2, '0')}`);
    mo -= 1;
    if (mo === 0) {
      mo = 12;
      y -= 1;
    }
  }
  return out;
}

function errorText(t: Translate, e: unknown) {
  return t(m.loadFailed, { message: e instanceof Error ? e.message : String(e) });
}

function GiftRow({ d }: { d: PublicDonation }) {
  const { t } = useI18n();
  const goodsOnly = d.amountFen === 0 && !!d.goods;
  return (
    <div className="dis-gift" data-testid="public-donation">
      <div>
        <div className="dis-gift-who">{d.donorName}</div>
        <div className="dis-gift-what">
          {d.receivedOn} · {designationShort(t, d)} · {d.unitName}
        </div>
        {d.goods && <div className="dis-gift-what" data-testid="public-donation-goods">{t(m.publicGoodsLine, { goods: d.goods })}</div>}
      </div>
      {/* A goods gift shows its recorded value, said to be a valuation; a gift of both shows the money and the goods' value beneath. */}
      <div className="dis-gift-amount">
        {goodsOnly ? formatMoney(d.goodsValueFen ?? 0) : formatMoney(d.amountFen)}
        {d.goods && <div className="dis-gift-valued">{goodsOnly ? t(m.publicGoodsValued) : t(m.publicGoodsAlso, { value: formatMoney(d.goodsValueFen ?? 0) })}</div>}
      </div>
    </div>
  );
}

function PaymentRow({ b }: { b: PublicDisbursement }) {
  const { t } = useI18n();
  return (
    <div className="dis-gift" data-testid="public-disbursement">
      <div>
        <div className="dis-gift-who">{b.beneficiary}</div>
        <div className="dis-gift-what">
          {b.paidOn} · {b.purpose} · {categoryText(t, b.category)} · {b.unitName}
        </div>
      </div>
      <div className="dis-gift-amount is-out">{formatMoney(b.amountFen)}</div>
    </div>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t(m.publicHeading)} | ${t({ zh: '衢州市红十字会', en: 'Quzhou Red Cross' })}`;
  }, [t]);
  return (
    <div className="don-public dis-public" data-testid="public-disclosure">
      <header className="don-public-header">
        <div className="don-public-brand">
          <Logo />
          <span>{t({ zh: '衢州市红十字会', en: 'Quzhou Red Cross Society' })}</span>
        </div>
        <LanguageSwitch signedIn={false} />
      </header>
      <main className="don-public-main">{children}</main>
      <footer className="don-public-footer">{t(m.footer)}</footer>
    </div>
  );
}

/** A published report as it was frozen, with the hash that shows it has not changed since. */
function PublishedReport({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = usePublishedDisclosure(id);
  const back = (
    <Link to={PUBLIC_DISCLOSURE_PATH}>
      <Button size="large" icon={<ArrowLeftOutlined />} block className="dis-big-button" data-testid="back-to-public">
        {t(m.backToPublic)}
      </Button>
    </Link>
  );
  if (q.isPending) {
    return (
      <Card className="don-public-block">
        <Skeleton active />
      </Card>
    );
  }
  if (q.isError) {
    return (
      <>
        <Alert type="error" showIcon title={errorText(t, q.error)} className="don-public-block" />
        {back}
      </>
    );
  }
  const c: DisclosureContent = q.data.content;
  return (
    <div data-testid="public-report">
      <h1 className="don-public-title">{c.title}</h1>
      <p className="don-public-intro">
        {c.unitName} · {periodText(t, lang, c.periodStart, c.periodEnd)}
        {c.publishedAt ? ` · ${t(m.frozenNote, { at: formatDateTime(c.publishedAt, lang) })}` : ''}
      </p>
      {c.corrects && <Alert type="info" showIcon title={t(m.correctionOfShort)} style={{ marginBottom: 12 }} />}
      <HashBox hash={q.data.contentHash} />
      <Card className="don-public-block" title={t(m.summaryTitle)}>
        <SummaryFigures s={c.summary} />
      </Card>
      <Card className="don-public-block" title={t(m.byUnit)}>
        <ByUnitTable s={c.summary} compact />
      </Card>
      <Card className="don-public-block" title={t(m.byProject)}>
        <ByProjectTable s={c.summary} compact />
      </Card>
      <Card className="don-public-block" title={`${t(m.donationsTitle)}（${t(m.donationsCount, { count: c.donations.length })}）`}>
        {c.donations.length ? c.donations.map((d) => <GiftRow key={d.number} d={d} />) : <Empty description={t(m.noDonations)} />}
      </Card>
      <Card className="don-public-block" title={t(m.disbursementsTitle)}>
        {c.disbursements.length ? c.disbursements.map((b, i) => <PaymentRow key={i} b={b} />) : <Empty description={t(m.noDisbursements)} />}
      </Card>
      {back}
    </div>
  );
}

function PeriodView({ scope, month }: { scope: DisclosureScope; month: string }) {
  const { t, lang } = useI18n();
  const summary = usePublicSummary(scope);
  const gifts = usePublicDonations(scope);
  const payments = usePublicDisbursements(scope);
  const loaded = gifts.data?.pages.flatMap((p) => p.items) ?? [];
  const s = summary.data;
  return (
    <>
      <Card className="don-public-block" title={t(m.publicTotals, { month: monthLabel(month, lang) })} data-testid="public-summary">
        {summary.isPending ? <Skeleton active paragraph={{ rows: 2 }} /> : summary.isError ? <Alert type="error" showIcon title={errorText(t, summary.error)} /> : s && <SummaryFigures s={s} />}
      </Card>
      {s && (
        <>
          <Card className="don-public-block" title={t(m.byUnit)}>
            <ByUnitTable s={s} compact />
          </Card>
          <Card className="don-public-block" title={t(m.byProject)}>
            <ByProjectTable s={s} compact />
          </Card>
        </>
      )}
      <Card className="don-public-block" title={t(m.donationsTitle)} data-testid="public-donations">
        {gifts.isPending ? (
          <Skeleton active />
        ) : gifts.isError ? (
          <Alert type="error" showIcon title={errorText(t, gifts.error)} />
        ) : loaded.length === 0 ? (
          <Empty description={t(m.noDonations)} />
        ) : (
          <>
            {loaded.map((d) => (
              <GiftRow key={d.number} d={d} />
            ))}
            <div className="don-public-privacy" data-testid="public-loaded">
              {gifts.hasNextPage ? t(m.publicLoaded, { count: loaded.length }) : t(m.publicAllLoaded, { count: loaded.length })}
            </div>
            {gifts.hasNextPage && (
              <Button size="large" block className="dis-big-button" loading={gifts.isFetchingNextPage} onClick={() => void gifts.fetchNextPage()} data-testid="load-more">
                {t({ zh: '加载更多', en: 'Load more' })}
              </Button>
            )}
          </>
        )}
      </Card>
      <Card className="don-public-block" title={t(m.disbursementsTitle)} data-testid="public-disbursements">
        {payments.isPending ? (
          <Skeleton active />
        ) : payments.isError ? (
          <Alert type="error" showIcon title={errorText(t, payments.error)} />
        ) : payments.data.length === 0 ? (
          <Empty description={t(m.noDisbursements)} />
        ) : (
          payments.data.map((b, i) => <PaymentRow key={i} b={b} />)
        )}
      </Card>
      <Card className="don-public-block" title={t(m.download)}>
        <div className="dis-downloads">
          <a href={publicXlsxUrl('donations', scope)} download data-testid="download-donations">
            <Button size="large" block icon={<DownloadOutlined />}>
              {t(m.downloadDonations)}
            </Button>
          </a>
          <a href={publicXlsxUrl('disbursements', scope)} download data-testid="download-disbursements">
            <Button size="large" block icon={<DownloadOutlined />}>
              {t(m.downloadDisbursements)}
            </Button>
          </a>
        </div>
      </Card>
    </>
  );
}

function PublishedList() {
  const { t, lang } = useI18n();
  const reports = usePublishedDisclosures();
  return (
    <Card
      className="don-public-block"
      title={
        <Space>
          <FileProtectOutlined />
          {t(m.reportsTitle)}
        </Space>
      }
      data-testid="public-reports"
    >
      <p className="don-public-privacy" style={{ marginTop: 0 }}>
        {t(m.reportsIntro)}
      </p>
      {reports.isPending ? (
        <Skeleton active />
      ) : reports.isError ? (
        <Alert type="error" showIcon title={errorText(t, reports.error)} />
      ) : reports.data.length === 0 ? (
        <Empty description={t(m.noReports)} />
      ) : (
        reports.data.map((r) => (
          <Link key={r.id} to={`${PUBLIC_DISCLOSURE_PATH}?report=${r.id}`} className="dis-report-link" data-testid="public-report-link">
            <div className="dis-report-link-title">{r.title}</div>
            <div className="dis-gift-what">
              {periodText(t, lang, r.periodStart, r.periodEnd)} · {formatDateTime(r.publishedAt, lang)}
              {r.corrects ? ` · ${t(m.correction)}` : ''}
            </div>
            <div className="dis-report-link-hash">SHA-256：{r.contentHash}</div>
          </Link>
        ))
      )}
    </Card>
  );
}

/**
 * 捐赠款物公示, for anyone, without signing in, on a phone first: a month and an area; the totals,
 * each unit and project; every gift (named only with consent) a page at a time; every payment;
 * the lists as Excel; and the published reports with their content hash.
 */
export function PublicDisclosurePage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const today = todayShanghai();
  const months = recentMonths(today);
  const reportId = params.get('report');
  const asked = params.get('month') ?? '';
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : months[0]!;
  const unit = AREAS.some((a) => a.code === params.get('unit')) ? params.get('unit')! : '330800';
  const scope: DisclosureScope = { ...monthRange(month), unit: unit === '330800' ? undefined : unit };

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [reportId]);

  if (reportId) {
    return (
      <Shell>
        <PublishedReport id={reportId} />
      </Shell>
    );
  }

  const set = (k: 'month' | 'unit', v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };
  const monthOptions = (months.includes(month) ? months : [month, ...months]).map((x) => ({ value: x, label: monthLabel(x, lang) }));

  return (
    <Shell>
      <h1 className="don-public-title">{t(m.publicHeading)}</h1>
      <p className="don-public-intro">{t(m.publicIntro)}</p>
      <div className="dis-public-controls">
        <div>
          <label htmlFor="dis-month">{t(m.publicMonth)}</label>
          <Select id="dis-month" size="large" value={month} options={monthOptions} onChange={(v) => set('month', v)} data-testid="public-month" />
        </div>
        <div>
          <label htmlFor="dis-unit">{t(m.publicUnit)}</label>
          <Select id="dis-unit" size="large" value={unit} options={AREAS.map((a) => ({ value: a.code, label: t(a.label) }))} onChange={(v) => set('unit', v)} data-testid="public-unit" />
        </div>
      </div>
      <PeriodView scope={scope} month={month} />
      <PublishedList />
      <p className="don-public-privacy" style={{ textAlign: 'center', marginTop: 16 }}>
        <Link to="/trace">{t(m.trace)}</Link>
      </p>
    </Shell>
  );
}
