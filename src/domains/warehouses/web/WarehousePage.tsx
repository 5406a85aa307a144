import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Space, Table, Tabs, Tag } from 'antd';
import type { Batch } from '../warehouses.contract.ts';
import { sourceLabels } from '../warehouses.contract.ts';
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
import { itemText, todayShanghai, yuan } from './warehouses.shared.tsx';

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
  if (!w.data) return <QueryFallback q={w} back={{ to: '/warehouses', label: t(m.backToWarehouses) }} />;
  const wh = w.data;
  const startStocktake = () =>
    post.mutate(
      { path: '/api/warehouses/stocktakes', body: { warehouseId: wh.id, occurredOn: todayShanghai() }, key: newIdempotencyKey() },
      { onSuccess: (d) => { void message.success(t(m.stocktakeCreated, { number: d.number })); void navigate(`/warehouses/documents/${d.id}`); }, onError: (e) => report(e) },
    );
  const writable = can('warehouses.write') && wh.status === 'active';
  const admin = can('warehouses.admin');
  const a = alerts.data;
  const levelLines = a
    ? [
        ...a.belowMin.map((x) => t(m.levelBelowMin, { item: itemText(t, { name: x.itemName, spec: x.spec }), onHand: x.onHand, min: x.minQty, unit: x.unit })),
        ...a.aboveMax.map((x) => t(m.levelAboveMax, { item: itemText(t, { name: x.itemName, spec: x.spec }), onHand: x.onHand, max: x.maxQty, unit: x.unit })),
      ]
    : [];
  const sourceOf = (s: string) => (s in sourceLabels ? t(sourceLabels[s as keyof typeof sourceLabels]) : s);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={`${wh.unitName} · ${wh.name}`}
        extra={(writable || admin) && (
          <Space wrap>
            {writable && (
              <>
                <Button type="primary" onClick={() => setDrawer('receive')} data-testid="action-receive">{t(m.receive)}</Button>
                <Button onClick={() => setDrawer('issue')} data-testid="action-issue">{t(m.issue)}</Button>
                <Button onClick={() => setDrawer('transfer')} data-testid="action-transfer">{t(m.transfer)}</Button>
                <Button onClick={() => setDrawer('write_off')} data-testid="action-write-off">{t(m.writeOff)}</Button>
                <Button onClick={startStocktake} loading={post.isPending} data-testid="action-stocktake">{t(m.stocktake)}</Button>
              </>
            )}
            {admin && <Button onClick={() => setAdminDrawer('edit')} data-testid="action-edit">{t(m.editWarehouse)}</Button>}
            {admin && <Button onClick={() => setAdminDrawer('location')} data-testid="action-location">{t(m.newLocation)}</Button>}
            {admin && <Button onClick={() => setAdminDrawer('level')} data-testid="action-level">{t(m.stockLevels)}</Button>}
          </Space>
        )}
      >
        <Descriptions size="small" column={3} items={[
          { key: 'code', label: t(m.code), children: wh.code },
          { key: 'address', label: t(m.address), children: wh.address },
          { key: 'manager', label: t(m.manager), children: `${wh.managerName ?? '—'} ${wh.managerPhone ?? ''}` },
          { key: 'grade', label: t(m.grade), children: wh.gradeName ? t(m.gradeWithChecks, { grade: wh.gradeName, met: wh.gradeChecks.length, total: wh.gradeCriteria.length }) : t(m.notGraded) },
          { key: 'value', label: t(m.stockValue), children: t(m.yuanAmount, { amount: yuan(wh.stockValueFen) }) },
          { key: 'bins', label: t(m.bins), children: <span data-testid="bins">{wh.locations.filter((l) => l.active).map((l) => (l.name ? t(m.withNote, { main: l.code, note: l.name }) : l.code)).join(t(m.enumSep)) || '—'}</span> },
          ...(wh.gradeId ? [{ key: 'checks', label: t(m.gradeChecksShown), span: 3, children: <span data-testid="grade-checks-shown">{wh.gradeChecks.join(t(m.listSep)) || '—'}</span> }] : []),
        ]} />
        {wh.status === 'closed' && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t(m.warehouseClosed)} />}
        {levelLines.length > 0 && (
          <Alert type="warning" showIcon style={{ marginTop: 12 }} data-testid="level-alerts" title={t(m.levelAlerts)} description={<ul style={{ margin: 0 }}>{levelLines.map((l) => <li key={l}>{l}</li>)}</ul>} />
        )}
      </Card>
      <Card>
        <Tabs items={[
          { key: 'stock', label: t(m.tabBatches), children: (
            <Table<Batch> rowKey="id" size="small" loading={batches.isPending} dataSource={batches.data ?? []} pagination={{ pageSize: 50 }} data-testid="batches" columns={[
              { title: t(m.item), render: (_, b) => itemText(t, { name: b.itemName, spec: b.spec }) },
              { title: t(m.batch), dataIndex: 'batchNo' },
              { title: t(m.bin), dataIndex: 'locationCode' },
              { title: t(m.source), dataIndex: 'sourceType', render: (s: string) => sourceOf(s) },
              { title: t(m.onHand), align: 'right', render: (_, b) => `${b.onHand} ${b.unit}` },
              { title: t(m.unitPrice), align: 'right', render: (_, b) => yuan(b.unitValueFen) },
              { title: t(m.expiry), dataIndex: 'expiryDate', render: (d: string | null, b) => (d ? <span>{d} {b.expired && <Tag color="red">{t(m.expiredTag)}</Tag>}</span> : '—') },
              { title: '', render: (_, b) => <Link to={`/warehouses/${wh.id}/card/${b.itemId}`}>{t(m.stockCardLink)}</Link> },
            ]} />
          ) },
          { key: 'docs', label: t(m.tabDocuments), children: <DocumentsTable warehouseId={wh.id} /> },
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
