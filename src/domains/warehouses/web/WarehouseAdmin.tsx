import { useState } from 'react';
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { Item, ItemLevel, Warehouse } from '../warehouses.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useGrades, useItems, useLevels, usePost } from './warehouses.api.ts';
import { ItemSelect } from './warehouses.shared.tsx';

/**
 * Errors for an administrator's form: the shared report (message, request-validation fields), plus
 * the service's own field errors (`code`, `spec`, `gradeId`, `minQty` …), which name the field
 * without the `body.` prefix and come with a domain code such as `warehouses.item_exists`.
 */
/** A server's error stays on its field until that field is changed (fields without rules are not re-validated). */
export const clearErrorsOnChange = (form: FormInstance) => (changed: object) =>
  form.setFields(Object.keys(changed).filter((name) => form.getFieldError(name).length > 0).map((name) => ({ name, errors: [] })));

const footer = (onClose: () => void, onSave: () => void, loading: boolean, testId: string) => (
  <Space style={{ float: 'right' }}>
    <Button onClick={onClose}>取消</Button>
    <Button type="primary" loading={loading} onClick={onSave} data-testid={testId}>保存</Button>
  </Space>
);

type EditValues = { name?: string; address?: string; managerName?: string; managerPhone?: string; gradeId?: string | null; gradeChecks?: string[]; status?: 'active' | 'closed' };

