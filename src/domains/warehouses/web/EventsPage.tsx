import { useState } from 'react';
import { App, Button, Card, DatePicker, Drawer, Form, Input, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { EVENT_KINDS, eventKindLabels } from '../warehouses.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useEvents, usePost, type DisasterEvent } from './warehouses.api.ts';

type NewEvent = { name?: string; kind?: string; occurredOn?: Dayjs; area?: string; note?: string };

export function EventsPage() {
  const can = useHasPermission();
  const events = useEvents();
  const post = usePost<DisasterEvent>();
  const report = useReportError();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewEvent>();
  const submit = (v: NewEvent) => post.mutate({ path: '/api/warehouses/events', body: { name: v.name, kind: v.kind, occurredOn: (v.occurredOn ?? dayjs()).format('YYYY-MM-DD'), area: v.area, note: v.note || null } }, { onSuccess: () => { void message.success('已登记灾害事件'); setOpen(false); }, onError: (e) => report(e, form) });
  return (
    <Card title="灾害事件" extra={can('warehouses.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="new-event">登记灾害事件</Button>}>
      <Table<DisasterEvent> rowKey="id" loading={events.isPending} dataSource={events.data ?? []} pagination={false} columns={[
        { title: '事件', dataIndex: 'name' }, { title: '类型', dataIndex: 'kind', render: (k: DisasterEvent['kind']) => eventKindLabels[k].zh }, { title: '发生日期', dataIndex: 'occurredOn' },
        { title: '受灾区域', dataIndex: 'area' }, { title: '单位', dataIndex: 'unitName' }, { title: '出库单', dataIndex: 'issuedDocuments' }, { title: '受助户数', dataIndex: 'recipients' },
      ]} />
      <Drawer open={open} size={520} title="登记灾害事件" onClose={() => setOpen(false)} destroyOnHidden footer={<Space style={{ float: 'right' }}><Button onClick={() => setOpen(false)}>取消</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-event">保存</Button></Space>}>
        <Form<NewEvent> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'flood', occurredOn: dayjs() }}>
          <Form.Item name="name" label="事件名称" rules={[{ required: true, message: '请填写事件名称' }]}><Input maxLength={60} data-testid="event-name" /></Form.Item>
          <Form.Item name="kind" label="灾害类型" rules={[{ required: true }]}><Select options={EVENT_KINDS.map((k) => ({ value: k, label: eventKindLabels[k].zh }))} /></Form.Item>
          <Form.Item name="occurredOn" label="发生日期" rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="area" label="受灾区域" rules={[{ required: true, message: '请填写受灾区域' }]}><Input maxLength={200} data-testid="event-area" /></Form.Item>
          <Form.Item name="note" label="说明"><Input.TextArea maxLength={1000} /></Form.Item>
        </Form>
      </Drawer>
    </Card>
  );
}
