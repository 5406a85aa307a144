import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Grade, Item, ItemCategory } from '../warehouses.contract.ts';
import { categoryLabels, ITEM_CATEGORIES } from '../warehouses.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useI18n } from '../../../web/i18n.tsx';
import { whMessages as m } from './warehouses.messages.ts';
import { common } from '../../../web/messages.ts';
import { itemText } from './warehouses.shared.tsx';
import { useGrades, useItems, usePost } from './warehouses.api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { clearErrorsOnChange } from './WarehouseAdmin.tsx';

type ItemValues = { code?: string; name?: string; spec?: string; category?: ItemCategory; unit?: string; countUnit?: boolean; shelfLifeMonths?: number | null };

/** The fields a catalogue item has, the same when it is added and when it is edited (the code is not among them). */
function ItemFields({ specHelp, categoryTestId, unitPlaceholder }: { specHelp?: boolean; categoryTestId: string; unitPlaceholder?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="name" label={t(m.itemName)} rules={[{ required: true, whitespace: true, message: t(m.itemNameRequired) }]}><Input maxLength={40} /></Form.Item>
      <Form.Item name="spec" label={t(m.spec)} extra={specHelp ? t(m.specHelp) : undefined}><Input maxLength={80} /></Form.Item>
      <Form.Item name="category" label={t(m.category)} rules={[{ required: true, message: t(m.categoryRequired) }]}>
        <Select data-testid={categoryTestId} options={ITEM_CATEGORIES.map((c) => ({ value: c, label: t(categoryLabels[c]) }))} />
      </Form.Item>
      <Space wrap>
        <Form.Item name="unit" label={t(m.unitOfMeasure)} rules={[{ required: true, whitespace: true, message: t(m.unitOfMeasureRequired) }]}><Input maxLength={10} placeholder={unitPlaceholder ? t(m.unitOfMeasurePlaceholder) : undefined} /></Form.Item>
        <Form.Item name="shelfLifeMonths" label={t(m.shelfLifeOptional)}><InputNumber min={1} max={600} precision={0} /></Form.Item>
      </Space>
      <Form.Item name="countUnit" label={t(m.counting)}>
        <Radio.Group options={[{ value: true, label: t(m.countWhole) }, { value: false, label: t(m.countDecimal) }]} />
      </Form.Item>
    </>
  );
}