/** 编辑仓库: name, address, manager, grade with its checklist, close or reopen (optimistic version). */
export function EditWarehouseDrawer({ warehouse: w, onClose }: { warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
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
      { onSuccess: (r) => { void message.success(`已保存：${r.name}`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title={`编辑仓库 · ${w.name}`} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-edit-warehouse" footer={footer(onClose, () => form.submit(), post.isPending, 'save-warehouse')}>
      <Form<EditValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}
        initialValues={{ name: w.name, address: w.address, managerName: w.managerName ?? '', managerPhone: w.managerPhone ?? '', gradeId: w.gradeId, gradeChecks: w.gradeChecks, status: w.status }}>
        <Form.Item label="仓库编码"><Input value={w.code} disabled /></Form.Item>
        <Form.Item name="name" label="仓库名称" rules={[{ required: true, whitespace: true, message: '请填写仓库名称' }]}><Input maxLength={60} /></Form.Item>
        <Form.Item name="address" label="地址" rules={[{ required: true, whitespace: true, message: '请填写地址' }]}><Input maxLength={200} /></Form.Item>
        <Space wrap>
          <Form.Item name="managerName" label="负责人"><Input maxLength={40} /></Form.Item>
          <Form.Item name="managerPhone" label="联系电话"><Input maxLength={40} /></Form.Item>
        </Space>
        <Form.Item name="gradeId" label="等级">
          <Select allowClear placeholder="未评定" data-testid="grade-select" onChange={() => form.setFieldValue('gradeChecks', [])}
            options={(grades.data ?? []).map((g) => ({ value: g.id, label: `${g.name}（${g.code}）` }))} />
        </Form.Item>
        {gradeId && (
          <Form.Item name="gradeChecks" label={`已达到的评定标准（${criteria.length} 项）`} extra={criteria.length === 0 ? '该等级尚未配置评定标准，可在“物资目录与等级”中维护。' : undefined}>
            <Select mode="multiple" data-testid="grade-checks" options={criteria.map((c) => ({ value: c, label: c }))} />
          </Form.Item>
        )}
        <Form.Item name="status" label="状态">
          <Radio.Group options={[{ value: 'active', label: '在用' }, { value: 'closed', label: '停用' }]} data-testid="warehouse-status" />
        </Form.Item>
        {status === 'closed' && w.status === 'active' && <Alert type="warning" showIcon title="停用后不能再办理入库、出库、调拨；库存和单据保留，可随时重新启用。" />}
      </Form>
    </Drawer>
  );
}

type LocationValues = { code?: string; name?: string };

/** 新增库位: a bin code unique in the warehouse and an optional name. */
export function LocationDrawer({ warehouse: w, onClose }: { warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const post = usePost<{ code: string }>();
  const [form] = Form.useForm<LocationValues>();
  const submit = (v: LocationValues) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/locations`, body: { code: v.code, name: v.name?.trim() || null } },
      { onSuccess: (r) => { void message.success(`已新增库位：${r.code}`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={480} title={`新增库位 · ${w.name}`} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-location" footer={footer(onClose, () => form.submit(), post.isPending, 'save-location')}>
      <Typography.Paragraph type="secondary">现有库位：{w.locations.map((l) => (l.name ? `${l.code}（${l.name}）` : l.code)).join('、') || '无'}</Typography.Paragraph>
      <Form<LocationValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}>
        <Form.Item name="code" label="库位编码" rules={[{ required: true, whitespace: true, message: '请填写库位编码' }]} extra="如 A-01-02（区-排-层），同一仓库内不得重复。"><Input maxLength={20} /></Form.Item>
        <Form.Item name="name" label="库位名称"><Input maxLength={40} placeholder="如 棉被货架" /></Form.Item>
      </Form>
    </Drawer>
  );
}

type LevelValues = { itemId?: string; minQty?: number | null; maxQty?: number | null };

/** 库存上下限: minimum and (optional) maximum stock of one item in this warehouse. */
export function LevelDrawer({ warehouse: w, onClose }: { warehouse: Warehouse; onClose: () => void }) {
  const { message } = App.useApp();
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
          void message.success(`已设置 ${it?.name ?? ''}：最低 ${r.minQty}${r.maxQty !== null ? `，最高 ${r.maxQty}` : ''}${it?.unit ?? ''}`);
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  return (
    <Drawer open size={560} title={`库存上下限 · ${w.name}`} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-level" footer={footer(onClose, () => form.submit(), post.isPending, 'save-level')}>
      <Typography.Paragraph type="secondary">低于最低库存或超过最高库存时，在仓库列表和本仓库页的库存预警中汇总提示（过期批次不计入可用库存）。同一物资再次设置即覆盖原值。</Typography.Paragraph>
      <Form<LevelValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}>
        <Form.Item name="itemId" label="物资" rules={[{ required: true, message: '请选择物资' }]}>
          <ItemSelect onChange={(_, it) => setItem(it)} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="minQty" label={`最低库存${item ? `（${item.unit}）` : ''}`} rules={[{ required: true, message: '请填写最低库存' }]}>
            <InputNumber min={0} step={step} precision={item?.countUnit ? 0 : 3} data-testid="min-qty" />
          </Form.Item>
          <Form.Item name="maxQty" label={`最高库存${item ? `（${item.unit}）` : ''}（可不填）`}>
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
  const report = useReportError();
  const post = usePost<Bin>();
  const [form] = Form.useForm<BinValues>();
  const submit = (v: BinValues) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/locations/${bin.id}`, method: 'PATCH', body: { code: v.code, name: v.name?.trim() || null } },
      { onSuccess: (r) => { void message.success(`已保存库位：${r.code}`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={480} title={`修改库位 · ${bin.code}`} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-edit-location" footer={footer(onClose, () => form.submit(), post.isPending, 'save-edit-location')}>
      <Form<BinValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)} initialValues={{ code: bin.code, name: bin.name ?? '' }}>
        <Form.Item name="code" label="库位编码" rules={[{ required: true, whitespace: true, message: '请填写库位编码' }]}><Input maxLength={20} /></Form.Item>
        <Form.Item name="name" label="库位名称"><Input maxLength={40} /></Form.Item>
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
  const report = useReportError();
  const post = usePost<Bin>();
  const [editing, setEditing] = useState<Bin | null>(null);
  const toggle = (b: Bin, active: boolean) =>
    post.mutate(
      { path: `/api/warehouses/${w.id}/locations/${b.id}`, method: 'PATCH', body: { active } },
      { onSuccess: (r) => void message.success(r.active ? `已启用库位 ${r.code}` : `已停用库位 ${r.code}`), onError: (e) => report(e) },
    );
  return (
    <>
      <Table<Bin> rowKey="id" size="small" pagination={false} dataSource={w.locations} data-testid="bins-table" locale={{ emptyText: '尚未设置库位' }} columns={[
        { title: '库位编码', dataIndex: 'code' },
        { title: '名称', dataIndex: 'name', render: (n: string | null) => n || '—' },
        { title: '状态', dataIndex: 'active', render: (a: boolean, b) => (admin
          ? <Switch size="small" checked={a} checkedChildren="在用" unCheckedChildren="停用" loading={post.isPending && post.variables?.path.endsWith(b.id)} onChange={(on) => toggle(b, on)} data-testid={`bin-active-${b.code}`} />
          : a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
        ...(admin ? [{ title: '', render: (_: unknown, b: Bin) => <Button size="small" onClick={() => setEditing(b)} data-testid={`edit-bin-${b.code}`}>修改</Button> }] : []),
      ]} />
      {editing && <EditLocationDrawer warehouse={w} bin={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** 库存上下限: the levels set for this warehouse, with the stock on hand against them. */
export function LevelsTable({ warehouse: w }: { warehouse: Warehouse }) {
  const levels = useLevels(w.id);
  return (
    <Table<ItemLevel> rowKey="itemId" size="small" pagination={false} loading={levels.isPending} dataSource={levels.data ?? []} data-testid="levels-table" locale={{ emptyText: '尚未设置库存上下限' }} columns={[
      { title: '物资编码', dataIndex: 'itemCode' },
      { title: '物资', render: (_, l) => <span>{l.itemName}{l.spec ? `（${l.spec}）` : ''} {!l.active && <Tag>已停用</Tag>}</span> },
      { title: '最低库存', align: 'right', render: (_, l) => `${l.minQty} ${l.unit}` },
      { title: '最高库存', align: 'right', render: (_, l) => (l.maxQty === null ? '—' : `${l.maxQty} ${l.unit}`) },
      { title: '结存', align: 'right', render: (_, l) => `${l.onHand} ${l.unit}` },
      { title: '', render: (_, l) => (l.onHand < l.minQty ? <Tag color="orange">低于最低</Tag> : l.maxQty !== null && l.onHand > l.maxQty ? <Tag color="red">超过最高</Tag> : <Tag color="green">正常</Tag>) },
    ]} />
  );
}
