import { Button, Col, DatePicker, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useActiveItems, useActiveWarehouses } from '../../warehouses/web/warehouses.api.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { donationsMessages as m } from './donations.messages.ts';
import { parseYuan, formatYuan } from './money.ts';

/** A goods line as the form holds it: the unit value typed in yuan, dates as strings. */
export type GoodsFormLine = { itemId?: string; quantity?: number; unitValue?: string; expiryDate?: string };

/** A unit value typed in yuan, in fen: empty or zero is 0 (a gift not valued), null when it is not a number. */
export function unitValueFen(v: string | undefined): number | null {
  const s = (v ?? '').trim();
  if (s === '' || /^0+(\.0*)?$/.test(s)) return 0;
  const r = parseYuan(s);
  return r.ok ? r.fen : null;
}

/** The value of a line in fen (quantity × unit value), or null while it is incomplete. */
export function lineValueFen(l: GoodsFormLine | undefined): number | null {
  if (!l || !l.quantity) return null;
  const unit = unitValueFen(l.unitValue);
  return unit === null ? null : Math.round(l.quantity * unit);
}

/**
 * 物资明细: the warehouse the goods go into and one row per catalogue item. The item names its
 * specification (N95 and KN95 are different items), so the list that is later published says
 * exactly what was received.
 */
export function GoodsLinesField({ form }: { form: FormInstance }) {
  const { t } = useI18n();
  const items = useActiveItems();
  const warehouses = useActiveWarehouses();
  const lines: GoodsFormLine[] | undefined = Form.useWatch('goods', form);
  const byId = new Map((items.data ?? []).map((i) => [i.id, i]));
  const total = (lines ?? []).reduce((s, l) => s + (lineValueFen(l) ?? 0), 0);
  return (
    <>
      <Form.Item name="warehouseId" label={t(m.goodsWarehouse)} rules={[{ required: true, message: t(m.goodsWarehouseRequired) }]}>
        <Select
          loading={warehouses.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t(m.goodsWarehousePlaceholder)}
          options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.name}（${w.unitName}）` }))}
          data-testid="donation-warehouse"
        />
      </Form.Item>
      <Form.List
        name="goods"
        rules={[{ validator: (_r, v: unknown[] | undefined) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t(m.goodsLinesRequired)))) }]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((f, i) => {
              const it = byId.get(lines?.[i]?.itemId ?? '');
              return (
                <Row key={f.key} gutter={8} align="top" data-testid={`goods-line-${i}`}>
                  <Col span={9}>
                    <Form.Item name={[f.name, 'itemId']} label={i === 0 ? t(m.goodsItem) : undefined} rules={[{ required: true, message: t(m.goodsItemRequired) }]}>
                      <Select
                        showSearch={{ optionFilterProp: 'label' }}
                        loading={items.isPending}
                        placeholder={t(m.goodsItemPlaceholder)}
                        options={(items.data ?? []).map((x) => ({ value: x.id, label: `${x.name}（${x.spec || '—'}）· ${x.unit}` }))}
                        data-testid={`goods-item-${i}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item
                      name={[f.name, 'quantity']}
                      label={i === 0 ? t(m.goodsQuantity) : undefined}
                      rules={[
                        { required: true, message: t(m.goodsQuantityRequired) },
                        {
                          validator: (_r, v: number | undefined) =>
                            v === undefined || v === null ? Promise.resolve() : v <= 0 ? Promise.reject(new Error(t(m.goodsQuantityPositive))) : it?.countUnit && !Number.isInteger(v) ? Promise.reject(new Error(t(m.goodsQuantityWhole, { unit: it.unit }))) : Promise.resolve(),
                        },
                      ]}
                    >
                      <InputNumber min={0} step={1} precision={it?.countUnit ? 0 : 3} style={{ width: '100%' }} suffix={it?.unit} data-testid={`goods-quantity-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item
                      name={[f.name, 'unitValue']}
                      label={i === 0 ? t(m.goodsUnitValue) : undefined}
                      rules={[{ validator: (_r, v: string | undefined) => (unitValueFen(v) !== null ? Promise.resolve() : Promise.reject(new Error(t(m.goodsUnitValueInvalid)))) }]}
                    >
                      <Input prefix="¥" inputMode="decimal" maxLength={16} data-testid={`goods-value-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item
                      name={[f.name, 'expiryDate']}
                      label={i === 0 ? t(m.goodsExpiry) : undefined}
                      getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
                      normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
                    >
                      <DatePicker style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col span={2}>
                    <Form.Item label={i === 0 ? ' ' : undefined}>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(m.goodsRemove)} />
                    </Form.Item>
                  </Col>
                </Row>
              );
            })}
            <Form.ErrorList errors={errors} />
            <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="goods-add" style={{ marginBottom: 12 }}>
              {t(m.goodsAdd)}
            </Button>
            <div>
              <Typography.Text type="secondary">{t(m.goodsTotal, { amount: formatYuan(total) })}</Typography.Text>
            </div>
          </>
        )}
      </Form.List>
    </>
  );
}
