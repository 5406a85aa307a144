import { useState } from 'react';
import { App, Button, Card, DatePicker, Drawer, Form, Input, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { EVENT_KINDS, eventKindLabels } from '../warehouses.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useEvents, usePost, type DisasterEvent } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';

type NewEvent = { name?: string; kind?: string; occurredOn?: Dayjs; area?: string; note?: string };

export function EventsPage() {
  const can = useHasPermission();
  const events = useEvents();
  const post = usePost<DisasterEvent>();
  const report = useReportError();
  const { message } = App.useApp();
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewEvent>();
  const submit = (v: NewEvent) => post.mutate({ path: '/api/warehouses/events', body: { name: v.name, kind: v.kind, occurredOn: (v.occurredOn ?? dayjs()).format('YYYY-MM-DD'), area: v.area, note: v.note || null } }, { onSuccess: () => { void message.success(t(m.eventRecorded)); setOpen(false); }, onError: (e) => report(e, form) });
  return (
    <Card title={t(m.menuEvents)} extra={can('warehouses.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="new-event">{t(m.newEvent)}</Button>}>
      <Table<DisasterEvent> rowKey="id" loading={events.isPending} dataSource={events.data ?? []} pagination={false} columns={[
        { title: t(m.eventCol), dataIndex: 'name' }, { title: t(m.docType), dataIndex: 'kind', render: (k: DisasterEvent['kind']) => t(eventKindLabels[k]) }, { title: t(m.eventOccurredOn), dataIndex: 'occurredOn' },
        { title: t(m.affectedArea), dataIndex: 'area' }, { title: t(m.orgUnit), dataIndex: 'unitName' }, { title: t(m.issueNotes), dataIndex: 'issuedDocuments' }, { title: t(m.householdsAssisted), dataIndex: 'recipients' },
      ]} />
      <Drawer open={open} size={520} title={t(m.newEvent)} onClose={() => setOpen(false)} destroyOnHidden footer={<Space style={{ float: 'right' }}><Button onClick={() => setOpen(false)}>{t(common.cancel)}</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-event">{t(common.save)}</Button></Space>}>
        <Form<NewEvent> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'flood', occurredOn: dayjs() }}>
          <Form.Item name="name" label={t(m.eventName)} rules={[{ required: true, message: t(m.eventNameRequired) }]}><Input maxLength={60} data-testid="event-name" /></Form.Item>
          <Form.Item name="kind" label={t(m.eventKind)} rules={[{ required: true }]}><Select options={EVENT_KINDS.map((k) => ({ value: k, label: t(eventKindLabels[k]) }))} /></Form.Item>
          <Form.Item name="occurredOn" label={t(m.eventOccurredOn)} rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="area" label={t(m.affectedArea)} rules={[{ required: true, message: t(m.affectedAreaRequired) }]}><Input maxLength={200} data-testid="event-area" /></Form.Item>
          <Form.Item name="note" label={t(m.eventNote)}><Input.TextArea maxLength={1000} /></Form.Item>
        </Form>
      </Drawer>
    </Card>
  );
}
