import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Card, Col, Empty, Progress, Row, Skeleton, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { directionLabels, statusLabels, type Plan, type ProgressItem, type Warning } from '../plan.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { EChart, type ChartOption } from './EChart.tsx';
import { useProgress, useWarnings } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtNum, fmtPct, fmtValue, HintTitle, ManualTag, nameOf, PlanSelect, STATUS_HEX, StatusTag, UnitSelect, YearSelect } from './plan.shared.tsx';
import { PlanGate, type PlanChoice } from './PlanGate.tsx';

/** 规划进度: the plan's headline indicators for a unit and year, charts first, then the rest in a table. */
export function PlanDashboardPage() {
  return <PlanGate>{(plan, choice) => <Dashboard plan={plan} choice={choice} />}</PlanGate>;
}

const WARNINGS_SHOWN = 6;

export function WarningsAlert({ items, moreLink }: { items: Warning[]; moreLink?: string }) {
  const { t, lang } = useI18n();
  if (items.length === 0) return null;
  const shown = moreLink ? items.slice(0, WARNINGS_SHOWN) : items;
  return (
    <Alert
      type="warning"
      showIcon
      title={t(m.warningsTitle, { count: items.length })}
      data-testid="plan-warnings"
      description={
        <ul className="plan-warning-list">
          {shown.map((w, i) => (
            <li key={`${w.code}-${w.indicatorCode}-${w.unitId ?? ''}-${w.year ?? ''}-${w.basis ?? ''}-${i}`}>
              {w.message}
              {w.stated !== null && w.sum !== null && (
                <Typography.Text type="secondary">{t(m.warningFigures, { stated: fmtNum(w.stated, lang), sum: fmtNum(w.sum, lang) })}</Typography.Text>
              )}
            </li>
          ))}
          {moreLink && items.length > shown.length && (
            <li>
              <Link to={moreLink}>{t(m.warningsMore, { count: items.length - shown.length })}</Link>
            </li>
          )}
        </ul>
      }
    />
  );
}

function IndicatorCard({ item, onOpen }: { item: ProgressItem; onOpen: () => void }) {
  const { t, lang } = useI18n();
  const pct = item.progress === null ? 0 : Math.max(0, Math.min(100, item.progress * 100));
  const targetText = item.target === null ? '—' : `${t(directionLabels[item.direction])} ${fmtValue(item.target, item.unit, lang)}`;
  return (
    <Card
      hoverable
      size="small"
      onClick={onOpen}
      className="plan-card"
      data-testid="indicator-card"
      data-code={item.code}
      title={
        <Tooltip title={t(m.openIndicator)}>
          <span className="plan-card-title">{nameOf(item, lang)}</span>
        </Tooltip>
      }
      extra={<StatusTag status={item.status} />}
    >
      <div className="plan-card-body">
        <Progress
          type="dashboard"
          percent={pct}
          size={92}
          strokeColor={STATUS_HEX[item.status]}
          format={() => <span className="plan-gauge-text">{fmtPct(item.progress)}</span>}
          aria-label={t(m.progress)}
        />
        <dl className="plan-card-figures">
          <dt>{t(m.target)}</dt>
          <dd>{targetText}</dd>
          <dt>{t(m.actual)}</dt>
          <dd data-testid="card-actual">
            {fmtValue(item.actual, item.unit, lang)} {item.actualSource === 'manual' && <ManualTag />}
          </dd>
          <dt>
            <HintTitle title={t(m.expected)} hint={t(m.expectedHint)} />
          </dt>
          <dd>{fmtPct(item.expected)}</dd>
          <dt>{t(m.elapsed)}</dt>
          <dd>{fmtPct(item.elapsed)}</dd>
          <dt>{t(m.projectionShort)}</dt>
          <dd>{fmtValue(item.projection, item.unit, lang)}</dd>
          {item.rankTarget !== null && (
            <>
              <dt>{t(m.rank)}</dt>
              <dd>
                {item.rank !== null ? t(m.rankValue, { rank: item.rank }) : '—'}{' '}
                <Typography.Text type="secondary">{t(m.rankTargetNote, { rank: item.rankTarget })}</Typography.Text>
              </dd>
            </>
          )}
        </dl>
      </div>
      {item.notes.length > 0 && (
        <Typography.Paragraph type="secondary" className="plan-card-notes" ellipsis={{ rows: 2, tooltip: item.notes.join('；') }}>
          {item.notes.join('；')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function progressChart(items: ProgressItem[], t: ReturnType<typeof useI18n>['t'], lang: 'zh-CN' | 'en'): ChartOption {
  const names = items.map((i) => nameOf(i, lang));
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—'),
    },
    legend: { top: 0, data: [t(m.seriesProgress), t(m.seriesExpected)] },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, width: 80, overflow: 'break' } },
    yAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10) },
    series: [
      {
        name: t(m.seriesProgress),
        type: 'bar',
        barMaxWidth: 36,
        itemStyle: { color: '#8c8c8c' },
        data: items.map((i) => ({ value: i.progress === null ? null : Math.round(i.progress * 1000) / 10, itemStyle: { color: STATUS_HEX[i.status] } })),
        label: { show: true, position: 'top', formatter: (p) => (typeof p.value === 'number' ? `${p.value}%` : '') },
      },
      {
        name: t(m.seriesExpected),
        type: 'scatter',
        symbol: 'rect',
        symbolSize: [40, 3],
        itemStyle: { color: '#262626' },
        data: items.map((i) => (i.expected === null ? null : Math.round(i.expected * 1000) / 10)),
      },
    ],
  };
}

