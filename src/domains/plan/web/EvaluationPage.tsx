import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, CloseCircleOutlined, DeleteOutlined, PrinterOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import { directionLabels, evaluationKindLabels, statusLabels, type EvaluationDetail, type EvaluationSnapshot, type ProgressItem, type Status } from '../plan.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatBytes, formatDateTime, labelled } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { EvaluationStatusTag } from './EvaluationsPage.tsx';
import { useComparison, useDeleteEvaluation, useEvaluation, usePublishEvaluation, useUpdateEvaluation, useVerifyEvaluation } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtPct, fmtValue, isLagging, ManualTag, nameOf, StatusTag } from './plan.shared.tsx';
import './plan.print.css';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

/** 评估报告: a draft (live figures, narrative editable, evidence) or a published report (frozen, with its content hash and a check of it). */
export function EvaluationPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useI18n();
  const q = useEvaluation(id);
  if (!q.isSuccess) return <QueryFallback q={q} back={{ to: "/plan/evaluations", label: t(m.back) }} />;
  return <EvaluationView e={q.data} />;
}

function EvaluationView({ e }: { e: EvaluationDetail }) {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const can = useHasPermission();
  const publish = usePublishEvaluation();
  const remove = useDeleteEvaluation();
  const verify = useVerifyEvaluation();
  const [tab, setTab] = useState('report');
  const published = e.status === 'published';
  const writable = !published && can('plan.report');
  const c = e.content;
  const own = c.units.find((u) => u.unitId === e.unitId) ?? c.units[0];
  const children = c.units.filter((u) => u.unitId !== own?.unitId);
  const listLink = `/plan/evaluations?plan=${e.planId}`;

  const confirmPublish = () =>
    modal.confirm({
      title: t(m.publishTitle),
      content: t(m.publishText),
      okText: t(m.publish),
      okButtonProps: { danger: true, 'data-testid': 'publish-confirm' },
      cancelText: t(common.cancel),
      onOk: () =>
        publish.mutateAsync({ id: e.id, version: e.version }).then(
          () => void message.success(t(m.publishedOk)),
          (err: unknown) => report(err),
        ),
    });

  const confirmDelete = () =>
    modal.confirm({
      title: t(m.deleteDraftTitle, { title: e.title }),
      content: t(common.irreversible),
      okText: t(common.delete),
      okButtonProps: { danger: true },
      cancelText: t(common.cancel),
      onOk: () =>
        remove.mutateAsync(e.id).then(
          () => {
            void message.success(t(common.deleted));
            void navigate(listLink);
          },
          (err: unknown) => report(err),
        ),
    });

  return (
    <Space orientation="vertical" size="middle" className="boai-block plan-print" data-testid="evaluation-page">
      <Card size="small" className="plan-no-print">
        <div className="boai-toolbar" style={{ marginBottom: 0 }}>
          <Space wrap>
            <Link to={listLink}>
              <Button icon={<ArrowLeftOutlined />}>{t(m.back)}</Button>
            </Link>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {e.title}
            </Typography.Title>
            <Tag color="blue">{t(evaluationKindLabels[e.kind])}</Tag>
            <span data-testid="evaluation-status">
              <EvaluationStatusTag e={e} />
            </span>
          </Space>
          <Space wrap>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {t(m.print)}
            </Button>
            {writable && (
              <Button danger icon={<DeleteOutlined />} onClick={confirmDelete}>
                {t(m.deleteDraft)}
              </Button>
            )}
            {writable && (
              <Button type="primary" danger icon={<SendOutlined />} onClick={confirmPublish} loading={publish.isPending} data-testid="publish">
                {t(m.publish)}
              </Button>
            )}
          </Space>
        </div>
      </Card>

      {published && e.contentHash ? (
        <Card size="small" className="plan-hash-card plan-no-print" data-testid="hash-card">
          <Space orientation="vertical" size={6} className="boai-block">
            <Space wrap>
              <SafetyCertificateOutlined style={{ color: '#389e0d', fontSize: 20 }} />
              <Typography.Text strong>{t(m.hashLabel)}</Typography.Text>
              <Typography.Text type="secondary">
                {t(m.publishedAt)} {formatDateTime(e.publishedAt, lang)} · {t(m.publishedBy)} {e.publishedByName ?? '—'}
              </Typography.Text>
            </Space>
            <Typography.Text className="plan-hash-value" copyable={{ text: e.contentHash }} data-testid="content-hash">
              {e.contentHash}
            </Typography.Text>
            <Typography.Text type="secondary">{t(m.contentHashHint)}</Typography.Text>
            <Space wrap>
              <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate(e.id, { onError: (err) => report(err) })} data-testid="verify">
                {t(m.verify)}
              </Button>
              {verify.data && (
                <Alert
                  type={verify.data.ok ? 'success' : 'error'}
                  showIcon
                  icon={verify.data.ok ? <CheckCircleOutlined /> : <CloseCircleOutlined />}
                  title={verify.data.ok ? t(m.verifyOk) : t(m.verifyFailed)}
                  description={
                    <span className="boai-mono">
                      {labelled(t(m.recomputed), verify.data.recomputed, lang)}
                    </span>
                  }
                  data-testid="verify-result"
                />
              )}
            </Space>
          </Space>
        </Card>
      ) : (
        <Alert type="info" showIcon title={t(m.draftNotice)} className="plan-no-print" />
      )}

      <Card className="plan-tabs-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'report', label: t(m.tabReport), children: <ReportPaper e={e} writable={writable} /> },
            { key: 'units', label: t(m.tabUnits), children: <UnitsMatrix items={own?.items ?? []} units={children} /> },
            {
              key: 'evidence',
              label: t(m.tabEvidence),
              children: (
                <Space orientation="vertical" size="middle" className="boai-block">
                  {published && <FrozenEvidence c={c} />}
                  <AttachmentsCard ownerType="plan_evaluation" ownerId={e.id} writable={writable} />
                </Space>
              ),
            },
            { key: 'comparison', label: t(m.tabComparison), children: <ComparisonTable planId={e.planId} enabled={tab === 'comparison'} /> },
          ]}
        />
      </Card>
    </Space>
  );
}

