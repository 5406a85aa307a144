import { Link } from 'react-router';
import { Table, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { GoodsLine, Trace } from '../donations.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { donationsMessages as m } from './donations.messages.ts';
import { Money } from './donations.shared.tsx';

const qty = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 3 });

/** The goods of a gift as the donor gave them: item with its specification, quantity, value. */
export function GoodsTable({ goods, documentId }: { goods: GoodsLine[]; documentId?: string | null }) {
  const { t } = useI18n();
  const columns: TableColumnsType<GoodsLine> = [
    { title: t(m.goodsItem), key: 'item', render: (_, l) => `${l.itemName}（${l.spec || '—'}）` },
    { title: t(m.goodsQuantity), key: 'quantity', align: 'right', width: 120, render: (_, l) => `${qty(l.quantity)} ${l.unit}` },
    { title: t(m.goodsUnitValue), key: 'unit', align: 'right', width: 120, render: (_, l) => <Money fen={l.unitValueFen} /> },
    { title: t(m.goodsValue), key: 'value', align: 'right', width: 140, render: (_, l) => <Money fen={l.valueFen} /> },
    { title: t(m.goodsExpiry), key: 'expiry', width: 120, render: (_, l) => l.expiryDate ?? '—' },
  ];
  return (
    <>
      <Table<GoodsLine> rowKey="id" size="small" columns={columns} dataSource={goods} pagination={false} scroll={{ x: 640 }} data-testid="donation-goods" />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t(m.goodsDocument)}：{documentId ? <Link to={`/warehouses/documents/${documentId}`}>{t(m.goodsDocumentOpen)}</Link> : t(m.goodsNotReceived)}
      </Typography.Paragraph>
    </>
  );
}

const STEP: Record<NonNullable<Trace['goodsTrace']>['steps'][number]['kind'], { label: Text; color: string }> = {
  received: { label: m.goodsStepReceived, color: 'green' },
  transfer: { label: m.goodsStepTransfer, color: 'blue' },
  issued: { label: m.goodsStepIssued, color: 'red' },
  written_off: { label: m.goodsStepWrittenOff, color: 'gray' },
  adjusted: { label: m.goodsStepAdjusted, color: 'orange' },
  reversed: { label: m.goodsStepReversed, color: 'gray' },
};

/** Where the goods went: received, transferred, issued to (masked) recipients, written off. */
export function GoodsTraceTimeline({ trace }: { trace: NonNullable<Trace['goodsTrace']> }) {
  const { t } = useI18n();
  return (
    <>
      <Typography.Paragraph data-testid="goods-trace-summary">
        {t(m.goodsTraceSummary, { received: qty(trace.received), onHand: qty(trace.onHand), inTransit: qty(trace.inTransit), issued: qty(trace.issued), writtenOff: qty(trace.writtenOff) })}
      </Typography.Paragraph>
      <Timeline
        data-testid="goods-trace"
        items={trace.steps.map((s, i) => ({
          key: `${s.documentId}-${i}`,
          color: STEP[s.kind].color,
          content: (
            <div>
              <Tag color={STEP[s.kind].color}>{t(STEP[s.kind].label)}</Tag>
              <span>
                {s.date} · {s.itemName} {qty(s.quantity)} {s.unit} · {s.warehouseName}
                {s.to && s.to !== s.warehouseName ? ` → ${s.to}` : ''}
              </span>
              <Typography.Text type="secondary" className="boai-mono" style={{ marginLeft: 8 }}>
                {s.number}
              </Typography.Text>
              {s.recipients.length > 0 && (
                <div>
                  <Typography.Text type="secondary">{t(m.goodsRecipients, { list: s.recipients.map((r) => `${r.name} ${qty(r.quantity)}`).join('，') })}</Typography.Text>
                </div>
              )}
            </div>
          ),
        }))}
      />
    </>
  );
}
