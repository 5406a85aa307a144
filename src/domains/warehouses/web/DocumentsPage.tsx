import { Link } from 'react-router';
import { Card, Table, Tag } from 'antd';
import type { DocumentSummary } from '../warehouses.contract.ts';
import { docKindLabels, writeOffReasonLabels } from '../warehouses.contract.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { useDocuments } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { StatusTag, yuan } from './warehouses.shared.tsx';

export function DocumentsTable({ warehouseId }: { warehouseId?: string }) {
  const { t } = useI18n();
  const docs = useDocuments({ warehouseId });
  return (
    <Table<DocumentSummary> rowKey="id" size="small" loading={docs.isPending} dataSource={docs.data ?? []} pagination={{ pageSize: 50 }} data-testid="documents" columns={[
      { title: t(m.number), dataIndex: 'number', render: (v: string, d) => <Link to={`/warehouses/documents/${d.id}`}>{v}</Link> },
      { title: t(m.docType), dataIndex: 'kind', render: (k: DocumentSummary['kind'], d) => <>{t(docKindLabels[k])}{d.isReversal && <Tag color="red">{t(m.reversalTag)}</Tag>}{d.reversed && <Tag>{t(m.reversedTag)}</Tag>}</> },
      { title: t(m.date), dataIndex: 'occurredOn' },
      { title: t(m.warehouse), dataIndex: 'warehouseName' },
      { title: t(m.destinationOrReason), render: (_, d) => d.toWarehouseName ?? d.toName ?? (d.reason ? t(writeOffReasonLabels[d.reason]) : '') },
      { title: t(m.status), dataIndex: 'status', render: (s: DocumentSummary['status']) => <StatusTag status={s} /> },
      { title: t(m.lineCount), dataIndex: 'lineCount' },
      { title: t(m.valueYuan), dataIndex: 'totalValueFen', align: 'right', render: (v: number) => yuan(v) },
      { title: t(m.createdBy), dataIndex: 'createdByName' },
    ]} />
  );
}

export function DocumentsPage() {
  const { t } = useI18n();
  return (
    <Card title={t(m.menuDocuments)}>
      <DocumentsTable />
    </Card>
  );
}