type EditForm = { title: string; asOf: Dayjs | null; narrative?: string };

function ReportPaper({ e, writable }: { e: EvaluationDetail; writable: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const update = useUpdateEvaluation();
  const [form] = Form.useForm<EditForm>();
  const c = e.content;
  const own = c.units.find((u) => u.unitId === e.unitId) ?? c.units[0];
  const items = own?.items ?? [];

  const save = (v: EditForm) =>
    update.mutate(
      {
        id: e.id,
        body: {
          version: e.version,
          ...(v.title.trim() !== e.title ? { title: v.title.trim() } : {}),
          ...(v.asOf && v.asOf.format('YYYY-MM-DD') !== e.asOf ? { asOf: v.asOf.format('YYYY-MM-DD') } : {}),
          narrative: v.narrative?.trim() ? v.narrative.trim() : null,
        },
      },
      { onSuccess: () => void message.success(t(common.saved)), onError: (err) => report(err, form) },
    );

  return (
    <Space orientation="vertical" size="middle" className="boai-block">
      {writable && (
        <Card size="small" className="plan-no-print" data-testid="narrative-editor">
          <Form<EditForm> form={form} layout="vertical" onFinish={save} initialValues={{ title: e.title, asOf: dayjs(e.asOf), narrative: e.narrative ?? '' }}>
            <Space wrap align="start" style={{ width: '100%' }}>
              <Form.Item name="title" label={t(m.evaluationTitle)} rules={[{ required: true, whitespace: true }, { max: 100 }]} style={{ minWidth: 420 }}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="asOf" label={t(m.evaluationAsOf)}>
                <DatePicker
                  allowClear={false}
                  disabledDate={(d) => d.isBefore(dayjs(`${c.plan.periodStart}-01-01`)) || d.isAfter(dayjs(`${c.plan.periodEnd}-12-31`))}
                />
              </Form.Item>
            </Space>
            <Form.Item name="narrative" label={t(m.narrative)} rules={[{ max: 20000 }]}>
              <Input.TextArea rows={8} maxLength={20000} showCount placeholder={t(m.narrativePlaceholder)} data-testid="narrative-input" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="narrative-save">
              {t(common.save)}
            </Button>
          </Form>
        </Card>
      )}

      <article className="plan-paper" data-testid="evaluation-paper">
        <div className="plan-paper-org">{t(m.orgOf, { unit: own?.unitName ?? '' })}</div>
        <div className="plan-paper-title">{c.title}</div>
        <div className="plan-paper-meta">
          <span>{c.plan.document ?? c.plan.name}</span>
          <span>
            {labelled(t(m.evaluationAsOf), c.asOf, lang)}
          </span>
        </div>
        {e.contentHash && (
          <div className="plan-note">
            {labelled(t(m.hashLabel), '', lang)}
            <span className="plan-hash">{e.contentHash}</span>
          </div>
        )}
        <h3>{t(m.narrative)}</h3>
        <p className="plan-remarks">{c.narrative ?? t(m.noNarrative)}</p>
        <h3>{t(m.tabFigures)}</h3>
        <FiguresTable items={items} />
        <div className="plan-note">
          {t(m.legendLagging)}
          {t(m.listSep)}
          {t(m.manualFootnote)}
        </div>
        {c.baseline.length > 0 && (
          <>
            <h3>{t(m.tabBaseline)}</h3>
            <table className="plan-print-table">
              <thead>
                <tr>
                  <th>{t(m.baselineItem)}</th>
                  <th>{t(m.baselinePrevious)}</th>
                  <th>{t(m.baselineResult)}</th>
                </tr>
              </thead>
              <tbody>
                {c.baseline.map((b) => (
                  <tr key={b.id}>
                    <td>{b.item}</td>
                    <td>{b.previousTarget}</td>
                    <td>{b.result}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {e.status === 'published' && (
          <div className="plan-paper-sign">
            <div>{t(m.orgOf, { unit: own?.unitName ?? '' })}</div>
            <div>
              {labelled(t(m.publishedAt), formatDateTime(e.publishedAt, lang), lang)}
            </div>
          </div>
        )}
      </article>
    </Space>
  );
}

function FiguresTable({ items }: { items: ProgressItem[] }) {
  const { t, lang } = useI18n();
  return (
    <table className="plan-print-table" data-testid="evaluation-figures">
      <thead>
        <tr>
          <th>{t(m.seq)}</th>
          <th>{t(m.indicator)}</th>
          <th>{t(m.target)}</th>
          <th>{t(m.actual)}</th>
          <th>{t(m.progress)}</th>
          <th>{t(m.expected)}</th>
          <th>{t(m.status)}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i, idx) => (
          <tr key={i.code} className={isLagging(i.status) ? 'plan-lag' : undefined}>
            <td style={{ textAlign: 'center' }}>{idx + 1}</td>
            <td>
              {nameOf(i, lang)}
              {i.actualSource === 'manual' && <sup className="plan-manual-mark">{t(m.manualMark)}</sup>}
            </td>
            <td>{i.target === null ? '—' : `${t(directionLabels[i.direction])} ${fmtValue(i.target, i.unit, lang)}`}</td>
            <td className="num">{fmtValue(i.actual, i.unit, lang)}</td>
            <td className="num">{fmtPct(i.progress)}</td>
            <td className="num">{fmtPct(i.expected)}</td>
            <td style={{ textAlign: 'center' }}>{t(statusLabels[i.status])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UnitsMatrix({ items, units }: { items: ProgressItem[]; units: EvaluationSnapshot['units'] }) {
  const { t, lang } = useI18n();
  const headline = items.filter((i) => i.category === 'headline');
  if (units.length === 0) return <Empty description={t(m.noChildren)} />;
  type Row = EvaluationSnapshot['units'][number];
  const columns: TableColumnsType<Row> = [
    { title: t(m.unit), dataIndex: 'unitName', width: 120, fixed: 'left' },
    ...headline.map((h) => ({
      title: nameOf(h, lang),
      key: h.code,
      width: 130,
      render: (_v: unknown, u: Row) => {
        const it = u.items.find((x) => x.code === h.code);
        if (!it) return '—';
        return (
          <Space orientation="vertical" size={0}>
            <span>
              {fmtValue(it.actual, it.unit, lang)} {it.actualSource === 'manual' && <ManualTag />}
            </span>
            <Space size={4}>
              <Typography.Text type={isLagging(it.status) ? 'danger' : 'secondary'}>{fmtPct(it.progress)}</Typography.Text>
              <StatusTag status={it.status} />
            </Space>
          </Space>
        );
      },
    })),
  ];
  return <Table<Row> rowKey="unitId" size="small" columns={columns} dataSource={units} pagination={false} scroll={{ x: 120 + headline.length * 130 }} />;
}

function FrozenEvidence({ c }: { c: EvaluationSnapshot }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t(m.frozenEvidence)}>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={c.attachments}
        locale={{ emptyText: t(common.none) }}
        columns={[
          { title: t(m.fileName), dataIndex: 'fileName' },
          { title: t(m.size), dataIndex: 'size', width: 90, render: (v: number) => formatBytes(v) },
          { title: t(m.sha256), dataIndex: 'sha256', render: (v: string) => <span className="boai-mono">{v}</span> },
        ]}
      />
    </Card>
  );
}

function ComparisonTable({ planId, enabled }: { planId: string; enabled: boolean }) {
  const { t, lang } = useI18n();
  const q = useComparison(planId, enabled);
  const cell = (v: { actual: number | null; status: Status } | null, unit: string) =>
    v ? (
      <Space size={4}>
        {fmtValue(v.actual, unit, lang)}
        <StatusTag status={v.status} />
      </Space>
    ) : (
      <Typography.Text type="secondary">{t(m.notYet)}</Typography.Text>
    );
  type Row = NonNullable<typeof q.data>['rows'][number];
  return (
    <Space orientation="vertical" size="small" className="boai-block" data-testid="comparison">
      <Typography.Text type="secondary">{t(m.comparisonHint)}</Typography.Text>
      {q.isError && <Alert type="error" showIcon title={q.error.message} />}
      <Table<Row>
        rowKey="indicatorCode"
        size="small"
        loading={q.isPending && enabled}
        pagination={false}
        dataSource={q.data?.rows ?? []}
        scroll={{ x: 1000 }}
        columns={[
          { title: t(m.indicator), dataIndex: 'name', width: 180 },
          { title: t(m.target), key: 'target', width: 120, render: (_v, r) => fmtValue(r.target, r.unit, lang) },
          {
            title: t(m.colBaseline),
            key: 'baseline',
            render: (_v, r) =>
              r.baseline ? (
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t(m.baselinePrevious)}>{r.baseline.previousTarget}</Descriptions.Item>
                  <Descriptions.Item label={t(m.baselineResult)}>{r.baseline.result}</Descriptions.Item>
                </Descriptions>
              ) : (
                '—'
              ),
          },
          { title: t(m.colMidterm), key: 'midterm', width: 200, render: (_v, r) => cell(r.midterm, r.unit) },
          { title: t(m.colFinal), key: 'final', width: 200, render: (_v, r) => cell(r.final, r.unit) },
        ]}
      />
    </Space>
  );
}
