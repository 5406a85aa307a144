import { useEffect, useState } from 'react';
import { Alert, Button, Card, Drawer, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import type { ActualEntry, Indicator, Plan } from '../plan.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { ActualFormDrawer, type ActualPrefill } from './ActualFormDrawer.tsx';
import { useActuals, usePlanDetail } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtNum, YearSelect } from './plan.shared.tsx';
import { PlanGate, type PlanChoice } from './PlanGate.tsx';

/** 人工填报: the figures entered by hand, filtered by indicator, unit and year, with their evidence. */
export function ActualsPage() {
  return <PlanGate>{(plan, choice) => <Actuals plan={plan} choice={choice} />}</PlanGate>;
}

function Actuals({ plan, choice }: { plan: Plan; choice: PlanChoice }) {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const detail = usePlanDetail(plan.id);
  const indicators: Indicator[] = detail.data?.indicators ?? [];
  const indicatorCode = choice.param('indicator');
  const unitId = choice.param('unit');
  const yearParam = choice.param('year');
  const year = yearParam ? Number(yearParam) : undefined;
  const history = choice.param('history') === '1';
  const list = useActuals(plan.id, { indicatorCode, unitId, year, history });
  const [form, setForm] = useState<ActualPrefill | null>(null);
  const [evidence, setEvidence] = useState<ActualEntry | null>(null);
  const writable = can('plan.actuals');

  // A link from an indicator page (…&enter=1) opens the form for that indicator and unit.
  const enter = choice.param('enter');
  useEffect(() => {
    if (enter && writable) {
      setForm({ indicatorCode, unitId, year });
      choice.setParams({ enter: null }, { replace: true });
    }
  }, [enter, writable, indicatorCode, unitId, year, choice]);

  const ind = (code: string) => indicators.find((i) => i.code === code);
  const name = (code: string) => {
    const i = ind(code);
    return i ? (lang === 'en' ? i.nameEn : i.nameZh) : code;
  };

  const columns: TableColumnsType<ActualEntry> = [
    { title: t(m.indicator), dataIndex: 'indicatorCode', width: 180, render: (c: string) => name(c) },
    { title: t(m.unit), dataIndex: 'unitName', width: 130 },
    { title: t(m.year), dataIndex: 'year', width: 80, render: (y: number) => t(m.yearValue, { year: y }) },
    {
      title: t(m.numerator),
      dataIndex: 'numerator',
      width: 130,
      align: 'right',
      render: (v: number, e) => (
        <span data-testid="entry-numerator">
          {fmtNum(v, lang)} {ind(e.indicatorCode)?.numeratorUnit ?? ''}
        </span>
      ),
    },
    { title: t(m.denominator), dataIndex: 'denominator', width: 100, align: 'right', render: (v: number | null) => fmtNum(v, lang) },
    { title: t(m.rankField), dataIndex: 'rank', width: 90, render: (v: number | null) => (v === null ? '—' : t(m.rankValue, { rank: v })) },
    { title: t(m.sourceDocument), dataIndex: 'sourceDocument', width: 200, ellipsis: { showTitle: true } },
    { title: t(m.note), dataIndex: 'note', width: 160, ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '—' },
    { title: t(m.enteredBy), dataIndex: 'enteredBy', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t(m.enteredAt), dataIndex: 'enteredAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
    {
      title: t(m.status),
      key: 'state',
      width: 120,
      render: (_v, e) =>
        e.replacedByComputed ? (
          <Tag>{t(m.entryReplaced)}</Tag>
        ) : e.supersededAt ? (
          <Tooltip title={formatDateTime(e.supersededAt, lang)}>
            <Tag>{t(m.entrySuperseded)}</Tag>
          </Tooltip>
        ) : (
          <Tag color="success">{t(m.entryCurrent)}</Tag>
        ),
    },
    {
      title: t(common.actions),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_v, e) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<PaperClipOutlined />} onClick={() => setEvidence(e)} data-testid="entry-evidence">
            {t(m.evidence)}
          </Button>
          {writable && !e.supersededAt && (
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setForm({ from: e })}>
              {t(m.entryUpdate)}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="actuals-page">
      <Card size="small" className="boai-search-card">
        <Space wrap size="middle">
          <Select
            aria-label={t(m.indicator)}
            allowClear
            placeholder={t(m.allIndicators)}
            value={indicatorCode}
            onChange={(v: string | undefined) => choice.setParams({ indicator: v })}
            style={{ width: 240 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={indicators.map((i) => ({ value: i.code, label: lang === 'en' ? i.nameEn : i.nameZh }))}
            data-testid="filter-indicator"
          />
          <div style={{ width: 240 }}>
            <UnitTreeSelect allowClear placeholder={t(m.allUnits)} value={unitId ?? null} onChange={(v) => choice.setParams({ unit: v })} />
          </div>
          <YearSelect plan={plan} value={year} allowClear placeholder={t(m.allYears)} onChange={(y) => choice.setParams({ year: y })} />
          <Space size={6}>
            <Switch checked={history} onChange={(v) => choice.setParams({ history: v ? 1 : null })} aria-label={t(m.showHistory)} data-testid="toggle-history" />
            <span>{t(m.showHistory)}</span>
          </Space>
        </Space>
      </Card>
      <Card>
        <div className="boai-toolbar">
          <span className="boai-toolbar-title">{t(m.actualsTitle)}</span>
          {writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ indicatorCode, unitId, year })} disabled={!detail.data} data-testid="new-actual">
              {t(m.newEntry)}
            </Button>
          )}
        </div>
        <Typography.Paragraph type="secondary">{t(m.actualsHint)}</Typography.Paragraph>
        {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
        <Table<ActualEntry>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          scroll={{ x: 1600 }}
          rowClassName={(e) => (e.supersededAt ? 'plan-row-superseded' : '')}
          locale={{ emptyText: t(m.noEntries) }}
          data-testid="actuals-table"
        />
      </Card>
      {form && detail.data && <ActualFormDrawer plan={plan} indicators={indicators} prefill={form} onClose={() => setForm(null)} />}
      {evidence && (
        <Drawer
          open
          size={720}
          title={t(m.evidenceFor, { indicator: name(evidence.indicatorCode), unit: evidence.unitName, year: evidence.year })}
          onClose={() => setEvidence(null)}
          destroyOnHidden
        >
          <AttachmentsCard ownerType="plan_actual" ownerId={evidence.id} writable={writable && !evidence.supersededAt} />
        </Drawer>
      )}
    </Space>
  );
}
