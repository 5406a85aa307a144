import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Collapse, DatePicker, Drawer, Form, Input, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { Warehouse } from '../warehouses.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useAlerts, useGrades, usePost, useWarehouses } from './warehouses.api.ts';
import { yuan } from './warehouses.shared.tsx';

type NewWarehouse = { code?: string; name?: string; address?: string; gradeId?: string; gradeChecks?: string[]; managerName?: string; managerPhone?: string; openedOn?: Dayjs };

function CreateDrawer({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const post = usePost<Warehouse>();
  const grades = useGrades();
  const [form] = Form.useForm<NewWarehouse>();
  const gradeId = Form.useWatch('gradeId', form);
  const criteria = grades.data?.find((g) => g.id === gradeId)?.criteria ?? [];
  const submit = (v: NewWarehouse) =>
    post.mutate(
      { path: '/api/warehouses', body: { code: v.code, name: v.name, address: v.address, gradeId: v.gradeId ?? null, gradeChecks: v.gradeChecks ?? [], managerName: v.managerName || null, managerPhone: v.managerPhone || null, openedOn: (v.openedOn ?? dayjs()).format('YYYY-MM-DD') } },
      { onSuccess: (w) => { void message.success(`已新建仓库：${w.name}`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title="新建仓库" onClose={onClose} destroyOnHidden footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>取消</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()}>保存</Button></Space>}>
      <Form<NewWarehouse> form={form} layout="vertical" onFinish={submit} initialValues={{ openedOn: dayjs() }}>
        <Form.Item name="code" label="仓库编码" rules={[{ required: true, message: '请填写仓库编码' }]}><Input maxLength={40} /></Form.Item>
        <Form.Item name="name" label="仓库名称" rules={[{ required: true, message: '请填写仓库名称' }]}><Input maxLength={60} /></Form.Item>
        <Form.Item name="address" label="地址" rules={[{ required: true, message: '请填写地址' }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="managerName" label="负责人"><Input maxLength={40} /></Form.Item>
        <Form.Item name="managerPhone" label="联系电话"><Input maxLength={40} /></Form.Item>
        <Form.Item name="gradeId" label="等级"><Select allowClear options={(grades.data ?? []).map((g) => ({ value: g.id, label: g.name }))} /></Form.Item>
        {criteria.length > 0 && <Form.Item name="gradeChecks" label="已达到的评定标准"><Select mode="multiple" options={criteria.map((c) => ({ value: c, label: c }))} /></Form.Item>}
        <Form.Item name="openedOn" label="启用日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
      </Form>
    </Drawer>
  );
}

/** Warehouses in the jurisdiction, with the one alert summary above them. */
export function WarehousesPage() {
  const can = useHasPermission();
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
          title={`库存预警：${a.headline}`}
          description={a.counts.expired + a.counts.nearExpiry + a.counts.belowMin + a.counts.aboveMax > 0 && (
            <Collapse ghost size="small" items={[{ key: 'd', label: '查看明细', children: (
              <ul style={{ margin: 0 }}>
                {a.expired.map((x) => <li key={x.batchId}>已过期：{x.warehouseName} · {x.itemName}{x.spec ? `（${x.spec}）` : ''} 批次 {x.batchNo} · {x.onHand}{x.unit} · 有效期 {x.expiryDate}</li>)}
                {a.nearExpiry.map((x) => <li key={x.batchId}>临期（{x.daysLeft} 天）：{x.warehouseName} · {x.itemName}{x.spec ? `（${x.spec}）` : ''} · {x.onHand}{x.unit}</li>)}
                {a.belowMin.map((x, i) => <li key={`b${i}`}>低于最低库存：{x.warehouseName} · {x.itemName}{x.spec ? `（${x.spec}）` : ''} 结存 {x.onHand} / 最低 {x.minQty}{x.unit}</li>)}
                {a.aboveMax.map((x, i) => <li key={`a${i}`}>超过最高库存：{x.warehouseName} · {x.itemName} 结存 {x.onHand} / 最高 {x.maxQty}{x.unit}</li>)}
              </ul>
            ) }]} />
          )}
        />
      )}
      <Card title="仓库" extra={<Space>{can('warehouses.admin') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-warehouse">新建仓库</Button>}<Link to="/warehouses/summary">库存汇总</Link><Link to="/warehouses/catalogue">物资目录与等级</Link><Link to="/warehouses/events">灾害事件</Link><Link to="/warehouses/documents">全部单据</Link></Space>}>
        <Table<Warehouse>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data ?? []}
          pagination={false}
          columns={[
            { title: '单位', dataIndex: 'unitName' },
            { title: '仓库', dataIndex: 'name', render: (v: string, w) => <Link to={`/warehouses/${w.id}`}>{v}</Link> },
            { title: '编码', dataIndex: 'code' },
            { title: '等级', dataIndex: 'gradeName', render: (v: string | null, w) => (v ? `${v}（达标 ${w.gradeChecks.length}/${w.gradeCriteria.length}）` : '未评定') },
            { title: '负责人', dataIndex: 'managerName' },
            { title: '库位', render: (_, w) => w.locations.length },
            { title: '库存金额（元）', dataIndex: 'stockValueFen', align: 'right', render: (v: number) => yuan(v) },
            { title: '状态', dataIndex: 'status', render: (s: string) => (s === 'active' ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
          ]}
        />
      </Card>
      {creating && <CreateDrawer onClose={() => setCreating(false)} />}
    </Space>
  );
}
