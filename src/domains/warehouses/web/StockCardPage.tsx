import { useParams } from 'react-router';
import { Button, Card, Descriptions, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { movementKindLabels, writeOffReasonLabels, type StockCard } from '../warehouses.contract.ts';
import { download } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { useStockCard } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { itemText } from './warehouses.shared.tsx';

type CardRow = StockCard['rows'][number];
const movementText = (t: Translate, r: CardRow) => {
  const label = movementKindLabels[r.movementKind];
  return label ? t(label) : r.movement;
};
/** A party is data and stays as it is; a write-off reason, a stocktake and a reversal are words of the UI language. */
const counterpartyText = (t: Translate, r: CardRow) => {
  if (r.counterpartyKind === 'write_off_reason' && r.counterpartyCode && r.counterpartyCode in writeOffReasonLabels) return t(writeOffReasonLabels[r.counterpartyCode as keyof typeof writeOffReasonLabels]);
  if (r.counterpartyKind === 'stocktake') return t(m.cardStocktake);
  if (r.counterpartyKind === 'reversal') return t(m.cardReversal, { number: r.counterpartyCode ?? '' });
  return r.counterparty ?? '';
};

/** 收发存: every movement of one item in one warehouse with the running balance. */
export function StockCardPage() {
  const { id = '', itemId = '' } = useParams();
  const q = useStockCard(id, itemId);
  const report = useReportError();
  const { t } = useI18n();
  if (!q.data) return <QueryFallback q={q} back={{ to: `/warehouses/${id}`, label: t(m.backToWarehouse) }} />;
  const c = q.data;
  return (
    <Card title={t(m.stockCardTitle, { item: itemText(t, c.item), warehouse: c.warehouseName })}
      extra={<Button icon={<DownloadOutlined />} onClick={() => download(`/api/warehouses/${id}/stock-card.xlsx`, { itemId }, t(m.stockCardFile)).catch(report)}>{t(m.exportXlsx)}</Button>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" column={5} items={[
          { key: 'o', label: t(m.opening), children: c.opening }, { key: 'i', label: t(m.totalIn), children: c.totalIn }, { key: 'out', label: t(m.totalOut), children: c.totalOut },
          { key: 'c', label: t(m.closing), children: <span data-testid="card-closing">{c.closing} {c.item.unit}</span> }, { key: 't', label: t(m.inTransitOut), children: c.inTransitOut },
        ]} />
        <Table rowKey={(r, i) => `${r.documentId}-${i}`} size="small" pagination={false} dataSource={c.rows} data-testid="stock-card" columns={[
          { title: t(m.date), dataIndex: 'date' },
          { title: t(m.number), dataIndex: 'number', render: (v: string, r) => <Link to={`/warehouses/documents/${r.documentId}`}>{v}</Link> },
          { title: t(m.movement), dataIndex: 'movement', render: (_: string, r) => movementText(t, r) },
          { title: t(m.counterparty), dataIndex: 'counterparty', render: (_: string | null, r) => counterpartyText(t, r) },
          { title: t(m.batch), dataIndex: 'batchNo' },
          { title: t(m.totalIn), dataIndex: 'in', align: 'right', render: (v: number) => v || '' },
          { title: t(m.totalOut), dataIndex: 'out', align: 'right', render: (v: number) => v || '' },
          { title: t(m.closing), dataIndex: 'balance', align: 'right' },
        ]} />
      </Space>
    </Card>
  );
}
