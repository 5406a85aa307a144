import { useState } from 'react';
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { Item, ItemLevel, Warehouse } from '../warehouses.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useGrades, useItems, useLevels, usePost } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { ItemSelect, itemText } from './warehouses.shared.tsx';

/**
 * Errors for an administrator's form: the shared report (message, request-validation fields), plus
 * the service's own field errors (`code`, `spec`, `gradeId`, `minQty` …), which name the field
 * without the `body.` prefix and come with a domain code such as `warehouses.item_exists`.
 */
/** A server's error stays on its field until that field is changed (fields without rules are not re-validated). */
export const clearErrorsOnChange = (form: FormInstance) => (changed: object) =>
  form.setFields(Object.keys(changed).filter((name) => form.getFieldError(name).length > 0).map((name) => ({ name, errors: [] })));

const footer = (t: Translate, onClose: () => void, onSave: () => void, loading: boolean, testId: string) => (
  <Space style={{ float: 'right' }}>
    <Button onClick={onClose}>{t(common.cancel)}</Button>
    <Button type="primary" loading={loading} onClick={onSave} data-testid={testId}>{t(common.save)}</Button>
  </Space>
);

type EditValues = { name?: string; address?: string; managerName?: string; managerPhone?: string; gradeId?: string | null; gradeChecks?: string[]; status?: 'active' | 'closed' };

