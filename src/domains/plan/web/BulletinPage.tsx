import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, App, Button, Card, Input, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined, EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { directionLabels, statusLabels, type Bulletin, type ProgressItem } from '../plan.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDate } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { exportBulletin, useBulletin, useUpdateBulletin } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtPct, fmtValue, isLagging, nameOf, todayShanghai } from './plan.shared.tsx';
import './plan.print.css';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

/** A bulletin as the paper it becomes: on screen as an A4 sheet, printed without the app around it. */
export function BulletinPage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const can = useHasPermission();
  const q = useBulletin(id);
  const update = useUpdateBulletin();
  const [editing, setEditing] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  if (!q.isSuccess) return <QueryFallback q={q} back={{ to: "/plan/bulletins", label: t(m.back) }} />;
  const b: Bulletin = q.data;
  const items = b.progress.items;
  const headline = items.filter((i) => i.category === 'headline');

  const saveRemarks = () => {
    if (editing === null) return;
    update.mutate(
      { id: b.id, version: b.version, remarks: editing.trim() ? editing.trim() : null },
      {
        onSuccess: () => {
          void message.success(t(common.saved));
          setEditing(null);
        },
        onError: (e) => report(e),
      },
    );
  };

  const target = (i: ProgressItem) => (i.target === null ? '—' : `${t(directionLabels[i.direction])} ${fmtValue(i.target, i.unit, lang)}`);

  return (
    <Space orientation="vertical" size="middle" className="boai-block plan-print" data-testid="bulletin-page">
      <Card size="small" className="plan-no-print">
        <div className="boai-toolbar" style={{ marginBottom: 0 }}>
          <Space wrap>
            <Link to={`/plan/bulletins?plan=${b.planId}`}>
              <Button icon={<ArrowLeftOutlined />}>{t(m.back)}</Button>
            </Link>
            <Typography.Text strong>{b.title}</Typography.Text>
          </Space>
          <Space wrap>
            {can('plan.report') && editing === null && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(b.remarks ?? '')} data-testid="edit-remarks">
                {t(m.editRemarks)}
              </Button>
            )}
            <Button
              icon={<DownloadOutlined />}
              loading={exporting}
              onClick={() => {
                setExporting(true);
                exportBulletin(b)
                  .catch((e: unknown) => report(e))
                  .finally(() => setExporting(false));
              }}
              data-testid="bulletin-export"
            >
              {t(m.exportXlsx)}
            </Button>
            <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="bulletin-print">
              {t(m.print)}
            </Button>
          </Space>
        </div>
      </Card>

      <article className="plan-paper" data-testid="bulletin-paper">
        <div className="plan-paper-org">{t(m.orgOf, { unit: b.unitName })}</div>
        <div className="plan-paper-title" data-testid="bulletin-title">
          {b.title}
        </div>
        <div className="plan-paper-meta">
          <span>{t(m.printAsOf, { date: b.asOf })}</span>
          <span>{t(m.printDate, { date: todayShanghai() })}</span>
        </div>

        <h3>{t(m.sectionIndicators)}</h3>
        <table className="plan-print-table" data-testid="bulletin-indicators">
          <thead>
            <tr>
              <th style={{ width: '6%' }}>{t(m.seq)}</th>
              <th>{t(m.indicator)}</th>
              <th>{t(m.target)}</th>
              <th>{t(m.actual)}</th>
              <th>{t(m.progress)}</th>
              <th>{t(m.expected)}</th>
              <th>{t(m.status)}</th>
              <th>{t(m.projectionShort)}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i, idx) => (
              <tr key={i.code} className={isLagging(i.status) ? 'plan-lag' : undefined} data-status={i.status}>
                <td className="num" style={{ textAlign: 'center' }}>
                  {idx + 1}
                </td>
                <td>
                  {nameOf(i, lang)}
                  {i.actualSource === 'manual' && <sup className="plan-manual-mark">{t(m.manualMark)}</sup>}
                </td>
                <td>{target(i)}</td>
                <td className="num">{fmtValue(i.actual, i.unit, lang)}</td>
                <td className="num">{fmtPct(i.progress)}</td>
                <td className="num">{fmtPct(i.expected)}</td>
                <td style={{ textAlign: 'center' }}>{t(statusLabels[i.status])}</td>
                <td className="num">{fmtValue(i.projection, i.unit, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="plan-note">
          {[t(m.legendLagging), t(m.manualFootnote), `${t(m.elapsed)} ${fmtPct(items[0]?.elapsed ?? null)}`].join(t(m.listSep))}
        </div>

        {b.ranking.length > 0 && (
          <>
            <h3>{t(m.sectionRanking)}</h3>
            <table className="plan-print-table" data-testid="bulletin-ranking">
              <thead>
                <tr>
                  <th style={{ width: '8%' }}>{t(m.rankCol)}</th>
                  <th style={{ width: '18%' }}>{t(m.unit)}</th>
                  <th style={{ width: '14%' }}>{t(m.score)}</th>
                  <th>{t(m.laggingItems)}</th>
                </tr>
              </thead>
              <tbody>
                {b.ranking.map((r) => (
                  <tr key={r.unitId}>
                    <td style={{ textAlign: 'center' }}>{r.rank ?? '—'}</td>
                    <td className="plan-nowrap">{r.unitName}</td>
                    <td className="num">{fmtPct(r.score)}</td>
                    <td className={r.lagging.length > 0 ? 'plan-lag' : undefined}>{r.lagging.length > 0 ? r.lagging.join('、') : t(m.noLagging)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="plan-note">{t(m.scoreHint)}</div>
          </>
        )}

        {b.byUnit.length > 0 && headline.length > 0 && (
          <>
            <h3>{t(m.sectionByUnit)}</h3>
            <table className="plan-print-table" data-testid="bulletin-by-unit">
              <thead>
                <tr>
                  <th className="plan-nowrap">{t(m.unit)}</th>
                  {headline.map((h) => (
                    <th key={h.code}>{nameOf(h, lang)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {b.byUnit.map((u) => (
                  <tr key={u.unitId}>
                    <td className="plan-nowrap">{u.unitName}</td>
                    {headline.map((h) => {
                      const it = u.items.find((x) => x.code === h.code);
                      return (
                        <td key={h.code} className={`num${it && isLagging(it.status) ? ' plan-lag' : ''}`} title={it ? t(statusLabels[it.status]) : undefined}>
                          {it ? fmtPct(it.progress) : '—'}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="plan-note">
              {t(m.progressFootnote)}{t(m.listSep)}{t(m.legendLagging)}
            </div>
          </>
        )}

        <h3>{t(m.sectionRemarks)}</h3>
        {editing !== null ? (
          <div className="plan-no-print">
            <Input.TextArea rows={6} maxLength={5000} showCount value={editing} onChange={(e) => setEditing(e.target.value)} placeholder={t(m.remarksPlaceholder)} data-testid="remarks-input" />
            <Space style={{ marginTop: 8 }}>
              <Button type="primary" loading={update.isPending} onClick={saveRemarks} data-testid="remarks-save">
                {t(common.save)}
              </Button>
              <Button onClick={() => setEditing(null)}>{t(common.cancel)}</Button>
            </Space>
          </div>
        ) : null}
        <p className={`plan-remarks${editing !== null ? ' plan-print-only' : ''}`} data-testid="bulletin-remarks">
          {b.remarks ?? t(m.noRemarks)}
        </p>

        <div className="plan-paper-sign">
          <div>{t(m.orgOf, { unit: b.unitName })}</div>
          <div>{formatDate(b.createdAt, lang)}</div>
        </div>
      </article>
      {update.isError && <Alert type="error" showIcon title={update.error.message} className="plan-no-print" />}
    </Space>
  );
}
