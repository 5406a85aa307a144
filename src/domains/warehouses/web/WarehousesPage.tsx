import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Collapse, DatePicker, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { AlertSummary, Warehouse } from '../warehouses.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useAlerts, useGrades, usePost, useWarehouses } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { itemText, yuan } from './warehouses.shared.tsx';

type NewWarehouse = { code?: string; name?: string; address?: string; gradeId?: string; gradeChecks?: string[]; managerName?: string; managerPhone?: string; openedOn?: Dayjs };

/** The alert summary's one line, in the UI language, from its counts (the same rule as the server's headline). */
function alertHeadline(t: Translate, a: AlertSummary) {
  const parts = [
    a.counts.expired ? t(m.alertsExpired, { count: a.counts.expired }) : '',
    a.counts.nearExpiry ? t(m.alertsNearExpiry, { count: a.counts.nearExpiry, days: a.days }) : '',
    a.counts.belowMin ? t(m.alertsBelowMin, { count: a.counts.belowMin }) : '',
    a.counts.aboveMax ? t(m.alertsAboveMax, { count: a.counts.aboveMax }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join(t(m.clauseSep)) : t(m.alertsNone);
}

function CreateDrawer({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Warehouse>();
  const grades = useGrades();
  const [form] = Form.useForm<NewWarehouse>();
  const gradeId = Form.useWatch('gradeId', form);
  const criteria = grades.data?.find((g) => g.id === gradeId)?.criteria ?? [];
  const submit = (v: NewWarehouse) =>
    post.mutate(
      { path: '/api/warehouses', body: { code: v.code, name: v.name, address: v.address, gradeId: v.gradeId ?? null, gradeChecks: v.gradeChecks ?? [], managerName: v.managerName || null, managerPhone: v.managerPhone || null, openedOn: (v.openedOn ?? dayjs()).format('YYYY-MM-DD') } },
      { onSuccess: (w) => { void message.success(t(m.warehouseCreated, { name: w.name })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title={t(m.newWarehouse)} onClose={onClose} destroyOnHidden footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t(common.cancel)}</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()}>{t(common.save)}</Button></Space>}>
      <Form<NewWarehouse> form={form} layout="vertical" onFinish={submit} initialValues={{ openedOn: dayjs() }}>
        <Form.Item name="code" label={t(m.warehouseCode)} rules={[{ required: true, message: t(m.warehouseCodeRequired) }]}><Input maxLength={40} /></Form.Item>
        <Form.Item name="name" label={t(m.warehouseName)} rules={[{ required: true, message: t(m.warehouseNameRequired) }]}><Input maxLength={60} /></Form.Item>
        <Form.Item name="address" label={t(m.address)} rules={[{ required: true, message: t(m.addressRequired) }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="managerName" label={t(m.manager)}><Input maxLength={40} /></Form.Item>
        <Form.Item name="managerPhone" label={t(m.phone)}><Input maxLength={40} /></Form.Item>
        <Form.Item name="gradeId" label={t(m.grade)}><Select allowClear options={(grades.data ?? []).map((g) => ({ value: g.id, label: g.name }))} /></Form.Item>
        {criteria.length > 0 && <Form.Item name="gradeChecks" label={t(m.criteriaMet)}><Select mode="multiple" options={criteria.map((c) => ({ value: c, label: c }))} /></Form.Item>}
        <Form.Item name="openedOn" label={t(m.openedOn)} rules={[{ required: true }]}><DatePicker /></Form.Item>
      </Form>
    </Drawer>
  );
}

/** Warehouses in the jurisdiction, with the one alert summary above them. */
export function WarehousesPage() {
  const can = useHasPermission();
  const { t } = useI18n();
  const list = useWarehouses();
  const alerts = useAlerts();
  const [creating, setCreating] = useState(false);
  const a = alerts.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {a && (
        <Alert
          type={a.counts.expired + a.counts.belowMin > 0 ? 'warning' : 'success'}
          showIcon
          data-testid="stock-alerts"
          title={t(m.stockAlerts, { headline: alertHeadline(t, a) })}
          description={a.counts.expired + a.counts.nearExpiry + a.counts.belowMin + a.counts.aboveMax > 0 && (
            <Collapse ghost size="small" items={[{ key: 'd', label: t(m.alertsDetails), children: (
              <ul style={{ margin: 0 }}>
                {a.expired.map((x) => <li key={x.batchId}>{t(m.alertExpired, { warehouse: x.warehouseName, item: itemText(t, { name: x.itemName, spec: x.spec }), batch: x.batchNo, qty: x.onHand, unit: x.unit, expiry: x.expiryDate })}</li>)}
                {a.nearExpiry.map((x) => <li key={x.batchId}>{t(m.alertNearExpiry, { days: x.daysLeft, warehouse: x.warehouseName, item: itemText(t, { name: x.itemName, spec: x.spec }), qty: x.onHand, unit: x.unit })}</li>)}
                {a.belowMin.map((x, i) => <li key={`b${i}`}>{t(m.alertBelowMin, { warehouse: x.warehouseName, item: itemText(t, { name: x.itemName, spec: x.spec }), onHand: x.onHand, min: x.minQty, unit: x.unit })}</li>)}
                {a.aboveMax.map((x, i) => <li key={`a${i}`}>{t(m.alertAboveMax, { warehouse: x.warehouseName, item: itemText(t, { name: x.itemName, spec: x.spec }), onHand: x.onHand, max: x.maxQty, unit: x.unit })}</li>)}
              </ul>
            ) }]} />
          )}
        />
      )}
      <Card title={t(m.warehouseList)} extra={<Space>{can('warehouses.admin') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-warehouse">{t(m.newWarehouse)}</Button>}<Link to="/warehouses/summary">{t(m.menuSummary)}</Link><Link to="/warehouses/catalogue">{t(m.menuCatalogue)}</Link><Link to="/warehouses/events">{t(m.menuEvents)}</Link><Link to="/warehouses/documents">{t(m.allDocuments)}</Link></Space>}>
        <Table<Warehouse>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data ?? []}
          pagination={false}
          columns={[
            { title: t(m.orgUnit), dataIndex: 'unitName' },
            { title: t(m.warehouse), dataIndex: 'name', render: (v: string, w) => <Link to={`/warehouses/${w.id}`}>{v}</Link> },
            { title: t(m.code), dataIndex: 'code' },
            { title: t(m.grade), dataIndex: 'gradeName', render: (v: string | null, w) => (v ? t(m.gradeWithChecks, { grade: v, met: w.gradeChecks.length, total: w.gradeCriteria.length }) : t(m.notGraded)) },
            { title: t(m.manager), dataIndex: 'managerName' },
            { title: t(m.binsCount), render: (_, w) => w.locations.length },
            { title: t(m.stockValueYuan), dataIndex: 'stockValueFen', align: 'right', render: (v: number) => yuan(v) },
            { title: t(m.status), dataIndex: 'status', render: (s: string) => (s === 'active' ? <Tag color="green">{t(m.statusActive)}</Tag> : <Tag>{t(m.statusClosed)}</Tag>) },
          ]}
        />
      </Card>
      {creating && <CreateDrawer onClose={() => setCreating(false)} />}
    </Space>
  );
}
