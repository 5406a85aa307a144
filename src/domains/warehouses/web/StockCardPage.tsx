import { useParams } from 'react-router';
import { Button, Card, Descriptions, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { download } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { useStockCard } from './warehouses.api.ts';

/** 收发存: every movement of one item in one warehouse with the running balance. */
export function StockCardPage() {
  const { id = '', itemId = '' } = useParams();
  const q = useStockCard(id, itemId);
  const report = useReportError();
  if (!q.data) return <QueryFallback q={q} back={{ to: `/warehouses/${id}`, label: '返回仓库' }} />;
  const c = q.data;
  return (
    <Card title={`收发存卡片：${c.item.name}${c.item.spec ? `（${c.item.spec}）` : ''} · ${c.warehouseName}`}
      extra={<Button icon={<DownloadOutlined />} onClick={() => download(`/api/warehouses/${id}/stock-card.xlsx`, { itemId }, '收发存.xlsx').catch(report)}>导出 Excel</Button>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" column={5} items={[
          { key: 'o', label: '期初', children: c.opening }, { key: 'i', label: '收入', children: c.totalIn }, { key: 'out', label: '发出', children: c.totalOut },
          { key: 'c', label: '结存', children: <span data-testid="card-closing">{c.closing} {c.item.unit}</span> }, { key: 't', label: '调出在途', children: c.inTransitOut },
        ]} />
        <Table rowKey={(r, i) => `${r.documentId}-${i}`} size="small" pagination={false} dataSource={c.rows} data-testid="stock-card" columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '单据号', dataIndex: 'number', render: (v: string, r) => <Link to={`/warehouses/documents/${r.documentId}`}>{v}</Link> },
          { title: '摘要', dataIndex: 'movement' },
          { title: '对方', dataIndex: 'counterparty' },
          { title: '批次', dataIndex: 'batchNo' },
          { title: '收入', dataIndex: 'in', align: 'right', render: (v: number) => v || '' },
          { title: '发出', dataIndex: 'out', align: 'right', render: (v: number) => v || '' },
          { title: '结存', dataIndex: 'balance', align: 'right' },
        ]} />
      </Space>
    </Card>
  );
}