/** 新增物资: the specification is part of the item's identity (口罩 N95 and 口罩 KN95 are two items). */
function ItemDrawer({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Item>();
  const [form] = Form.useForm<ItemValues>();
  const submit = (v: ItemValues) =>
    post.mutate(
      { path: '/api/warehouses/items', body: { code: v.code, name: v.name, spec: v.spec ?? '', category: v.category, unit: v.unit, countUnit: v.countUnit ?? true, shelfLifeMonths: v.shelfLifeMonths ?? null } },
      { onSuccess: (r) => { void message.success(t(m.itemAdded, { item: `${r.code} ${itemText(t, r)}` })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title={t(m.newItem)} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-item"
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t(common.cancel)}</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-item">{t(common.save)}</Button></Space>}>
      <Form<ItemValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)} initialValues={{ countUnit: true }}>
        <Form.Item name="code" label={t(m.itemCode)} rules={[{ required: true, message: t(m.itemCodeRequired) }, { pattern: /^[0-9A-Za-z-]+$/, message: t(m.itemCodePattern) }]}><Input maxLength={30} /></Form.Item>
        <ItemFields specHelp categoryTestId="item-category" unitPlaceholder />
      </Form>
    </Drawer>
  );
}

type EditItemValues = Omit<ItemValues, 'code'>;

/**
 * 修改物资: name, category and shelf life always; specification, unit and counting are the item's
 * identity once goods of it exist (the server refuses them on their field then). Optimistic version.
 */
function EditItemDrawer({ item, onClose }: { item: Item; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Item>();
  const [form] = Form.useForm<EditItemValues>();
  const submit = (v: EditItemValues) =>
    post.mutate(
      { path: `/api/warehouses/items/${item.id}`, method: 'PATCH', body: { version: item.version, name: v.name, spec: v.spec ?? '', category: v.category, unit: v.unit, countUnit: v.countUnit, shelfLifeMonths: v.shelfLifeMonths ?? null } },
      { onSuccess: (r) => { void message.success(t(m.itemSaved, { item: `${r.code} ${itemText(t, r)}` })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title={t(m.editItemTitle, { code: item.code })} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-edit-item"
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t(common.cancel)}</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-edit-item">{t(common.save)}</Button></Space>}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t(m.editItemNotice)} />
      <Form<EditItemValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}
        initialValues={{ name: item.name, spec: item.spec, category: item.category, unit: item.unit, countUnit: item.countUnit, shelfLifeMonths: item.shelfLifeMonths }}>
        <Form.Item label={t(m.itemCode)}><Input value={item.code} disabled /></Form.Item>
        <ItemFields categoryTestId="edit-item-category" />
      </Form>
    </Drawer>
  );
}

type GradeValues = { code?: string; name?: string; sortOrder?: number; criteria?: string[] };

/** 等级: saved by its code — a new code adds a grade, an existing one replaces its name and checklist. */
function GradeDrawer({ grade, onClose }: { grade: Grade | null; onClose: () => void }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const post = usePost<Grade>();
  const [form] = Form.useForm<GradeValues>();
  const submit = (v: GradeValues) =>
    post.mutate(
      { path: '/api/warehouses/grades', body: { code: v.code, name: v.name, sortOrder: v.sortOrder ?? 0, criteria: (v.criteria ?? []).map((c) => c?.trim()).filter((c): c is string => !!c) } },
      { onSuccess: (r) => { void message.success(t(m.gradeSaved, { name: r.name, count: r.criteria.length })); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={640} title={grade ? t(m.editGradeTitle, { name: grade.name }) : t(m.newGrade)} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-grade"
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>{t(common.cancel)}</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-grade">{t(common.save)}</Button></Space>}>
      <Typography.Paragraph type="secondary">{t(m.gradeIntro)}</Typography.Paragraph>
      <Form<GradeValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)} initialValues={grade ? { code: grade.code, name: grade.name, sortOrder: grade.sortOrder, criteria: grade.criteria } : { sortOrder: 0, criteria: [''] }}>
        <Space wrap>
          <Form.Item name="code" label={t(m.gradeCode)} rules={[{ required: true, whitespace: true, message: t(m.gradeCodeRequired) }]}><Input maxLength={20} disabled={!!grade} /></Form.Item>
          <Form.Item name="name" label={t(m.gradeName)} rules={[{ required: true, whitespace: true, message: t(m.gradeNameRequired) }]}><Input maxLength={40} /></Form.Item>
          <Form.Item name="sortOrder" label={t(m.sortOrder)}><InputNumber min={0} max={1000} precision={0} /></Form.Item>
        </Space>
        <Form.List name="criteria">
          {(fields, { add, remove }) => (
            <>
              <Typography.Text strong>{t(m.criteriaList)}</Typography.Text>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }} data-testid={`criterion-${i}`}>
                  <Form.Item name={f.name} rules={[{ max: 200, message: t(m.criterionTooLong) }]} style={{ width: 500 }}>
                    <Input placeholder={t(m.criterionPlaceholder, { n: i + 1 })} maxLength={200} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(m.removeCriterion)} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add('')} data-testid="add-criterion">{t(m.addCriterion)}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

/** 物资目录与等级: the catalogue (standard relief items and the unit's own) and the grade checklists. */
export function CataloguePage() {
  const can = useHasPermission();
  const admin = can('warehouses.admin');
  const { t } = useI18n();
  const items = useItems();
  const grades = useGrades();
  const [addingItem, setAddingItem] = useState(false);
  const [editingItem, setEditingItem] = useState<Item | null>(null);
  const { message } = App.useApp();
  const report = useReportError();
  const toggle = usePost<Item>();
  const setActive = (i: Item, active: boolean) =>
    toggle.mutate(
      { path: `/api/warehouses/items/${i.id}`, method: 'PATCH', body: { version: i.version, active } },
      { onSuccess: (r) => void message.success(t(r.active ? m.itemEnabled : m.itemRetired, { code: r.code, name: r.name })), onError: (e) => report(e) },
    );
  const [gradeDrawer, setGradeDrawer] = useState<{ grade: Grade | null } | null>(null);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t(m.itemCatalogue)} extra={<Space>{admin && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAddingItem(true)} data-testid="new-item">{t(m.newItem)}</Button>}<Link to="/warehouses">{t(m.backToWarehouses)}</Link></Space>}>
        <Table<Item>
          rowKey="id"
          size="small"
          data-testid="items"
          loading={items.isPending}
          dataSource={items.data ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: t(m.code), dataIndex: 'code' },
            { title: t(m.name), dataIndex: 'name' },
            { title: t(m.spec), dataIndex: 'spec', render: (s: string) => s || '—' },
            { title: t(m.category), dataIndex: 'category', render: (c: ItemCategory) => t(categoryLabels[c]) },
            { title: t(m.uom), dataIndex: 'unit' },
            { title: t(m.shelfLife), dataIndex: 'shelfLifeMonths', render: (n: number | null) => (n ? t(n === 1 ? m.shelfLifeMonth : m.shelfLifeMonths, { count: n }) : '—') },
            { title: '', render: (_, i) => <Space size={4}>{i.standard && <Tag color="blue">{t(m.standardItem)}</Tag>}{!admin && !i.active && <Tag>{t(m.statusRetired)}</Tag>}</Space> },
            ...(admin
              ? [
                  { title: t(m.status), render: (_: unknown, i: Item) => <Switch size="small" checked={i.active} checkedChildren={t(m.statusActive)} unCheckedChildren={t(m.statusRetired)} loading={toggle.isPending && toggle.variables?.path.endsWith(i.id)} onChange={(on) => setActive(i, on)} data-testid={`item-active-${i.code}`} /> },
                  { title: '', render: (_: unknown, i: Item) => <Button size="small" onClick={() => setEditingItem(i)} data-testid={`edit-item-${i.code}`}>{t(m.edit)}</Button> },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t(m.gradeList)} extra={admin && <Button icon={<PlusOutlined />} onClick={() => setGradeDrawer({ grade: null })} data-testid="new-grade">{t(m.newGrade)}</Button>}>
        <Table<Grade>
          rowKey="id"
          size="small"
          data-testid="grades"
          loading={grades.isPending}
          dataSource={grades.data ?? []}
          pagination={false}
          columns={[
            { title: t(m.code), dataIndex: 'code' },
            { title: t(m.grade), dataIndex: 'name' },
            { title: t(m.criteria), dataIndex: 'criteria', render: (c: string[]) => (c.length ? <ol style={{ margin: 0, paddingInlineStart: 20 }}>{c.map((x) => <li key={x}>{x}</li>)}</ol> : '—') },
            ...(admin ? [{ title: '', render: (_: unknown, g: Grade) => <Button size="small" onClick={() => setGradeDrawer({ grade: g })} data-testid={`edit-grade-${g.code}`}>{t(m.edit)}</Button> }] : []),
          ]}
        />
      </Card>
      {addingItem && <ItemDrawer onClose={() => setAddingItem(false)} />}
      {editingItem && <EditItemDrawer item={editingItem} onClose={() => setEditingItem(null)} />}
      {gradeDrawer && <GradeDrawer grade={gradeDrawer.grade} onClose={() => setGradeDrawer(null)} />}
    </Space>
  );
}
