import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Collapse, Descriptions, Empty, Skeleton, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ScissorOutlined, UploadOutlined } from '@ant-design/icons';
import { denominatorLabels, directionLabels, indicatorKindLabels, targetBasisLabels, type BaselineRow, type Indicator, type PlanDetail, type Target, type Warning } from '../plan.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { exportPlan, useImportPlan, usePlanDetail, useWarnings } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtNum, fmtPct, fmtValue, ManualTag, PlanSelect } from './plan.shared.tsx';
import { PlanGate, type PlanChoice } from './PlanGate.tsx';
import { BreakdownModal, TargetModal, type TargetPrefill } from './TargetModals.tsx';

/** 规划与目标: the plan as data — its header, indicators, the targets per unit (表3/表4), the base period (表1) and the checks. */
export function PlanSetupPage() {
  return <PlanGate>{(plan, choice) => <Setup planId={plan.id} choice={choice} />}</PlanGate>;
}

function Setup({ planId, choice }: { planId: string; choice: PlanChoice }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const can = useHasPermission();
  const detail = usePlanDetail(planId);
  const warnings = useWarnings(planId);
  const importPlan = useImportPlan();
  const [target, setTarget] = useState<TargetPrefill | null>(null);
  const [breakdown, setBreakdown] = useState<Indicator | null>(null);
  const [exporting, setExporting] = useState(false);
  const tab = choice.param('tab') ?? 'indicators';

  if (detail.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (detail.isError) return <Alert type="error" showIcon title={detail.error.message} />;
  const p: PlanDetail = detail.data;
  const editable = p.editable && can('plan.write');

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="plan-setup">
      <Card
        title={
          <Space wrap>
            <span>{t(m.planHeader)}</span>
            {choice.plans.data && choice.plans.data.length > 1 && (
              <PlanSelect plans={choice.plans.data} value={p.id} onChange={(id) => choice.setParams({ plan: id })} />
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={() => {
                setExporting(true);
                exportPlan(p)
                  .catch((e: unknown) => report(e))
                  .finally(() => setExporting(false));
              }}
              data-testid="plan-export"
            >
              {t(m.exportXlsx)}
            </Button>
            {can('plan.write') && (
              <Upload
                accept=".xlsx"
                showUploadList={false}
                beforeUpload={(f) => {
                  importPlan.mutate(f, {
                    onSuccess: (created) => {
                      void message.success(t(m.imported, { name: created.name }));
                      choice.setParams({ plan: created.id });
                    },
                    onError: (e) => report(e),
                  });
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={importPlan.isPending} title={t(m.importHint)}>
                  {t(m.importXlsx)}
                </Button>
              </Upload>
            )}
          </Space>
        }
      >
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="plan-header">
          <Descriptions.Item label={t(m.planName)} span={2}>
            {p.name}
          </Descriptions.Item>
          <Descriptions.Item label={t(m.document)}>{p.document ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t(m.period)}>{t(m.periodValue, { start: p.periodStart, end: p.periodEnd })}</Descriptions.Item>
          <Descriptions.Item label={t(m.baseYear)}>{t(m.yearValue, { year: p.baseYear })}</Descriptions.Item>
          <Descriptions.Item label={t(m.owner)}>{p.ownerUnitName}</Descriptions.Item>
          <Descriptions.Item label={t(m.thresholds)} span={2}>
            {t(m.thresholdsValue, { lagging: fmtPct(p.thresholds.lagging), severe: fmtPct(p.thresholds.severe) })}
          </Descriptions.Item>
          <Descriptions.Item label={t(m.updatedAt)}>{formatDateTime(p.updatedAt, lang)}</Descriptions.Item>
          {p.notes && (
            <Descriptions.Item label={t(m.notes)} span={3}>
              {p.notes}
            </Descriptions.Item>
          )}
        </Descriptions>
        {!p.editable && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t(m.readOnlyNotice, { unit: p.ownerUnitName })} />}
      </Card>

      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => choice.setParams({ tab: k }, { replace: true })}
          items={[
            { key: 'indicators', label: t(m.tabIndicators), children: <IndicatorsTable plan={p} editable={editable} onBreakdown={setBreakdown} /> },
            { key: 'targets', label: t(m.tabTargets), children: <TargetsByIndicator plan={p} editable={editable} onAdd={setTarget} onBreakdown={setBreakdown} /> },
            { key: 'baseline', label: t(m.tabBaseline), children: <BaselineTable rows={p.baseline} /> },
            {
              key: 'warnings',
              label: (
                <Space size={4}>
                  {t(m.tabWarnings)}
                  {warnings.data && warnings.data.length > 0 && <Tag color="warning">{warnings.data.length}</Tag>}
                </Space>
              ),
              children: <WarningsTable plan={p} items={warnings.data ?? []} loading={warnings.isPending} editable={editable} onFix={setTarget} />,
            },
          ]}
        />
      </Card>
      {target && <TargetModal plan={p} prefill={target} onClose={() => setTarget(null)} />}
      {breakdown && <BreakdownModal plan={p} indicator={breakdown} onClose={() => setBreakdown(null)} />}
    </Space>
  );
}

function IndicatorsTable({ plan, editable, onBreakdown }: { plan: PlanDetail; editable: boolean; onBreakdown: (i: Indicator) => void }) {
  const { t, lang } = useI18n();
  const columns: TableColumnsType<Indicator> = [
    { title: t(m.indicatorCode), dataIndex: 'code', width: 150, render: (v: string) => <span className="boai-mono">{v}</span> },
    { title: t(m.indicator), key: 'name', width: 200, render: (_v, i) => (lang === 'en' ? i.nameEn : i.nameZh) },
    { title: t(m.category), dataIndex: 'category', width: 90, render: (v: Indicator['category']) => <Tag color={v === 'headline' ? 'red' : 'default'}>{t(v === 'headline' ? m.categoryHeadline : m.categorySecondary)}</Tag> },
    { title: t(m.kind), dataIndex: 'kind', width: 110, render: (v: Indicator['kind']) => t(indicatorKindLabels[v]) },
    { title: t(m.target), key: 'target', width: 150, render: (_v, i) => (i.target === null ? '—' : `${t(directionLabels[i.direction])} ${fmtValue(i.target, i.unit, lang)}`) },
    { title: t(m.scope), dataIndex: 'targetScope', width: 90, render: (v: Indicator['targetScope']) => t(v === 'whole' ? m.scopeWhole : m.scopeEach) },
    { title: t(m.denominator), dataIndex: 'denominator', width: 120, render: (v: Indicator['denominator']) => t(denominatorLabels[v]) },
    { title: t(m.numeratorUnit), dataIndex: 'numeratorUnit', width: 90 },
    { title: t(m.rank), dataIndex: 'rankTarget', width: 110, render: (v: number | null) => (v === null ? '—' : t(m.rankTarget, { rank: v })) },
    { title: t(m.source), dataIndex: 'computed', width: 100, render: (v: boolean) => (v ? <Tag color="green">{t(m.computedTag)}</Tag> : <ManualTag />) },
    { title: t(m.responsible), dataIndex: 'responsibleUnitName', width: 120, render: (v: string | null) => v ?? '—' },
    { title: t(m.description), dataIndex: 'description', width: 220, ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '—' },
    ...(editable
      ? [
          {
            title: t(m.breakdown),
            key: 'actions',
            width: 110,
            fixed: 'right' as const,
            render: (_v: unknown, i: Indicator) =>
              i.kind === 'cumulative' && (
                <Button type="link" size="small" icon={<ScissorOutlined />} onClick={() => onBreakdown(i)}>
                  {t(m.breakdown)}
                </Button>
              ),
          },
        ]
      : []),
  ];
  return <Table<Indicator> rowKey="code" size="small" columns={columns} dataSource={plan.indicators} pagination={false} scroll={{ x: 1700 }} data-testid="indicators-table" />;
}

function TargetsByIndicator({ plan, editable, onAdd, onBreakdown }: { plan: PlanDetail; editable: boolean; onAdd: (p: TargetPrefill) => void; onBreakdown: (i: Indicator) => void }) {
  const { t, lang } = useI18n();
  const groups = useMemo(
    () => plan.indicators.map((i) => ({ ind: i, rows: plan.targets.filter((x) => x.indicatorCode === i.code) })).filter((g) => g.rows.length > 0 || editable),
    [plan, editable],
  );
  const columns: TableColumnsType<Target> = [
    { title: t(m.unit), dataIndex: 'unitName', width: 140, render: (v: string, r) => (r.statedTotal ? <strong>{v}</strong> : v) },
    { title: t(m.year), dataIndex: 'year', width: 110, render: (v: number | null) => (v === null ? t(m.wholePeriod) : t(m.yearValue, { year: v })) },
    { title: t(m.basis), dataIndex: 'basis', width: 130, render: (v: Target['basis']) => t(targetBasisLabels[v]) },
    { title: t(m.value), dataIndex: 'value', width: 110, align: 'right', render: (v: number) => fmtNum(v, lang) },
    { title: t(m.statedTotal), dataIndex: 'statedTotal', width: 90, render: (v: boolean) => (v ? <Tag color="blue">{t(m.statedTotal)}</Tag> : '') },
    { title: t(m.source), dataIndex: 'source', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t(m.note), dataIndex: 'note', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '—' },
  ];
  if (groups.length === 0) return <Empty />;
  return (
    <Collapse
      defaultActiveKey={groups.filter((g) => g.rows.length > 0).slice(0, 1).map((g) => g.ind.code)}
      items={groups.map((g) => ({
        key: g.ind.code,
        label: (
          <Space>
            <strong>{lang === 'en' ? g.ind.nameEn : g.ind.nameZh}</strong>
            <Typography.Text type="secondary">{t(m.targetRows, { count: g.rows.length })}</Typography.Text>
          </Space>
        ),
        extra: editable && (
          <Space size={0} onClick={(e) => e.stopPropagation()}>
            <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => onAdd({ indicatorCode: g.ind.code })}>
              {t(m.addTarget)}
            </Button>
            {g.ind.kind === 'cumulative' && (
              <Button type="link" size="small" icon={<ScissorOutlined />} onClick={() => onBreakdown(g.ind)}>
                {t(m.breakdown)}
              </Button>
            )}
          </Space>
        ),
        children: <Table<Target> rowKey="id" size="small" columns={columns} dataSource={g.rows} pagination={false} scroll={{ x: 900 }} />,
      }))}
    />
  );
}

function BaselineTable({ rows }: { rows: BaselineRow[] }) {
  const { t } = useI18n();
  return (
    <Table<BaselineRow>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: t(m.noBaseline) }}
      columns={[
        { title: t(m.seq), key: 'seq', width: 60, render: (_v, _r, i) => i + 1 },
        { title: t(m.baselineItem), dataIndex: 'item', width: 200 },
        { title: t(m.baselinePrevious), dataIndex: 'previousTarget' },
        { title: t(m.baselineResult), dataIndex: 'result' },
      ]}
      data-testid="baseline-table"
    />
  );
}

