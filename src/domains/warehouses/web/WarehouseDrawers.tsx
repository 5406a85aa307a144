import { useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { Text } from '../../../platform/i18n.ts';
import type { StockDocument, Warehouse } from '../warehouses.contract.ts';
import { sourceLabels, writeOffReasonLabels, WRITE_OFF_REASONS } from '../warehouses.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { PersonPicker } from '../../people/web/PersonPicker.tsx';
import { useBatches, useEvents, usePost, useTransferDestinations } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { ItemSelect, itemText } from './warehouses.shared.tsx';

export type DrawerKind = 'receive' | 'issue' | 'transfer' | 'write_off';
const TITLE: Record<DrawerKind, Text> = { receive: m.drawerReceive, issue: m.drawerIssue, transfer: m.drawerTransfer, write_off: m.drawerWriteOff };
const day = (d: Dayjs | undefined) => (d ?? dayjs()).format('YYYY-MM-DD');

type Line = { itemId?: string; quantity?: number; unitValue?: number; expiryDate?: Dayjs; productionDate?: Dayjs; batchId?: string };
type Recipient = { personId?: string; householdSize?: number; items?: { itemId?: string; quantity?: number }[] };
type Values = {
  occurredOn?: Dayjs; sourceType?: string; supplier?: string; sourceRef?: string; note?: string; destination?: 'distribution' | 'unit'; eventId?: string; toOrgName?: string;
  toWarehouseId?: string; reason?: string; lines?: Line[]; recipients?: Recipient[];
};

/** One drawer per posting; each carries its own Idempotency-Key, so a double click posts once. */
export function StockDrawer({ kind, warehouse, onClose }: { kind: DrawerKind; warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const navigate = useNavigate();
  const post = usePost<StockDocument>();
  const [form] = Form.useForm<Values>();
  const [key] = useState(newIdempotencyKey);
  const destination = Form.useWatch('destination', form);
  const destinations = useTransferDestinations(warehouse.id);
  const events = useEvents();
  const batches = useBatches(warehouse.id);

  const submit = (v: Values) => {
    const occurredOn = day(v.occurredOn);
    const lines = (v.lines ?? []).filter((l) => l.itemId || l.batchId);
    let path: string;
    let body: unknown;
    if (kind === 'receive') {
      path = '/api/warehouses/receipts';
      body = { warehouseId: warehouse.id, occurredOn, sourceType: v.sourceType, supplier: v.supplier || null, sourceRef: v.sourceRef || null, note: v.note || null, lines: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, unitValueFen: Math.round((l.unitValue ?? 0) * 100), expiryDate: l.expiryDate ? day(l.expiryDate) : null, productionDate: l.productionDate ? day(l.productionDate) : null })) };
    } else if (kind === 'issue') {
      path = '/api/warehouses/issues';
      body = v.destination === 'distribution'
        ? { warehouseId: warehouse.id, occurredOn, destination: 'distribution', eventId: v.eventId, note: v.note || null, recipients: (v.recipients ?? []).map((r) => ({ kind: 'person', personId: r.personId, householdSize: r.householdSize ?? null, items: (r.items ?? []).map((x) => ({ itemId: x.itemId, quantity: x.quantity })) })) }
        : { warehouseId: warehouse.id, occurredOn, destination: 'unit', toOrgName: v.toOrgName, note: v.note || null, lines: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, batchId: l.batchId || null })) };
    } else if (kind === 'transfer') {
      path = '/api/warehouses/transfers';
      body = { warehouseId: warehouse.id, toWarehouseId: v.toWarehouseId, occurredOn, note: v.note || null, lines: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity })) };
    } else {
      path = '/api/warehouses/write-offs';
      body = { warehouseId: warehouse.id, occurredOn, reason: v.reason, note: v.note, lines: lines.map((l) => ({ batchId: l.batchId, quantity: l.quantity })) };
    }
    post.mutate(
      { path, body, key },
      {
        onSuccess: (d) => {
          void message.success(t(m.posted, { number: d.number }));
          onClose();
          void navigate(`/warehouses/documents/${d.id}`);
        },
        onError: (e) => report(e, form),
      },
    );
  };

  const lineFields = (withPrice: boolean, withBatch: boolean, itemFree = true) => (
    <Form.List name="lines" initialValue={[{}]}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <Space key={f.key} align="baseline" wrap data-testid={`line-${i}`}>
              {itemFree && (
                <Form.Item name={[f.name, 'itemId']} rules={[{ required: true, message: t(m.itemRequired) }]}>
                  <ItemSelect includeRetired={!withPrice} />
                </Form.Item>
              )}
              {withBatch && (
                <Form.Item name={[f.name, 'batchId']} rules={itemFree ? [] : [{ required: true, message: t(m.batchRequired) }]}>
                  <Select allowClear placeholder={t(itemFree ? m.batchOptional : m.chooseBatch)} style={{ minWidth: 260 }} data-testid={`batch-${i}`}
                    options={(batches.data ?? []).map((b) => ({ value: b.id, label: `${t(m.batchOption, { batch: b.batchNo, item: itemText(t, { name: b.itemName, spec: b.spec }), onHand: b.onHand, unit: b.unit })}${b.expiryDate ? t(m.batchOptionExpiry, { expiry: b.expiryDate }) : ''}${b.expired ? t(m.batchOptionExpired) : ''}` }))} />
                </Form.Item>
              )}
              <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: t(m.quantityRequired) }]}>
                <InputNumber min={0.001} placeholder={t(m.quantity)} data-testid={`qty-${i}`} />
              </Form.Item>
              {withPrice && (
                <>
                  <Form.Item name={[f.name, 'unitValue']} rules={[{ required: true, message: t(m.unitPriceRequired) }]}>
                    <InputNumber min={0} precision={2} placeholder={t(m.unitPrice)} data-testid={`price-${i}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'productionDate']}>
                    <DatePicker placeholder={t(m.productionDate)} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'expiryDate']}>
                    <DatePicker placeholder={t(m.expiry)} data-testid={`expiry-${i}`} />
                  </Form.Item>
                </>
              )}
              {fields.length > 1 && <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(m.removeLine)} />}
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-line">
            {t(m.addLine)}
          </Button>
        </>
      )}
    </Form.List>
  );

  return (
    <Drawer open size={900} title={t(m.drawerTitle, { title: t(TITLE[kind]), warehouse: warehouse.name })} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid={`drawer-${kind}`}
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t(common.cancel)}</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="post-document">{t(kind === 'write_off' ? m.submitForApproval : m.submit)}</Button></Space>}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ occurredOn: dayjs(), sourceType: 'donation', destination: 'distribution', reason: 'expired' }}>
        <Form.Item name="occurredOn" label={t(m.occurredOn)} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        {kind === 'receive' && (
          <>
            <Form.Item name="sourceType" label={t(m.source)} rules={[{ required: true }]}>
              <Radio.Group options={(['donation', 'purchase', 'allocation'] as const).map((s) => ({ value: s, label: t(sourceLabels[s]) }))} />
            </Form.Item>
            <Form.Item name="supplier" label={t(m.supplier)}>
              <Input maxLength={100} data-testid="supplier" />
            </Form.Item>
            <Form.Item name="sourceRef" label={t(m.sourceRef)}>
              <Input maxLength={100} />
            </Form.Item>
            {lineFields(true, false)}
          </>
        )}
        {kind === 'issue' && (
          <>
            <Form.Item name="destination" label={t(m.issueDestination)} rules={[{ required: true }]}>
              <Radio.Group options={[{ value: 'distribution', label: t(m.destinationDistribution) }, { value: 'unit', label: t(m.destinationUnit) }]} data-testid="destination" />
            </Form.Item>
            {destination === 'unit' ? (
              <>
                <Form.Item name="toOrgName" label={t(m.toOrg)} rules={[{ required: true, message: t(m.toOrgRequired) }]}>
                  <Input maxLength={100} />
                </Form.Item>
                {lineFields(false, true)}
              </>
            ) : (
              <>
                <Form.Item name="eventId" label={t(m.event)} rules={[{ required: true, message: t(m.eventRequired) }]}>
                  <Select data-testid="event-select" options={(events.data ?? []).map((e) => ({ value: e.id, label: t(m.withNote, { main: e.name, note: e.occurredOn }) }))} />
                </Form.Item>
                <Typography.Text type="secondary">{t(m.distributionHelp)}</Typography.Text>
                <Form.List name="recipients" initialValue={[{ items: [{}] }]}>
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f, i) => (
                        <div key={f.key} style={{ border: '1px solid #eee', padding: 12, margin: '8px 0' }} data-testid={`recipient-${i}`}>
                          <Space align="baseline" wrap>
                            <Form.Item name={[f.name, 'personId']} label={t(m.householdHead, { n: i + 1 })} rules={[{ required: true, message: t(m.householdHeadRequired) }]}>
                              <PersonPicker />
                            </Form.Item>
                            <Form.Item name={[f.name, 'householdSize']} label={t(m.householdSize)}>
                              <InputNumber min={1} max={50} />
                            </Form.Item>
                            {fields.length > 1 && <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(m.removeRecipient)} />}
                          </Space>
                          <Form.List name={[f.name, 'items']}>
                            {(sub, ops) => (
                              <>
                                {sub.map((s, j) => (
                                  <Space key={s.key} align="baseline" data-testid={`recipient-${i}-item-${j}`}>
                                    <Form.Item name={[s.name, 'itemId']} rules={[{ required: true, message: t(m.itemRequired) }]}>
                                      <ItemSelect includeRetired />
                                    </Form.Item>
                                    <Form.Item name={[s.name, 'quantity']} rules={[{ required: true, message: t(m.quantityRequired) }]}>
                                      <InputNumber min={0.001} placeholder={t(m.quantity)} data-testid={`recipient-${i}-qty-${j}`} />
                                    </Form.Item>
                                  </Space>
                                ))}
                                <Button size="small" onClick={() => ops.add({})}>{t(m.addGoods)}</Button>
                              </>
                            )}
                          </Form.List>
                        </div>
                      ))}
                      <Button icon={<PlusOutlined />} onClick={() => add({ items: [{}] })} data-testid="add-recipient">
                        {t(m.addRecipient)}
                      </Button>
                    </>
                  )}
                </Form.List>
              </>
            )}
          </>
        )}
        {kind === 'transfer' && (
          <>
            <Form.Item name="toWarehouseId" label={t(m.toWarehouse)} rules={[{ required: true, message: t(m.toWarehouseRequired) }]} extra={t(m.toWarehouseHelp)}>
              <Select data-testid="to-warehouse" loading={destinations.isPending}
                options={(destinations.data ?? []).map((w) => ({ value: w.id, label: `${w.unitName} · ${w.name}${w.above ? t(m.unitAbove) : ''}` }))} />
            </Form.Item>
            {lineFields(false, false)}
          </>
        )}
        {kind === 'write_off' && (
          <>
            <Form.Item name="reason" label={t(m.writeOffReason)} rules={[{ required: true }]}>
              <Radio.Group options={WRITE_OFF_REASONS.map((r) => ({ value: r, label: t(writeOffReasonLabels[r]) }))} />
            </Form.Item>
            <Form.Item name="note" label={t(m.writeOffNote)} rules={[{ required: true, message: t(m.writeOffNoteRequired) }]}>
              <Input.TextArea maxLength={500} data-testid="write-off-note" />
            </Form.Item>
            {lineFields(false, true, false)}
            <Typography.Paragraph type="secondary">{t(m.writeOffHelp)}</Typography.Paragraph>
          </>
        )}
        {kind !== 'write_off' && (
          <Form.Item name="note" label={t(m.note)}>
            <Input.TextArea maxLength={500} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
