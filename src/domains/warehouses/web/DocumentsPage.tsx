import { Link } from 'react-router';
import { Card, Table, Tag } from 'antd';
import type { DocumentSummary } from '../warehouses.contract.ts';
import { docKindLabels, writeOffReasonLabels } from '../warehouses.contract.ts';
import { useDocuments } from './warehouses.api.ts';
import { StatusTag, yuan } from './warehouses.shared.tsx';

export function DocumentsTable({ warehouseId }: { warehouseId?: string }) {
  const docs = useDocuments({ warehouseId });
  return (
    <Table<DocumentSummary> rowKey="id" size="small" loading={docs.isPending} dataSource={docs.data ?? []} pagination={{ pageSize: 50 }} data-testid="documents" columns={[
      { title: '单据号', dataIndex: 'number', render: (v: string, d) => <Link to={`/warehouses/documents/${d.id}`}>{v}</Link> },
      { title: '类型', dataIndex: 'kind', render: (k: DocumentSummary['kind'], d) => <>{docKindLabels[k].zh}{d.isReversal && <Tag color="red">冲销</Tag>}{d.reversed && <Tag>已冲销</Tag>}</> },
      { title: '日期', dataIndex: 'occurredOn' },
      { title: '仓库', dataIndex: 'warehouseName' },
      { title: '去向 / 原因', render: (_, d) => d.toWarehouseName ?? d.toName ?? (d.reason ? writeOffReasonLabels[d.reason].zh : '') },
      { title: '状态', dataIndex: 'status', render: (s: DocumentSummary['status']) => <StatusTag status={s} /> },
      { title: '行数', dataIndex: 'lineCount' },
      { title: '金额（元）', dataIndex: 'totalValueFen', align: 'right', render: (v: number) => yuan(v) },
      { title: '制单人', dataIndex: 'createdByName' },
    ]} />
  );
}

export function DocumentsPage() {
  return (
    <Card title="出入库单据">
      <DocumentsTable />
    </Card>
  );
}
