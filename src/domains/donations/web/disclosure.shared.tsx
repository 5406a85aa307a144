import type { ReactNode } from 'react';
import { Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { designationLabels, type DisclosureSummary, type GateCheck } from '../donations.contract.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import type { DisclosureListItem, PublicDisbursement, PublicDonation } from './donations.api.ts';
import { disclosureMessages as m } from './disclosure.messages.ts';
import { Money } from './donations.shared.tsx';
import { formatMoney } from './money.ts';
import './disclosure.css';

/** `2026-10-01`–`2026-10-31` of a `YYYY-MM` month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, mo] = month.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

/** `2026-10` → `2026年10月`. */
export function monthLabel(month: string, lang: string): string {
  const [y, mo] = month.split('-');
  return lang === 'en' ? `${y}-${mo}` : `${y}年${Number(mo)}月`;
}

/** The period as a reader says it: a whole month as the month, otherwise from – to. */
export function periodText(t: Translate, lang: string, from: string, to: string): string {
  const month = from.slice(0, 7);
  const whole = monthRange(month);
  if (whole.from === from && whole.to === to) return monthLabel(month, lang);
  return t(m.periodOf, { from, to });
}

/** A deadline: red once passed, orange within two days, green otherwise. */
export function CountdownTag({ daysLeft }: { daysLeft: number | null }) {
  const { t } = useI18n();
  if (daysLeft === null) return null;
  const color = daysLeft < 0 ? 'red' : daysLeft <= 2 ? 'orange' : 'green';
  const text = daysLeft < 0 ? t(m.overdue, { days: -daysLeft }) : daysLeft === 0 ? t(m.dueToday) : t(m.daysLeft, { days: daysLeft });
  return (
    <Tag color={color} data-testid="countdown" data-days={daysLeft}>
      {text}
    </Tag>
  );
}

/** 公示前核对: one row per check — passed or not, blocking or a warning, its message and its items. */
export function GateList({ checks }: { checks: GateCheck[] }) {
  const { t } = useI18n();
  return (
    <div className="dis-gate" data-testid="gate">
      {checks.map((c) => {
        const icon = c.ok ? <CheckCircleFilled className="dis-ok" /> : c.blocking ? <CloseCircleFilled className="dis-bad" /> : <ExclamationCircleFilled className="dis-warn" />;
        return (
          <div key={c.code} className={`dis-check ${c.ok ? 'is-ok' : c.blocking ? 'is-bad' : 'is-warn'}`} data-testid="gate-check" data-code={c.code} data-ok={c.ok} data-blocking={c.blocking}>
            <div className="dis-check-head">
              <span className="dis-check-icon" aria-label={t(c.ok ? m.passed : m.failed)}>
                {icon}
              </span>
              <span className="dis-check-title">{t(m.checks[c.code])}</span>
              <Tag color={c.blocking ? 'red' : 'gold'} bordered={false}>
                {t(c.blocking ? m.blocking : m.warning)}
              </Tag>
              <Tag color={c.ok ? 'success' : c.blocking ? 'error' : 'warning'} data-testid="gate-result">
                {c.ok ? '✓ ' : '✗ '}
                {t(c.ok ? m.passed : m.failed)}
              </Tag>
            </div>
            <div className="dis-check-message">{c.message}</div>
            {c.items.length > 0 && (
              <details className="dis-check-items" open={!c.ok && c.items.length <= 20}>
                <summary>{t(m.itemsCount, { count: c.items.length })}</summary>
                <ul>
                  {c.items.map((i, k) => (
                    <li key={`${i.ref}-${k}`} data-testid="gate-item">
                      <span className="boai-mono dis-item-ref">{i.ref}</span>
                      <span className="dis-item-detail">{i.detail}</span>
                      <CountdownTag daysLeft={i.daysLeft} />
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The period's totals as large figures. */
export function SummaryFigures({ s }: { s: DisclosureSummary }) {
  const { t } = useI18n();
  return (
    <div className="dis-figures" data-testid="summary-figures">
      <div>
        <div className="dis-figure-label">{t(m.received)}</div>
        <div className="dis-figure" data-testid="total-received">
          {formatMoney(s.receivedFen)}
        </div>
      </div>
      <div>
        <div className="dis-figure-label">{t(m.disbursed)}</div>
        <div className="dis-figure dis-figure-out" data-testid="total-disbursed">
          {formatMoney(s.disbursedFen)}
        </div>
        {s.managementFen > 0 && <div className="dis-figure-note">{t(m.publicManagement, { amount: formatMoney(s.managementFen) })}</div>}
      </div>
      <div>
        <div className="dis-figure-label">{t(m.donationCount)}</div>
        <div className="dis-figure" data-testid="total-count">
          {t(m.publicCountValue, { count: s.donationCount })}
        </div>
      </div>
    </div>
  );
}

type UnitRow = DisclosureSummary['byUnit'][number];
type ProjectRow = DisclosureSummary['byProject'][number];

const money = (v: number) => <Money fen={v} />;

export function ByUnitTable({ s, compact }: { s: DisclosureSummary; compact?: boolean }) {
  const { t } = useI18n();
  const columns: TableColumnsType<UnitRow> = [
    { title: t(m.unit), dataIndex: 'unitName' },
    { title: t(m.receivedYuan), dataIndex: 'receivedFen', align: 'right', render: money },
    { title: t(m.disbursedYuan), dataIndex: 'disbursedFen', align: 'right', render: money },
    ...(compact ? [] : [{ title: t(m.countCol), dataIndex: 'donationCount', align: 'right' as const, width: 80 }]),
  ];
  return (
    <Table<UnitRow>
      rowKey="unitId"
      size="small"
      columns={columns}
      dataSource={s.byUnit}
      pagination={false}
      bordered
      data-testid="by-unit"
      summary={() => (
        <Table.Summary.Row className="dis-total-row">
          <Table.Summary.Cell index={0}>{t(m.total)}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Money fen={s.receivedFen} strong />
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Money fen={s.disbursedFen} strong />
          </Table.Summary.Cell>
          {!compact && (
            <Table.Summary.Cell index={3} align="right">
              {s.donationCount}
            </Table.Summary.Cell>
          )}
        </Table.Summary.Row>
      )}
    />
  );
}

export function ByProjectTable({ s, compact }: { s: DisclosureSummary; compact?: boolean }) {
  const { t } = useI18n();
  const columns: TableColumnsType<ProjectRow> = [
    { title: t(m.project), dataIndex: 'projectName' },
    { title: t(m.receivedYuan), dataIndex: 'receivedFen', align: 'right', render: money },
    ...(compact ? [] : [{ title: t(m.allocatedYuan), dataIndex: 'allocatedFen', align: 'right' as const, render: money }]),
    { title: t(m.disbursedYuan), dataIndex: 'disbursedFen', align: 'right', render: money },
  ];
  return <Table<ProjectRow> rowKey="projectId" size="small" columns={columns} dataSource={s.byProject} pagination={false} bordered locale={{ emptyText: t(m.noProjects) }} data-testid="by-project" />;
}

export function designationShort(t: Translate, d: PublicDonation): string {
  if (d.designation === 'project' && d.projectName) return `${t(designationLabels.project)}：${d.projectName}`;
  return t(designationLabels[d.designation]);
}

export function DonationsTable({ rows, footer }: { rows: PublicDonation[]; footer?: ReactNode }) {
  const { t } = useI18n();
  const columns: TableColumnsType<PublicDonation> = [
    { title: t(m.number), dataIndex: 'number', width: 200, render: (v: string) => <span className="boai-mono don-nowrap">{v}</span> },
    { title: t(m.receivedOn), dataIndex: 'receivedOn', width: 110 },
    { title: t(m.donor), dataIndex: 'donorName' },
    { title: t(m.amount), dataIndex: 'amountFen', width: 140, align: 'right', render: money },
    ...(rows.some((d) => d.goods)
      ? [
          { title: t(m.goods), key: 'goods', width: 260, render: (_v: unknown, d: PublicDonation) => d.goods ?? '' },
          { title: t(m.goodsValue), key: 'goodsValue', width: 130, align: 'right' as const, render: (_v: unknown, d: PublicDonation) => (d.goods ? money(d.goodsValueFen ?? 0) : '') },
        ]
      : []),
    { title: t(m.designation), key: 'designation', render: (_v, d) => designationShort(t, d) },
    { title: t(m.recipientUnit), dataIndex: 'unitName', width: 110 },
  ];
  return (
    <Table<PublicDonation>
      rowKey="number"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
      bordered
      locale={{ emptyText: t(m.noDonations) }}
      footer={footer ? () => footer : undefined}
      data-testid="donations-table"
    />
  );
}

export function categoryText(t: Translate, c: PublicDisbursement['category']) {
  return t(c === 'management' ? m.categoryManagement : m.categoryAid);
}

export function DisbursementsTable({ rows }: { rows: PublicDisbursement[] }) {
  const { t } = useI18n();
  const columns: TableColumnsType<PublicDisbursement> = [
    { title: t(m.paidOn), dataIndex: 'paidOn', width: 110 },
    { title: t(m.beneficiary), dataIndex: 'beneficiary' },
    { title: t(m.amount), dataIndex: 'amountFen', width: 140, align: 'right', render: money },
    { title: t(m.purpose), dataIndex: 'purpose' },
    { title: t(m.fund), dataIndex: 'fundName' },
    { title: t(m.category), dataIndex: 'category', width: 90, render: (c: PublicDisbursement['category']) => categoryText(t, c) },
    { title: t(m.recipientUnit), dataIndex: 'unitName', width: 110 },
  ];
  return (
    <Table<PublicDisbursement & { key: number }>
      size="small"
      columns={columns as TableColumnsType<PublicDisbursement & { key: number }>}
      dataSource={rows.map((r, key) => ({ ...r, key }))}
      pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
      bordered
      locale={{ emptyText: t(m.noDisbursements) }}
      data-testid="disbursements-table"
    />
  );
}

/** The SHA-256 of a published report, shown whole (it is what a reader checks), copyable. */
export function HashBox({ hash, large }: { hash: string; large?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={large ? 'dis-hash dis-hash-large' : 'dis-hash'}>
      <div className="dis-hash-label">{t(m.contentHash)}</div>
      <Typography.Text copyable={{ text: hash }} className="dis-hash-value boai-mono" data-testid="content-hash">
        {hash}
      </Typography.Text>
    </div>
  );
}

/** 草稿 / 已发布, and 更正 for a correcting report. */
export function DisclosureStatusTag({ r }: { r: Pick<DisclosureListItem, 'status' | 'corrects'> }) {
  const { t } = useI18n();
  return (
    <Space size={4}>
      <Tag color={r.status === 'published' ? 'success' : 'default'} data-testid="disclosure-status" data-status={r.status}>
        {t(r.status === 'published' ? m.statusPublished : m.statusDraft)}
      </Tag>
      {r.corrects && <Tag color="purple">{t(m.correction)}</Tag>}
    </Space>
  );
}

