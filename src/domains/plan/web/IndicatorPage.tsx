import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Progress, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { denominatorLabels, directionLabels, indicatorKindLabels, type IndicatorTable, type Plan } from '../plan.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useI18n } from '../../../web/i18n.tsx';
import { EChart, type ChartOption } from './EChart.tsx';
import { useIndicatorTable, usePlanDetail } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtPct, fmtValue, HintTitle, ManualTag, nameOf, STATUS_HEX, StatusTag, UnitSelect, YearSelect } from './plan.shared.tsx';
import { PlanGate, type PlanChoice } from './PlanGate.tsx';

type Row = IndicatorTable['rows'][number];

/** One indicator for a unit and each of its sub-units: the years so far as a chart, the units as a table. */
export function IndicatorPage() {
  return <PlanGate>{(plan, choice) => <IndicatorView plan={plan} choice={choice} />}</PlanGate>;
}

function IndicatorView({ plan, choice }: { plan: Plan; choice: PlanChoice }) {
  const { code } = useParams<{ code: string }>();
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const yearParam = choice.param('year');
  const unitParam = choice.param('unit');
  const q = useIndicatorTable(plan.id, code, { year: yearParam ? Number(yearParam) : undefined, unit: unitParam });
  const detail = usePlanDetail(plan.id);
  const ind = detail.data?.indicators.find((i) => i.code === code);
  const data = q.data;
  const total = data?.rows.find((r) => r.isTotal);
  const children = useMemo(() => (data?.rows ?? []).filter((r) => !r.isTotal), [data]);
  const item = total?.item;
  const unitOf = item?.unit ?? ind?.unit ?? '';

  const yearly = useMemo<ChartOption | null>(() => {
    if (!total) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? fmtValue(v, unitOf, lang) : '—') },
      legend: { top: 0, data: [t(m.seriesActual), t(m.seriesTarget)] },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: total.series.map((s) => t(m.yearValue, { year: s.year })) },
      yAxis: { type: 'value', name: unitOf },
      series: [
        { name: t(m.seriesActual), type: 'bar', barMaxWidth: 40, itemStyle: { color: '#c8161d' }, data: total.series.map((s) => s.actual) },
        { name: t(m.seriesTarget), type: 'line', symbol: 'circle', itemStyle: { color: '#1677ff' }, lineStyle: { type: 'dashed' }, data: total.series.map((s) => s.target) },
      ],
    };
  }, [total, unitOf, t, lang]);

  const byChild = useMemo<ChartOption | null>(() => {
    if (children.length === 0) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? fmtValue(v, unitOf, lang) : '—') },
      legend: { top: 0, data: [t(m.seriesActual), t(m.seriesTarget)] },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: children.map((r) => r.unitName), axisLabel: { interval: 0, rotate: children.length > 8 ? 30 : 0 } },
      yAxis: { type: 'value', name: unitOf },
      series: [
        { name: t(m.seriesActual), type: 'bar', barMaxWidth: 32, data: children.map((r) => ({ value: r.item.actual, itemStyle: { color: STATUS_HEX[r.item.status] } })) },
        { name: t(m.seriesTarget), type: 'scatter', symbol: 'rect', symbolSize: [28, 3], itemStyle: { color: '#262626' }, data: children.map((r) => r.item.target) },
      ],
    };
  }, [children, unitOf, t, lang]);

  const drill = (r: Row) => choice.setParams({ unit: r.unitId });

  const columns: TableColumnsType<Row> = [
    {
      title: t(m.unit),
      dataIndex: 'unitName',
      width: 180,
      render: (v: string, r) =>
        r.isTotal ? (
          <Space size={4}>
            <strong>{v}</strong>
            <Tag>{t(m.totalTag)}</Tag>
          </Space>
        ) : (
          <Typography.Link onClick={() => drill(r)} data-testid="drill-unit">
            {v}
          </Typography.Link>
        ),
    },
    { title: t(m.target), key: 'target', width: 130, align: 'right', render: (_v, r) => fmtValue(r.item.target, r.item.unit, lang) },
    {
      title: t(m.actual),
      key: 'actual',
      width: 170,
      align: 'right',
      render: (_v, r) => (
        <Space size={4}>
          {fmtValue(r.item.actual, r.item.unit, lang)}
          {r.item.actualSource === 'manual' && <ManualTag />}
        </Space>
      ),
    },
    {
      title: <HintTitle title={t(m.progress)} hint={t(m.progressHint)} />,
      key: 'progress',
      width: 170,
      render: (_v, r) =>
        r.item.progress === null ? (
          '—'
        ) : (
          <Progress percent={Math.min(100, r.item.progress * 100)} size="small" strokeColor={STATUS_HEX[r.item.status]} format={() => fmtPct(r.item.progress)} />
        ),
    },
    { title: <HintTitle title={t(m.expected)} hint={t(m.expectedHint)} />, key: 'expected', width: 100, align: 'right', render: (_v, r) => fmtPct(r.item.expected) },
    { title: t(m.status), key: 'status', width: 100, render: (_v, r) => <StatusTag status={r.item.status} /> },
    { title: t(m.projectionShort), key: 'projection', width: 130, align: 'right', render: (_v, r) => fmtValue(r.item.projection, r.item.unit, lang) },
    ...(item?.rankTarget !== null && item?.rankTarget !== undefined
      ? [{ title: t(m.rank), key: 'rank', width: 90, render: (_v: unknown, r: Row) => (r.item.rank !== null ? t(m.rankValue, { rank: r.item.rank }) : '—') }]
      : []),
    { title: t(m.notes), key: 'notes', render: (_v, r) => <Typography.Text type="secondary">{r.item.notes.join('；') || ''}</Typography.Text> },
  ];

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="indicator-page">
      <Card size="small">
        <div className="boai-toolbar">
          <Space wrap size="middle">
            <Link to={choice.link('/plan', { year: data?.year, unit: unitParam })}>
              <Button icon={<ArrowLeftOutlined />}>{t(m.backToDashboard)}</Button>
            </Link>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="indicator-name">
              {item ? nameOf(item, lang) : (ind?.nameZh ?? code)}
            </Typography.Title>
            {item && <StatusTag status={item.status} />}
          </Space>
          <Space wrap>
            <YearSelect plan={plan} value={data?.year} onChange={(y) => choice.setParams({ year: y })} />
            <UnitSelect value={data?.unit.id ?? unitParam} current={data?.unit} onChange={(u) => choice.setParams({ unit: u })} />
            {can('plan.actuals') && (
              <Link to={choice.link('/plan/actuals', { indicator: code, unit: data?.unit.id, year: data?.year, enter: 1 })}>
                <Button type="primary" icon={<EditOutlined />} data-testid="enter-actual-link">
                  {t(m.enterFor)}
                </Button>
              </Link>
            )}
          </Space>
        </div>
        {ind && (
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} className="plan-indicator-meta">
            <Descriptions.Item label={t(m.target)}>
              {ind.target === null ? '—' : `${t(directionLabels[ind.direction])} ${fmtValue(ind.target, ind.unit, lang)}`}
            </Descriptions.Item>
            <Descriptions.Item label={t(m.kind)}>{t(indicatorKindLabels[ind.kind])}</Descriptions.Item>
            <Descriptions.Item label={t(m.denominator)}>{t(denominatorLabels[ind.denominator])}</Descriptions.Item>
            <Descriptions.Item label={t(m.source)}>{ind.computed ? <Tag color="green">{t(m.computedTag)}</Tag> : <ManualTag />}</Descriptions.Item>
            {ind.responsibleUnitName && <Descriptions.Item label={t(m.responsible)}>{ind.responsibleUnitName}</Descriptions.Item>}
            {ind.description && (
              <Descriptions.Item label={t(m.description)} span={2}>
                {ind.description}
              </Descriptions.Item>
            )}
          </Descriptions>
        )}
      </Card>

      {q.isError && <Alert type="error" showIcon title={q.error.message} />}
      {q.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : data && total ? (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={children.length > 0 ? 10 : 24}>
              <Card size="small" title={t(m.yearlyChart, { unit: data.unit.name })}>
                {yearly && <EChart option={yearly} height={280} testId="yearly-chart" />}
                <Descriptions size="small" column={2} className="plan-total-figures">
                  <Descriptions.Item label={t(m.actual)}>{fmtValue(total.item.actual, total.item.unit, lang)}</Descriptions.Item>
                  <Descriptions.Item label={t(m.progress)}>{fmtPct(total.item.progress)}</Descriptions.Item>
                  <Descriptions.Item label={t(m.elapsed)}>{fmtPct(total.item.elapsed)}</Descriptions.Item>
                  <Descriptions.Item label={t(m.projection)}>{fmtValue(total.item.projection, total.item.unit, lang)}</Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            {byChild && (
              <Col xs={24} xl={14}>
                <Card size="small" title={t(m.childrenChart, { year: data.year })}>
                  <EChart option={byChild} height={320} testId="children-chart" onClickCategory={(i) => children[i] && drill(children[i])} />
                </Card>
              </Col>
            )}
          </Row>
          <Card size="small" title={t(m.childrenTable)}>
            <Table<Row>
              rowKey="unitId"
              size="small"
              columns={columns}
              dataSource={data.rows}
              pagination={false}
              scroll={{ x: 1100 }}
              rowClassName={(r) => (r.isTotal ? 'plan-total-row' : '')}
              locale={{ emptyText: <Empty description={t(m.noChildren)} /> }}
              data-testid="indicator-table"
            />
          </Card>
        </>
      ) : null}
    </Space>
  );
}
