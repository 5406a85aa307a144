import { useState } from 'react';
import { Button, Card, Col, Row, Select, Space, Statistic, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { categoryLabels, ITEM_CATEGORIES, type ItemCategory } from '../warehouses.contract.ts';
import { download } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useSummary, useWarehouses } from './warehouses.api.ts';
import { yuan } from './warehouses.shared.tsx';

/** Stock by unit, category and warehouse; item rows when a warehouse or a category is chosen. */
export function SummaryPage() {
  const [warehouseId, setWarehouseId] = useState<string | undefined>();
  const [category, setCategory] = useState<ItemCategory | undefined>();
  const q = useSummary({ warehouseId, category });
  const warehouses = useWarehouses();
  const report = useReportError();
  const s = q.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="库存汇总" extra={<Space>
        <Select allowClear placeholder="仓库" style={{ width: 220 }} value={warehouseId} onChange={setWarehouseId} options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.unitName} · ${w.name}` }))} />
        <Select allowClear placeholder="类别" style={{ width: 140 }} value={category} onChange={setCategory} options={ITEM_CATEGORIES.map((c) => ({ value: c, label: categoryLabels[c].zh }))} />
        <Button icon={<DownloadOutlined />} onClick={() => download('/api/warehouses/stock/summary.xlsx', { warehouseId, category }, '库存汇总.xlsx').catch(report)}>导出 Excel</Button>
      </Space>}>
        <Statistic title="库存总金额（元）" value={s ? yuan(s.totalValueFen) : '—'} />
      </Card>
      <Row gutter={16}>
        <Col span={8}><Card title="按单位" size="small"><Table size="small" rowKey="unitId" pagination={false} dataSource={s?.byUnit ?? []} columns={[{ title: '单位', dataIndex: 'unitName' }, { title: '仓库', dataIndex: 'warehouses' }, { title: '金额（元）', dataIndex: 'valueFen', align: 'right', render: (v: number) => yuan(v) }]} /></Card></Col>
        <Col span={8}><Card title="按类别" size="small"><Table size="small" rowKey="category" pagination={false} dataSource={s?.byCategory ?? []} columns={[{ title: '类别', dataIndex: 'category', render: (c: ItemCategory) => categoryLabels[c].zh }, { title: '库存品项（仓库×物资）', dataIndex: 'items' }, { title: '金额（元）', dataIndex: 'valueFen', align: 'right', render: (v: number) => yuan(v) }]} /></Card></Col>
        <Col span={8}><Card title="按仓库" size="small"><Table size="small" rowKey="warehouseId" pagination={false} dataSource={s?.byWarehouse ?? []} columns={[{ title: '仓库', dataIndex: 'warehouseName' }, { title: '品种', dataIndex: 'items' }, { title: '金额（元）', dataIndex: 'valueFen', align: 'right', render: (v: number) => yuan(v) }]} /></Card></Col>
      </Row>
      {s && s.rows.length > 0 && (
        <Card title="物资明细" size="small">
          <Table size="small" rowKey={(r) => `${r.warehouseId}-${r.itemId}`} dataSource={s.rows} pagination={{ pageSize: 100 }} columns={[
            { title: '仓库', dataIndex: 'warehouseName' }, { title: '物资', render: (_, r) => `${r.itemName}${r.spec ? `（${r.spec}）` : ''}` }, { title: '类别', dataIndex: 'category', render: (c: ItemCategory) => categoryLabels[c].zh },
            { title: '结存', align: 'right', render: (_, r) => `${r.onHand} ${r.unit}` }, { title: '在途', dataIndex: 'inTransit', align: 'right' }, { title: '最低/最高', render: (_, r) => `${r.minQty ?? '—'} / ${r.maxQty ?? '—'}` },
            { title: '最近有效期', dataIndex: 'nearestExpiry' }, { title: '金额（元）', dataIndex: 'valueFen', align: 'right', render: (v: number) => yuan(v) },
          ]} />
        </Card>
      )}
    </Space>
  );
}