/** 编辑仓库: name, address, manager, grade with its checklist, close or reopen (optimistic version). */
export function EditWarehouseDrawer({ warehouse: w, onClose }: { warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Warehouse>();
  const grades = useGrades();
  const [form] = Form.useForm<EditValues>();
  const gradeId = Form.useWatch('gradeId', form);
  const status = Form.useWatch('status', form);
  const criteria = grades.data?.find((g) => g.id === gradeId)?.criteria ?? [];
  const submit = (v: EditValues) =>
    post.mutate(
      {
        path: `/api/warehouses/${w.id}`,
        method: 'PATCH',
        body: { version: w.version, name: v.name, address: v.address, managerName: v.managerName?.trim() || null, managerPhone: v.managerPhone?.trim() || null, gradeId: v.gradeId ?? null, gradeChecks: v.gradeId ? (v.gradeChecks ?? []).filter((c) => criteria.includes(c)) : [], status: v.status },
      },
      { onSuccess: (r) => { void message.success(t(m.saved, { name: r.name })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title={t(m.editWarehouseTitle, { name: w.name })} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-edit-warehouse" footer={footer(t, onClose, () => form.submit(), post.isPending, 'save-warehouse')}>
      <Form<EditValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}
        initialValues={{ name: w.name, address: w.address, managerName: w.managerName ?? '', managerPhone: w.managerPhone ?? '', gradeId: w.gradeId, gradeChecks: w.gradeChecks, status: w.status }}>
        <Form.Item label={t(m.warehouseCode)}><Input value={w.code} disabled /></Form.Item>
        <Form.Item name="name" label={t(m.warehouseName)} rules={[{ required: true, whitespace: true, message: t(m.warehouseNameRequired) }]}><Input maxLength={60} /></Form.Item>
        <Form.Item name="address" label={t(m.address)} rules={[{ required: true, whitespace: true, message: t(m.addressRequired) }]}><Input maxLength={200} /></Form.Item>
        <Space wrap>
          <Form.Item name="managerName" label={t(m.manager)}><Input maxLength={40} /></Form.Item>
          <Form.Item name="managerPhone" label={t(m.phone)}><Input maxLength={40} /></Form.Item>
        </Space>
        <Form.Item name="gradeId" label={t(m.grade)}>
          <Select allowClear placeholder={t(m.notGraded)} data-testid="grade-select" onChange={() => form.setFieldValue('gradeChecks', [])}
            options={(grades.data ?? []).map((g) => ({ value: g.id, label: t(m.withNote, { main: g.name, note: g.code }) }))} />
        </Form.Item>
        {gradeId && (
          <Form.Item name="gradeChecks" label={t(m.criteriaMetOf, { count: criteria.length })} extra={criteria.length === 0 ? t(m.noGradeCriteria) : undefined}>
            <Select mode="multiple" data-testid="grade-checks" options={criteria.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        )}
        <Form.Item name="status" label={t(m.status)}>
          <Radio.Group options={[{ value: 'active', label: t(m.statusActive) }, { value: 'closed', label: t(m.statusClosed) }]} data-testid="warehouse-status" />
        </Form.Item>
        {status === 'closed' && w.status === 'active' && <Alert type="warning" showIcon title={t(m.closeWarning)} />}
      </Form>
    </Drawer>
  );
}

type LocationValues = { code?: string; name?: string };

/** 新增库位: a bin code unique in the warehouse and an optional name. */
export function LocationDrawer({ warehouse: w, onClose }: { warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<{ code: string }>();
  const [form] = Form.useForm<LocationValues>();
  const submit = (v: LocationValues) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/locations`, body: { code: v.code, name: v.name?.trim() || null } },
      { onSuccess: (r) => { void message.success(t(m.locationAdded, { code: r.code })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={480} title={t(m.newLocationTitle, { name: w.name })} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-location" footer={footer(t, onClose, () => form.submit(), post.isPending, 'save-location')}>
      <Typography.Paragraph type="secondary">{t(m.existingBins, { list: w.locations.map((l) => (l.name ? t(m.withNote, { main: l.code, note: l.name }) : l.code)).join(t(m.enumSep)) || t(common.none) })}</Typography.Paragraph>
      <Form<LocationValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}>
        <Form.Item name="code" label={t(m.binCode)} rules={[{ required: true, whitespace: true, message: t(m.binCodeRequired) }]} extra={t(m.binCodeHelp)}><Input maxLength={20} /></Form.Item>
        <Form.Item name="name" label={t(m.binName)}><Input maxLength={40} placeholder={t(m.binNamePlaceholder)} /></Form.Item>
      </Form>
    </Drawer>
  );
}

type LevelValues = { itemId?: string; minQty?: number | null; maxQty?: number | null };

/** 库存上下限: minimum and (optional) maximum stock of one item in this warehouse. */
export function LevelDrawer({ warehouse: w, onClose }: { warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<{ itemId: string; minQty: number; maxQty: number | null }>();
  const items = useItems();
  const [form] = Form.useForm<LevelValues>();
  const [item, setItem] = useState<Item | undefined>();
  const step = item && item.countUnit ? 1 : 0.001;
  const submit = (v: LevelValues) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/levels`, method: 'PUT', body: { itemId: v.itemId, minQty: v.minQty, maxQty: v.maxQty ?? null } },
      {
        onSuccess: (r) => {
          const it = items.data?.find((i) => i.id === r.itemId);
          void message.success(t(r.maxQty !== null ? m.levelSetMinMax : m.levelSetMin, { item: it?.name ?? '', min: r.minQty, max: r.maxQty, unit: it?.unit ?? '' }));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  return (
    <Drawer open size={560} title={t(m.stockLevelsTitle, { name: w.name })} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-level" footer={footer(t, onClose, () => form.submit(), post.isPending, 'save-level')}>
      <Typography.Paragraph type="secondary">{t(m.levelsIntro)}</Typography.Paragraph>
      <Form<LevelValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}>
        <Form.Item name="itemId" label={t(m.item)} rules={[{ required: true, message: t(m.itemRequired) }]}>
          <ItemSelect onChange={(_, it) => setItem(it)} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="minQty" label={item ? t(m.minQtyIn, { unit: item.unit }) : t(m.minQty)} rules={[{ required: true, message: t(m.minQtyRequired) }]}>
            <InputNumber min={0} step={step} precision={item?.countUnit ? 0 : 3} data-testid="min-qty" />
          </Form.Item>
          <Form.Item name="maxQty" label={item ? t(m.maxQtyInOptional, { unit: item.unit }) : t(m.maxQtyOptional)}>
            <InputNumber min={0} step={step} precision={item?.countUnit ? 0 : 3} data-testid="max-qty" />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}

type Bin = Warehouse['locations'][number];
type BinValues = { code?: string; name?: string };

/** 修改库位: its code (unique in the warehouse) and name. */
function EditLocationDrawer({ warehouse: w, bin, onClose }: { warehouse: Warehouse; bin: Bin; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Bin>();
  const [form] = Form.useForm<BinValues>();
  const submit = (v: BinValues) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/locations/${bin.id}`, method: 'PATCH', body: { code: v.code, name: v.name?.trim() || null } },
      { onSuccess: (r) => { void message.success(t(m.binSaved, { code: r.code })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={480} title={t(m.editBinTitle, { code: bin.code })} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-edit-location" footer={footer(t, onClose, () => form.submit(), post.isPending, 'save-edit-location')}>
      <Form<BinValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)} initialValues={{ code: bin.code, name: bin.name ?? '' }}>
        <Form.Item name="code" label={t(m.binCode)} rules={[{ required: true, whitespace: true, message: t(m.binCodeRequired) }]}><Input maxLength={20} /></Form.Item>
        <Form.Item name="name" label={t(m.binName)}><Input maxLength={40} /></Form.Item>
      </Form>
    </Drawer>
  );
}

/**
 * 库位: every bin of the warehouse with its state. Administrators rename a bin or retire it (refused
 * while it holds stock: the server names the bin and its batches) and bring it back.
 */
export function BinsTable({ warehouse: w, admin }: { warehouse: Warehouse; admin: boolean }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Bin>();
  const [editing, setEditing] = useState<Bin | null>(null);
  const toggle = (b: Bin, active: boolean) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/locations/${b.id}`, method: 'PATCH', body: { active } },
      { onSuccess: (r) => void message.success(t(r.active ? m.binEnabled : m.binRetired, { code: r.code })), onError: (e) => report(e) },
    );
  return (
    <>
      <Table<Bin> rowKey="id" size="small" pagination={false} dataSource={w.locations} data-testid="bins-table" locale={{ emptyText: t(m.noBins) }} columns={[
        { title: t(m.binCode), dataIndex: 'code' },
        { title: t(m.name), dataIndex: 'name', render: (n: string | null) => n || '—' },
        { title: t(m.status), dataIndex: 'active', render: (a: boolean, b) => (admin
          ? <Switch size="small" checked={a} checkedChildren={t(m.statusActive)} unCheckedChildren={t(m.statusRetired)} loading={post.isPending && post.variables?.path.endsWith(b.id)} onChange={(on) => toggle(b, on)} data-testid={`bin-active-${b.code}`} />
          : a ? <Tag color="green">{t(m.statusActive)}</Tag> : <Tag>{t(m.statusRetired)}</Tag>) },
        ...(admin ? [{ title: '', render: (_: unknown, b: Bin) => <Button size="small" onClick={() => setEditing(b)} data-testid={`edit-bin-${b.code}`}>{t(m.edit)}</Button> }] : []),
      ]} />
      {editing && <EditLocationDrawer warehouse={w} bin={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** 库存上下限: the levels set for this warehouse, with the stock on hand against them. */
export function LevelsTable({ warehouse: w }: { warehouse: Warehouse }) {
  const { t } = useI18n();
  const levels = useLevels(w.id);
  return (
    <Table<ItemLevel> rowKey="itemId" size="small" pagination={false} loading={levels.isPending} dataSource={levels.data ?? []} data-testid="levels-table" locale={{ emptyText: t(m.noLevels) }} columns={[
      { title: t(m.itemCode), dataIndex: 'itemCode' },
      { title: t(m.item), render: (_, l) => <span>{itemText(t, { name: l.itemName, spec: l.spec })} {!l.active && <Tag>{t(m.retiredTag)}</Tag>}</span> },
      { title: t(m.minQty), align: 'right', render: (_, l) => `${l.minQty} ${l.unit}` },
      { title: t(m.maxQty), align: 'right', render: (_, l) => (l.maxQty === null ? '—' : `${l.maxQty} ${l.unit}`) },
      { title: t(m.onHand), align: 'right', render: (_, l) => `${l.onHand} ${l.unit}` },
      { title: '', render: (_, l) => (l.onHand < l.minQty ? <Tag color="orange">{t(m.belowMin)}</Tag> : l.maxQty !== null && l.onHand > l.maxQty ? <Tag color="red">{t(m.aboveMax)}</Tag> : <Tag color="green">{t(m.levelOk)}</Tag>) },
    ]} />
  );
}
