import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tabs, Tag } from 'antd';
import type { Batch } from '../warehouses.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { StockDrawer, type DrawerKind } from './WarehouseDrawers.tsx';
import { DocumentsTable } from './DocumentsPage.tsx';
import { BinsTable, EditWarehouseDrawer, LevelDrawer, LevelsTable, LocationDrawer } from './WarehouseAdmin.tsx';
import { useBatches, usePost, useWarehouse, useWarehouseAlerts } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { todayShanghai, yuan } from './warehouses.shared.tsx';

/** One warehouse: its batches, its documents, and the postings (入库 出库 调拨 报损 盘点). */
export function WarehousePage() {
  const { id = '' } = useParams();
  const can = useHasPermission();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useReportError();
  const { t } = useI18n();
  const w = useWarehouse(id);
  const batches = useBatches(id);
  const post = usePost<{ id: string; number: string }>();
  const [drawer, setDrawer] = useState<DrawerKind | null>(null);
  const [adminDrawer, setAdminDrawer] = useState<'edit' | 'location' | 'level' | null>(null);
  const alerts = useWarehouseAlerts(id);
  if (!w.data) return <QueryFallback q={w} back={{ to: '/warehouses', label: '返回仓库列表' }} />;
  const wh = w.data;
  const startStocktake = () =>
    post.mutate(
      { path: '/api/warehouses/stocktakes', body: { warehouseId: wh.id, occurredOn: todayShanghai() }, key: newIdempotencyKey() },
      { onSuccess: (d) => { void message.success(`已生成盘点表：${d.number}`); void navigate(`/warehouses/documents/${d.id}`); }, onError: (e) => report(e) },
    );
  const writable = can('warehouses.write') && wh.status === 'active';
  const admin = can('warehouses.admin');
  const a = alerts.data;
  const levelLines = a ? [...a.belowMin.map((x) => `低于最低库存：${x.itemName}${x.spec ? `（${x.spec}）` : ''} 结存 ${x.onHand} / 最低 ${x.minQty}${x.unit}`), ...a.aboveMax.map((x) => `超过最高库存：${x.itemName}${x.spec ? `（${x.spec}）` : ''} 结存 ${x.onHand} / 最高 ${x.maxQty}${x.unit}`)] : [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={`${wh.unitName} · ${wh.name}`}
        extra={(writable || admin) && (
          <Space wrap>
            {writable && (
              <>
                <Button type="primary" onClick={() => setDrawer('receive')} data-testid="action-receive">入库</Button>
                <Button onClick={() => setDrawer('issue')} data-testid="action-issue">出库</Button>
                <Button onClick={() => setDrawer('transfer')} data-testid="action-transfer">调拨</Button>
                <Button onClick={() => setDrawer('write_off')} data-testid="action-write-off">报损</Button>
                <Button onClick={startStocktake} loading={post.isPending} data-testid="action-stocktake">盘点</Button>
              </>
            )}
            {admin && <Button onClick={() => setAdminDrawer('edit')} data-testid="action-edit">{t(m.editWarehouse)}</Button>}
            {admin && <Button onClick={() => setAdminDrawer('location')} data-testid="action-location">{t(m.newLocation)}</Button>}
            {admin && <Button onClick={() => setAdminDrawer('level')} data-testid="action-level">{t(m.stockLevels)}</Button>}
          </Space>
        )}
      >
        <Descriptions size="small" column={3} items={[
          { key: 'code', label: '编码', children: wh.code },
          { key: 'address', label: '地址', children: wh.address },
          { key: 'manager', label: '负责人', children: `${wh.managerName ?? '—'} ${wh.managerPhone ?? ''}` },
          { key: 'grade', label: '等级', children: wh.gradeName ? `${wh.gradeName}（达标 ${wh.gradeChecks.length}/${wh.gradeCriteria.length}）` : '未评定' },
          { key: 'value', label: '库存金额', children: `${yuan(wh.stockValueFen)} 元` },
          { key: 'bins', label: '库位', children: <span data-testid="bins">{wh.locations.filter((l) => l.active).map((l) => (l.name ? `${l.code}（${l.name}）` : l.code)).join('、') || '—'}</span> },
          ...(wh.gradeId ? [{ key: 'checks', label: '已达标准', span: 3, children: <span data-testid="grade-checks-shown">{wh.gradeChecks.join('；') || '—'}</span> }] : []),
        ]} />
        {wh.status === 'closed' && <Alert type="info" showIcon style={{ marginTop: 12 }} title="仓库已停用：不能办理出入库。管理员可在“编辑仓库”中重新启用。" />}
        {levelLines.length > 0 && (
          <Alert type="warning" showIcon style={{ marginTop: 12 }} data-testid="level-alerts" title="库存上下限预警" description={<ul style={{ margin: 0 }}>{levelLines.map((l) => <li key={l}>{l}</li>)}</ul>} />
        )}
      </Card>
      <Card>
        <Tabs items={[
          { key: 'stock', label: '批次库存', children: (
            <Table<Batch> rowKey="id" size="small" loading={batches.isPending} dataSource={batches.data ?? []} pagination={{ pageSize: 50 }} data-testid="batches" columns={[
              { title: '物资', render: (_, b) => `${b.itemName}${b.spec ? `（${b.spec}）` : ''}` },
              { title: '批次', dataIndex: 'batchNo' },
              { title: '库位', dataIndex: 'locationCode' },
              { title: '来源', dataIndex: 'sourceType', render: (s: string) => ({ donation: '捐赠', purchase: '采购', transfer: '调入', allocation: '上级调拨', stocktake: '盘盈' })[s] ?? s },
              { title: '结存', align: 'right', render: (_, b) => `${b.onHand} ${b.unit}` },
              { title: '单价（元）', align: 'right', render: (_, b) => yuan(b.unitValueFen) },
              { title: '有效期至', dataIndex: 'expiryDate', render: (d: string | null, b) => (d ? <span>{d} {b.expired && <Tag color="red">已过期</Tag>}</span> : '—') },
              { title: '', render: (_, b) => <Link to={`/warehouses/${wh.id}/card/${b.itemId}`}>收发存</Link> },
            ]} />
          ) },
          { key: 'docs', label: '单据', children: <DocumentsTable warehouseId={wh.id} /> },
          { key: 'levels', label: t(m.stockLevels), children: <LevelsTable warehouse={wh} /> },
          { key: 'bins', label: t(m.bins), children: <BinsTable warehouse={wh} admin={admin} /> },
        ]} />
      </Card>
      {drawer && <StockDrawer kind={drawer} warehouse={wh} onClose={() => setDrawer(null)} />}
      {adminDrawer === 'edit' && <EditWarehouseDrawer warehouse={wh} onClose={() => setAdminDrawer(null)} />}
      {adminDrawer === 'location' && <LocationDrawer warehouse={wh} onClose={() => setAdminDrawer(null)} />}
      {adminDrawer === 'level' && <LevelDrawer warehouse={wh} onClose={() => setAdminDrawer(null)} />}
    </Space>
  );
}
