import { useState } from 'react';
import { Button, Card, Col, Row, Select, Space, Statistic, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { categoryLabels, ITEM_CATEGORIES, type ItemCategory } from '../warehouses.contract.ts';
import { download } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { useSummary, useWarehouses } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { itemText, yuan } from './warehouses.shared.tsx';

/** Stock by unit, category and warehouse; item rows when a warehouse or a category is chosen. */
export function SummaryPage() {
  const { t } = useI18n();
  const [warehouseId, setWarehouseId] = useState<string | undefined>();
  const [category, setCategory] = useState<ItemCategory | undefined>();
  const q = useSummary({ warehouseId, category });
  const warehouses = useWarehouses();
  const report = useReportError();
  const s = q.data;
  const valueColumn = { title: t(m.valueYuan), dataIndex: 'valueFen', align: 'right' as const, render: (v: number) => yuan(v) };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t(m.menuSummary)} extra={<Space>
        <Select allowClear placeholder={t(m.warehouse)} style={{ width: 220 }} value={warehouseId} onChange={setWarehouseId} options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.unitName} · ${w.name}` }))} />
        <Select allowClear placeholder={t(m.category)} style={{ width: 140 }} value={category} onChange={setCategory} options={ITEM_CATEGORIES.map((c) => ({ value: c, label: t(categoryLabels[c]) }))} />
        <Button icon={<DownloadOutlined />} onClick={() => download('/api/warehouses/stock/summary.xlsx', { warehouseId, category }, t(m.summaryFile)).catch(report)}>{t(m.exportXlsx)}</Button>
      </Space>}>
        <Statistic title={t(m.totalValue)} value={s ? yuan(s.totalValueFen) : '—'} />
      </Card>
      <Row gutter={16}>
        <Col span={8}><Card title={t(m.byUnit)} size="small"><Table size="small" rowKey="unitId" pagination={false} dataSource={s?.byUnit ?? []} columns={[{ title: t(m.orgUnit), dataIndex: 'unitName' }, { title: t(m.warehouses), dataIndex: 'warehouses' }, valueColumn]} /></Card></Col>
        <Col span={8}><Card title={t(m.byCategory)} size="small"><Table size="small" rowKey="category" pagination={false} dataSource={s?.byCategory ?? []} columns={[{ title: t(m.category), dataIndex: 'category', render: (c: ItemCategory) => t(categoryLabels[c]) }, { title: t(m.stockLines), dataIndex: 'items' }, valueColumn]} /></Card></Col>
        <Col span={8}><Card title={t(m.byWarehouse)} size="small"><Table size="small" rowKey="warehouseId" pagination={false} dataSource={s?.byWarehouse ?? []} columns={[{ title: t(m.warehouse), dataIndex: 'warehouseName' }, { title: t(m.itemCount), dataIndex: 'items' }, valueColumn]} /></Card></Col>
      </Row>
      {s && s.rows.length > 0 && (
        <Card title={t(m.itemRows)} size="small">
          <Table size="small" rowKey={(r) => `${r.warehouseId}-${r.itemId}`} dataSource={s.rows} pagination={{ pageSize: 100 }} columns={[
            { title: t(m.warehouse), dataIndex: 'warehouseName' }, { title: t(m.item), render: (_, r) => itemText(t, { name: r.itemName, spec: r.spec }) }, { title: t(m.category), dataIndex: 'category', render: (c: ItemCategory) => t(categoryLabels[c]) },
            { title: t(m.onHand), align: 'right', render: (_, r) => `${r.onHand} ${r.unit}` }, { title: t(m.inTransit), dataIndex: 'inTransit', align: 'right' }, { title: t(m.minMax), render: (_, r) => `${r.minQty ?? '—'} / ${r.maxQty ?? '—'}` },
            { title: t(m.nearestExpiry), dataIndex: 'nearestExpiry' }, valueColumn,
          ]} />
        </Card>
      )}
    </Space>
  );
}