function WarningsTable({ plan, items, loading, editable, onFix }: { plan: PlanDetail; items: Warning[]; loading: boolean; editable: boolean; onFix: (p: TargetPrefill) => void }) {
  const { t, lang } = useI18n();
  const name = (code: string) => {
    const i = plan.indicators.find((x) => x.code === code);
    return i ? (lang === 'en' ? i.nameEn : i.nameZh) : code;
  };
  if (!loading && items.length === 0) return <Alert type="success" showIcon title={t(m.warningsNone)} />;
  return (
    <Table<Warning>
      rowKey={(w) => `${w.code}-${w.indicatorCode}-${w.unitId ?? ''}-${w.year ?? ''}-${w.basis ?? ''}-${w.source ?? ''}`}
      size="small"
      loading={loading}
      pagination={false}
      dataSource={items}
      data-testid="warnings-table"
      columns={[
        { title: t(m.indicator), dataIndex: 'indicatorCode', width: 150, render: (c: string) => name(c) },
        { title: t(m.source), dataIndex: 'source', width: 80, render: (v: string | null) => v ?? '—' },
        { title: t(m.notes), dataIndex: 'message' },
        { title: t(m.statedTotal), dataIndex: 'stated', width: 90, align: 'right', render: (v: number | null) => fmtNum(v, lang) },
        { title: t(m.breakdownSum), dataIndex: 'sum', width: 90, align: 'right', render: (v: number | null) => fmtNum(v, lang) },
        ...(editable
          ? [
              {
                title: '',
                key: 'fix',
                width: 90,
                render: (_v: unknown, w: Warning) =>
                  w.code === 'missing_rows' && (
                    <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => onFix({ indicatorCode: w.indicatorCode, year: w.year, basis: w.basis, source: w.source })}>
                      {t(m.fillMissing)}
                    </Button>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}
