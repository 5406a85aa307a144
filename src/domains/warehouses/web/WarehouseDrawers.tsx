import { useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { StockDocument, Warehouse } from '../warehouses.contract.ts';
import { writeOffReasonLabels, WRITE_OFF_REASONS } from '../warehouses.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { PersonPicker } from '../../people/web/PersonPicker.tsx';
import { useBatches, useEvents, usePost, useTransferDestinations } from './warehouses.api.ts';
import { ItemSelect } from './warehouses.shared.tsx';

export type DrawerKind = 'receive' | 'issue' | 'transfer' | 'write_off';
const TITLE: Record<DrawerKind, string> = { receive: '入库单', issue: '出库单', transfer: '调拨单（调出）', write_off: '报损申请' };
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
          void message.success(`已过账：${d.number}`);
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
                <Form.Item name={[f.name, 'itemId']} rules={[{ required: true, message: '请选择物资' }]}>
                  <ItemSelect includeRetired={!withPrice} />
                </Form.Item>
              )}
              {withBatch && (
                <Form.Item name={[f.name, 'batchId']} rules={itemFree ? [] : [{ required: true, message: '请选择批次' }]}>
                  <Select allowClear placeholder={itemFree ? '批次（不选则先到期先出）' : '选择批次'} style={{ minWidth: 260 }} data-testid={`batch-${i}`}
                    options={(batches.data ?? []).map((b) => ({ value: b.id, label: `${b.batchNo} ${b.itemName}${b.spec ? `（${b.spec}）` : ''} 结存 ${b.onHand}${b.unit}${b.expiryDate ? ` 有效期 ${b.expiryDate}` : ''}${b.expired ? '（已过期）' : ''}` }))} />
                </Form.Item>
              )}
              <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: '请填写数量' }]}>
                <InputNumber min={0.001} placeholder="数量" data-testid={`qty-${i}`} />
              </Form.Item>
              {withPrice && (
                <>
                  <Form.Item name={[f.name, 'unitValue']} rules={[{ required: true, message: '请填写单价' }]}>
                    <InputNumber min={0} precision={2} placeholder="单价（元）" data-testid={`price-${i}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'productionDate']}>
                    <DatePicker placeholder="生产日期" />
                  </Form.Item>
                  <Form.Item name={[f.name, 'expiryDate']}>
                    <DatePicker placeholder="有效期至" data-testid={`expiry-${i}`} />
                  </Form.Item>
                </>
              )}
              {fields.length > 1 && <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除此行" />}
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="add-line">
            添加一行
          </Button>
        </>
      )}
    </Form.List>
  );

  return (
    <Drawer open size={900} title={`${TITLE[kind]} · ${warehouse.name}`} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid={`drawer-${kind}`}
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>取消</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="post-document">{kind === 'write_off' ? '提交审批' : '提交过账'}</Button></Space>}>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ occurredOn: dayjs(), sourceType: 'donation', destination: 'distribution', reason: 'expired' }}>
        <Form.Item name="occurredOn" label="业务日期" rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        {kind === 'receive' && (
          <>
            <Form.Item name="sourceType" label="来源" rules={[{ required: true }]}>
              <Radio.Group options={[{ value: 'donation', label: '捐赠' }, { value: 'purchase', label: '采购' }, { value: 'allocation', label: '上级调拨' }]} />
            </Form.Item>
            <Form.Item name="supplier" label="捐赠方 / 供应商">
              <Input maxLength={100} data-testid="supplier" />
            </Form.Item>
            <Form.Item name="sourceRef" label="来源单据号（捐赠编号、合同号）">
              <Input maxLength={100} />
            </Form.Item>
            {lineFields(true, false)}
          </>
        )}
        {kind === 'issue' && (
          <>
            <Form.Item name="destination" label="发放去向" rules={[{ required: true }]}>
              <Radio.Group options={[{ value: 'distribution', label: '灾害救助发放（受助人名单）' }, { value: 'unit', label: '其他单位' }]} data-testid="destination" />
            </Form.Item>
            {destination === 'unit' ? (
              <>
                <Form.Item name="toOrgName" label="接收单位" rules={[{ required: true, message: '请填写接收单位' }]}>
                  <Input maxLength={100} />
                </Form.Item>
                {lineFields(false, true)}
              </>
            ) : (
              <>
                <Form.Item name="eventId" label="灾害事件" rules={[{ required: true, message: '请选择灾害事件' }]}>
                  <Select data-testid="event-select" options={(events.data ?? []).map((e) => ({ value: e.id, label: `${e.name}（${e.occurredOn}）` }))} />
                </Form.Item>
                <Typography.Text type="secondary">受助人为人员库中的户主，名单上脱敏显示；物资按先到期先出自动拣货，过期批次不出库。</Typography.Text>
                <Form.List name="recipients" initialValue={[{ items: [{}] }]}>
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f, i) => (
                        <div key={f.key} style={{ border: '1px solid #eee', padding: 12, margin: '8px 0' }} data-testid={`recipient-${i}`}>
                          <Space align="baseline" wrap>
                            <Form.Item name={[f.name, 'personId']} label={`户主 ${i + 1}`} rules={[{ required: true, message: '请选择户主' }]}>
                              <PersonPicker />
                            </Form.Item>
                            <Form.Item name={[f.name, 'householdSize']} label="家庭人数">
                              <InputNumber min={1} max={50} />
                            </Form.Item>
                            {fields.length > 1 && <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除受助人" />}
                          </Space>
                          <Form.List name={[f.name, 'items']}>
                            {(sub, ops) => (
                              <>
                                {sub.map((s, j) => (
                                  <Space key={s.key} align="baseline" data-testid={`recipient-${i}-item-${j}`}>
                                    <Form.Item name={[s.name, 'itemId']} rules={[{ required: true, message: '请选择物资' }]}>
                                      <ItemSelect includeRetired />
                                    </Form.Item>
                                    <Form.Item name={[s.name, 'quantity']} rules={[{ required: true, message: '请填写数量' }]}>
                                      <InputNumber min={0.001} placeholder="数量" data-testid={`recipient-${i}-qty-${j}`} />
                                    </Form.Item>
                                  </Space>
                                ))}
                                <Button size="small" onClick={() => ops.add({})}>添加物资</Button>
                              </>
                            )}
                          </Form.List>
                        </div>
                      ))}
                      <Button icon={<PlusOutlined />} onClick={() => add({ items: [{}] })} data-testid="add-recipient">
                        添加受助人
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
            <Form.Item name="toWarehouseId" label="调入仓库" rules={[{ required: true, message: '请选择调入仓库' }]} extra="可调往本辖区的仓库，或上级单位的仓库（如县级退回市级）；由调入仓库所属单位确认收货。">
              <Select data-testid="to-warehouse" loading={destinations.isPending}
                options={(destinations.data ?? []).map((w) => ({ value: w.id, label: `${w.unitName} · ${w.name}${w.above ? '（上级）' : ''}` }))} />
            </Form.Item>
            {lineFields(false, false)}
          </>
        )}
        {kind === 'write_off' && (
          <>
            <Form.Item name="reason" label="报损原因" rules={[{ required: true }]}>
              <Radio.Group options={WRITE_OFF_REASONS.map((r) => ({ value: r, label: writeOffReasonLabels[r].zh }))} />
            </Form.Item>
            <Form.Item name="note" label="情况说明" rules={[{ required: true, message: '请填写情况说明' }]}>
              <Input.TextArea maxLength={500} data-testid="write-off-note" />
            </Form.Item>
            {lineFields(false, true, false)}
            <Typography.Paragraph type="secondary">提交后请在单据页上传证明材料（照片或扫描件），由本人以外的审批人审批。</Typography.Paragraph>
          </>
        )}
        {kind !== 'write_off' && (
          <Form.Item name="note" label="备注">
            <Input.TextArea maxLength={500} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
