import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Space, Tooltip, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PrinterOutlined, ReloadOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import type { DisclosureReport } from '../donations.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useCreateDisclosure, useDisclosure, usePublishDisclosure } from './donations.api.ts';
import { disclosureMessages as m } from './disclosure.messages.ts';
import { ByProjectTable, ByUnitTable, DisbursementsTable, DisclosureStatusTag, DonationsTable, GateList, HashBox, periodText, SummaryFigures } from './disclosure.shared.tsx';
import { todayShanghai } from './donations.shared.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

/** The report's body — summary, lists — as staff see it and as it prints on A4. */
export function ReportBody({ r }: { r: Pick<DisclosureReport, 'content'> }) {
  const { t } = useI18n();
  const c = r.content;
  return (
    <>
      <div className="dis-section-title">{t(m.summaryTitle)}</div>
      <SummaryFigures s={c.summary} />
      <div className="dis-section-title">{t(m.byUnit)}</div>
      <ByUnitTable s={c.summary} />
      <div className="dis-section-title">{t(m.byProject)}</div>
      <ByProjectTable s={c.summary} />
      <div className="dis-section-title">
        {t(m.donationsTitle)}
        <small>{t(m.donationsCount, { count: c.donations.length })}</small>
      </div>
      <DonationsTable rows={c.donations} />
      <div className="dis-section-title">{t(m.disbursementsTitle)}</div>
      <DisbursementsTable rows={c.disbursements} />
    </>
  );
}

/**
 * A report: the gate (公示前核对) with its countdowns, the summary by unit and by project, the full
 * lists; 发布 once no blocking check fails (irreversible: the content is frozen with its SHA-256),
 * then 发布更正 for a correcting draft of the same period. Prints on A4 with page numbers.
 */
export function DisclosurePage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const can = useHasPermission();
  const q = useDisclosure(id);
  const publish = usePublishDisclosure();
  const create = useCreateDisclosure();

  if (!q.isSuccess) return <QueryFallback q={q} notFoundTitle={t(m.notFound)} />;
  const r = q.data;
  const c = r.content;
  const published = r.status === 'published';
  const failed = c.checks.filter((x) => x.blocking && !x.ok);
  const writable = can('donations.write');
  const publishBlockedReason = !writable ? t(m.publishNoRight) : failed.length ? t(m.publishBlocked, { reasons: failed.map((x) => t(m.checks[x.code])).join('、') }) : null;

  const onPublish = () =>
    modal.confirm({
      title: t(m.publishTitle),
      content: t(m.publishText),
      okText: t(m.publishOk),
      cancelText: t(common.cancel),
      okButtonProps: { danger: true, 'data-testid': 'publish-ok' } as ButtonProps,
      onOk: () =>
        publish.mutateAsync(
          { id: r.id, version: r.version },
          {
            onSuccess: () => void message.success(t(m.published)),
            onError: (e) => {
              report(e);
              void q.refetch();
            },
          },
        ).catch(() => undefined),
    });

  const onCorrect = () =>
    modal.confirm({
      title: t(m.correctTitle),
      content: t(m.correctText),
      okText: t(m.correct),
      cancelText: t(common.cancel),
      okButtonProps: { 'data-testid': 'correct-ok' } as ButtonProps,
      onOk: () =>
        create
          .mutateAsync({ periodStart: r.periodStart, periodEnd: r.periodEnd, unitId: r.unitId, corrects: r.id })
          .then((draft) => {
            void message.success(t(m.correctionCreated));
            void navigate(`/donations/disclosures/${draft.id}`);
          })
          .catch((e: unknown) => report(e)),
    });

  return (
    <Space orientation="vertical" size="middle" className="boai-block dis-print" data-testid="disclosure-page" data-status={r.status}>
      <Card size="small" className="dis-no-print">
        <div className="boai-toolbar" style={{ marginBottom: 0 }}>
          <Space wrap>
            <Link to="/donations/disclosures">
              <Button icon={<ArrowLeftOutlined />}>{t(m.back)}</Button>
            </Link>
            <DisclosureStatusTag r={r} />
            {!published && (
              <Tooltip title={t(m.refresh)}>
                <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isRefetching} data-testid="recheck">
                  {t(m.refresh)}
                </Button>
              </Tooltip>
            )}
          </Space>
          <Space wrap>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-button">
              {t(m.print)}
            </Button>
            {published
              ? writable && (
                  <Button icon={<EditOutlined />} onClick={onCorrect} loading={create.isPending} data-testid="correct">
                    {t(m.correct)}
                  </Button>
                )
              : (
                  <Tooltip title={publishBlockedReason}>
                    <Button type="primary" danger icon={<SendOutlined />} disabled={!!publishBlockedReason} onClick={onPublish} loading={publish.isPending} data-testid="publish">
                      {t(m.publish)}
                    </Button>
                  </Tooltip>
                )}
          </Space>
        </div>
      </Card>

      {published && r.contentHash && (
        <Alert
          type="success"
          showIcon
          icon={<SafetyCertificateOutlined />}
          className="dis-no-print"
          title={t(m.hashTitle)}
          description={
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              <HashBox hash={r.contentHash} large />
              <Typography.Text type="secondary">{t(m.hashHelp)}</Typography.Text>
            </Space>
          }
          data-testid="published-hash"
        />
      )}
      {!published && publishBlockedReason && writable && <Alert type="error" showIcon title={publishBlockedReason} className="dis-no-print" data-testid="publish-blocked" />}

      <Card>
        <div className="dis-print-only dis-report-meta" style={{ textAlign: 'right' }}>
          {t(m.printedAt, { date: todayShanghai() })}
        </div>
        <div className="dis-report-head">
          <div className="dis-report-title" data-testid="report-title">
            {r.title}
          </div>
          <div className="dis-report-meta">
            {t(m.reportUnit)}：{c.unitName} · {t(m.period)}：{periodText(t, lang, r.periodStart, r.periodEnd)}（{t(m.periodOf, { from: r.periodStart, to: r.periodEnd })}）
          </div>
        </div>
        {r.corrects && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(m.correctionOfShort)}
            action={
              <Link to={`/donations/disclosures/${r.corrects}`} className="dis-no-print">
                {t(m.viewCorrected)}
              </Link>
            }
          />
        )}
        {published ? (
          <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered style={{ marginBottom: 8 }}>
            <Descriptions.Item label={t(m.publishedAt)}>{formatDateTime(r.publishedAt, lang)}</Descriptions.Item>
            <Descriptions.Item label={t(m.publishedBy)}>{r.publishedByName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(m.contentHash)}>
              <span className="boai-mono" style={{ wordBreak: 'break-all', fontSize: 12 }}>
                {r.contentHash}
              </span>
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Alert type="warning" showIcon title={t(m.draftLive)} className="dis-no-print" style={{ marginBottom: 8 }} />
        )}

        <div className="dis-section-title">
          {t(m.gateTitle)}
          <small>{published ? t(m.gateFrozen) : t(m.gateIntro)}</small>
        </div>
        {!published && (
          <Alert
            type={failed.length ? 'error' : 'success'}
            showIcon
            style={{ marginBottom: 10 }}
            title={failed.length ? t(m.gateFailed, { count: failed.length }) : t(m.gatePassed)}
            data-testid="gate-verdict"
            data-ok={failed.length === 0}
          />
        )}
        <GateList checks={c.checks} />
        <ReportBody r={r} />
      </Card>
    </Space>
  );
}