function Dashboard({ plan, choice }: { plan: Plan; choice: PlanChoice }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const yearParam = choice.param('year');
  const unitParam = choice.param('unit');
  const q = useProgress(plan.id, { year: yearParam ? Number(yearParam) : undefined, unit: unitParam });
  const warnings = useWarnings(plan.id);
  const data = q.data;
  const headline = useMemo(() => (data?.items ?? []).filter((i) => i.category === 'headline'), [data]);
  const secondary = useMemo(() => (data?.items ?? []).filter((i) => i.category !== 'headline'), [data]);
  const chart = useMemo(() => progressChart(headline, t, lang), [headline, t, lang]);

  const open = (code: string) => navigate(choice.link(`/plan/indicators/${code}`, { year: data?.year, unit: data?.unit.id }));

  const columns: TableColumnsType<ProgressItem> = [
    {
      title: t(m.indicator),
      dataIndex: 'name',
      render: (_v, i) => <Link to={choice.link(`/plan/indicators/${i.code}`, { year: data?.year, unit: data?.unit.id })}>{nameOf(i, lang)}</Link>,
    },
    { title: t(m.target), key: 'target', width: 150, render: (_v, i) => (i.target === null ? '—' : `${t(directionLabels[i.direction])} ${fmtValue(i.target, i.unit, lang)}`) },
    {
      title: t(m.actual),
      key: 'actual',
      width: 170,
      render: (_v, i) => (
        <Space size={4}>
          {fmtValue(i.actual, i.unit, lang)}
          {i.actualSource === 'manual' && <ManualTag />}
        </Space>
      ),
    },
    { title: t(m.progress), dataIndex: 'progress', width: 100, align: 'right', render: (v: number | null) => fmtPct(v) },
    { title: t(m.expected), dataIndex: 'expected', width: 100, align: 'right', render: (v: number | null) => fmtPct(v) },
    { title: t(m.status), dataIndex: 'status', width: 100, render: (_v, i) => <StatusTag status={i.status} /> },
    { title: t(m.projectionShort), key: 'projection', width: 130, render: (_v, i) => fmtValue(i.projection, i.unit, lang) },
  ];

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="plan-dashboard">
      <Card size="small">
        <div className="boai-toolbar plan-filter-bar">
          <Space wrap size="middle">
            <span className="boai-toolbar-title">{t(m.menuDashboard)}</span>
            {choice.plans.data && choice.plans.data.length > 1 && (
              <PlanSelect plans={choice.plans.data} value={plan.id} onChange={(id) => choice.setParams({ plan: id, year: null, unit: null })} />
            )}
            <YearSelect plan={plan} value={data?.year} onChange={(y) => choice.setParams({ year: y })} />
            <UnitSelect value={data?.unit.id ?? unitParam} current={data?.unit} onChange={(u) => choice.setParams({ unit: u })} />
          </Space>
          {data && (
            <Typography.Text type="secondary" data-testid="as-of">
              {t(m.asOfLine, { date: data.asOf, elapsed: fmtPct(data.items[0]?.elapsed ?? null) })}
            </Typography.Text>
          )}
        </div>
        <Typography.Text type="secondary">{plan.name}</Typography.Text>
      </Card>

      {warnings.data && <WarningsAlert items={warnings.data} moreLink={choice.link('/plan/setup', { tab: 'warnings' })} />}
      {q.isError && <Alert type="error" showIcon title={q.error.message} />}

      {q.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : data ? (
        <>
          <Typography.Title level={5} className="plan-section-title">
            {data.unit.name} · {t(m.headline)}
          </Typography.Title>
          {headline.length === 0 ? (
            <Card>
              <Empty description={t(m.noHeadline)} />
            </Card>
          ) : (
            <Row gutter={[16, 16]} data-testid="headline-cards">
              {headline.map((i) => (
                <Col key={i.code} xs={24} md={12} xl={6}>
                  <IndicatorCard item={i} onOpen={() => void open(i.code)} />
                </Col>
              ))}
            </Row>
          )}
          {headline.length > 0 && (
            <Card size="small" title={t(m.chartTitle)}>
              <EChart option={chart} height={300} testId="progress-chart" onClickCategory={(idx) => headline[idx] && void open(headline[idx].code)} />
              <Space size={12} wrap className="plan-legend">
                {(['achieved', 'on_track', 'lagging', 'severely_lagging', 'no_data'] as const).map((s) => (
                  <span key={s}>
                    <span className="plan-dot" style={{ background: STATUS_HEX[s] }} />
                    {t(statusLabels[s])}
                  </span>
                ))}
              </Space>
            </Card>
          )}
          {secondary.length > 0 && (
            <Card size="small" title={t(m.secondary)}>
              <Table<ProgressItem> rowKey="code" size="small" columns={columns} dataSource={secondary} pagination={false} scroll={{ x: 860 }} data-testid="secondary-table" />
            </Card>
          )}
        </>
      ) : null}
    </Space>
  );
}
