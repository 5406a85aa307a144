import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Grade, Item, ItemCategory } from '../warehouses.contract.ts';
import { categoryLabels, ITEM_CATEGORIES } from '../warehouses.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useI18n } from '../../../web/i18n.tsx';
import { whMessages as m } from './warehouses.messages.ts';
import { useGrades, useItems, usePost } from './warehouses.api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { clearErrorsOnChange } from './WarehouseAdmin.tsx';

type ItemValues = { code?: string; name?: string; spec?: string; category?: ItemCategory; unit?: string; countUnit?: boolean; shelfLifeMonths?: number | null };

/** 新增物资: the specification is part of the item's identity (口罩 N95 and 口罩 KN95 are two items). */
function ItemDrawer({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const post = usePost<Item>();
  const [form] = Form.useForm<ItemValues>();
  const submit = (v: ItemValues) =>
    post.mutate(
      { path: '/api/warehouses/items', body: { code: v.code, name: v.name, spec: v.spec ?? '', category: v.category, unit: v.unit, countUnit: v.countUnit ?? true, shelfLifeMonths: v.shelfLifeMonths ?? null } },
      { onSuccess: (r) => { void message.success(`已新增物资：${r.code} ${r.name}${r.spec ? `（${r.spec}）` : ''}`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title="新增物资" onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-item"
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>取消</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-item">保存</Button></Space>}>
      <Form<ItemValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)} initialValues={{ countUnit: true }}>
        <Form.Item name="code" label="物资编码" rules={[{ required: true, message: '请填写物资编码' }, { pattern: /^[0-9A-Za-z-]+$/, message: '物资编码只能用字母、数字和连字符' }]}><Input maxLength={30} /></Form.Item>
        <Form.Item name="name" label="物资名称" rules={[{ required: true, whitespace: true, message: '请填写物资名称' }]}><Input maxLength={40} /></Form.Item>
        <Form.Item name="spec" label="规格型号" extra="规格型号是物资的一部分：同名不同规格（如 N95 与 KN95）是两种物资，同名同规格不能重复登记。"><Input maxLength={80} /></Form.Item>
        <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择物资类别' }]}>
          <Select data-testid="item-category" options={ITEM_CATEGORIES.map((c) => ({ value: c, label: categoryLabels[c].zh }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="unit" label="计量单位" rules={[{ required: true, whitespace: true, message: '请填写计量单位' }]}><Input maxLength={10} placeholder="如 只、床、箱" /></Form.Item>
          <Form.Item name="shelfLifeMonths" label="保质期（月，可不填）"><InputNumber min={1} max={600} precision={0} /></Form.Item>
        </Space>
        <Form.Item name="countUnit" label="计数方式">
          <Radio.Group options={[{ value: true, label: '按件计数（数量须为整数）' }, { value: false, label: '可有小数（如 千克、升）' }]} />
        </Form.Item>
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
  const report = useReportError();
  const post = usePost<Item>();
  const [form] = Form.useForm<EditItemValues>();
  const submit = (v: EditItemValues) =>
    post.mutate(
      { path: `/api/warehouses/items/${item.id}`, method: 'PATCH', body: { version: item.version, name: v.name, spec: v.spec ?? '', category: v.category, unit: v.unit, countUnit: v.countUnit, shelfLifeMonths: v.shelfLifeMonths ?? null } },
      { onSuccess: (r) => { void message.success(`已保存物资：${r.code} ${r.name}${r.spec ? `（${r.spec}）` : ''}`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={560} title={`修改物资 · ${item.code}`} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-edit-item"
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>取消</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-edit-item">保存</Button></Space>}>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title="已有入库批次或盘点记录的物资，规格型号、计量单位和计数方式不能再修改；不同规格请新增物资。名称、类别、保质期可随时修改。" />
      <Form<EditItemValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)}
        initialValues={{ name: item.name, spec: item.spec, category: item.category, unit: item.unit, countUnit: item.countUnit, shelfLifeMonths: item.shelfLifeMonths }}>
        <Form.Item label="物资编码"><Input value={item.code} disabled /></Form.Item>
        <Form.Item name="name" label="物资名称" rules={[{ required: true, whitespace: true, message: '请填写物资名称' }]}><Input maxLength={40} /></Form.Item>
        <Form.Item name="spec" label="规格型号"><Input maxLength={80} /></Form.Item>
        <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择物资类别' }]}>
          <Select data-testid="edit-item-category" options={ITEM_CATEGORIES.map((c) => ({ value: c, label: categoryLabels[c].zh }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="unit" label="计量单位" rules={[{ required: true, whitespace: true, message: '请填写计量单位' }]}><Input maxLength={10} /></Form.Item>
          <Form.Item name="shelfLifeMonths" label="保质期（月，可不填）"><InputNumber min={1} max={600} precision={0} /></Form.Item>
        </Space>
        <Form.Item name="countUnit" label="计数方式">
          <Radio.Group options={[{ value: true, label: '按件计数（数量须为整数）' }, { value: false, label: '可有小数（如 千克、升）' }]} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type GradeValues = { code?: string; name?: string; sortOrder?: number; criteria?: string[] };

/** 等级: saved by its code — a new code adds a grade, an existing one replaces its name and checklist. */
function GradeDrawer({ grade, onClose }: { grade: Grade | null; onClose: () => void }) {
  const { message } = App.useApp();
  const report = useReportError();
  const post = usePost<Grade>();
  const [form] = Form.useForm<GradeValues>();
  const submit = (v: GradeValues) =>
    post.mutate(
      { path: '/api/warehouses/grades', body: { code: v.code, name: v.name, sortOrder: v.sortOrder ?? 0, criteria: (v.criteria ?? []).map((c) => c?.trim()).filter((c): c is string => !!c) } },
      { onSuccess: (r) => { void message.success(`已保存等级：${r.name}（${r.criteria.length} 项评定标准）`); onClose(); }, onError: (e) => report(e, form) },
    );
  return (
    <Drawer open size={640} title={grade ? `修改等级 · ${grade.name}` : '新增等级'} onClose={onClose} destroyOnHidden mask={{ closable: false }} data-testid="drawer-grade"
      footer={<Space style={{ float: 'right' }}><Button onClick={onClose}>取消</Button><Button type="primary" loading={post.isPending} onClick={() => form.submit()} data-testid="save-grade">保存</Button></Space>}>
      <Typography.Paragraph type="secondary">国家仓库等级评定办法原文暂缺，评定标准以清单配置；仓库按清单勾选已达到的项目。修改清单后，各仓库已勾选但被删除的项目不再计入达标数。</Typography.Paragraph>
      <Form<GradeValues> form={form} layout="vertical" onFinish={submit} onValuesChange={clearErrorsOnChange(form)} initialValues={grade ? { code: grade.code, name: grade.name, sortOrder: grade.sortOrder, criteria: grade.criteria } : { sortOrder: 0, criteria: [''] }}>
        <Space wrap>
          <Form.Item name="code" label="等级编码" rules={[{ required: true, whitespace: true, message: '请填写等级编码' }]}><Input maxLength={20} disabled={!!grade} /></Form.Item>
          <Form.Item name="name" label="等级名称" rules={[{ required: true, whitespace: true, message: '请填写等级名称' }]}><Input maxLength={40} /></Form.Item>
          <Form.Item name="sortOrder" label="排序"><InputNumber min={0} max={1000} precision={0} /></Form.Item>
        </Space>
        <Form.List name="criteria">
          {(fields, { add, remove }) => (
            <>
              <Typography.Text strong>评定标准清单</Typography.Text>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" style={{ display: 'flex' }} data-testid={`criterion-${i}`}>
                  <Form.Item name={f.name} rules={[{ max: 200, message: '评定标准不超过 200 个字' }]} style={{ width: 500 }}>
                    <Input placeholder={`第 ${i + 1} 项`} maxLength={200} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除此项" />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add('')} data-testid="add-criterion">添加一项</Button>
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
      { onSuccess: (r) => void message.success(r.active ? `已启用：${r.code} ${r.name}` : `已停用：${r.code} ${r.name}（现有库存保留，可继续出库）`), onError: (e) => report(e) },
    );
  const [gradeDrawer, setGradeDrawer] = useState<{ grade: Grade | null } | null>(null);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t(m.itemCatalogue)} extra={<Space>{admin && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAddingItem(true)} data-testid="new-item">{t(m.newItem)}</Button>}<Link to="/warehouses">返回仓库列表</Link></Space>}>
        <Table<Item>
          rowKey="id"
          size="small"
          data-testid="items"
          loading={items.isPending}
          dataSource={items.data ?? []}
          pagination={{ pageSize: 50 }}
          columns={[
            { title: '编码', dataIndex: 'code' },
            { title: '名称', dataIndex: 'name' },
            { title: '规格型号', dataIndex: 'spec', render: (s: string) => s || '—' },
            { title: '类别', dataIndex: 'category', render: (c: ItemCategory) => categoryLabels[c].zh },
            { title: '单位', dataIndex: 'unit' },
            { title: '保质期', dataIndex: 'shelfLifeMonths', render: (m: number | null) => (m ? `${m} 个月` : '—') },
            { title: '', render: (_, i) => <Space size={4}>{i.standard && <Tag color="blue">标准物资</Tag>}{!admin && !i.active && <Tag>停用</Tag>}</Space> },
            ...(admin
              ? [
                  { title: '状态', render: (_: unknown, i: Item) => <Switch size="small" checked={i.active} checkedChildren="在用" unCheckedChildren="停用" loading={toggle.isPending && toggle.variables?.path.endsWith(i.id)} onChange={(on) => setActive(i, on)} data-testid={`item-active-${i.code}`} /> },
                  { title: '', render: (_: unknown, i: Item) => <Button size="small" onClick={() => setEditingItem(i)} data-testid={`edit-item-${i.code}`}>修改</Button> },
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
            { title: '编码', dataIndex: 'code' },
            { title: '等级', dataIndex: 'name' },
            { title: '评定标准', dataIndex: 'criteria', render: (c: string[]) => (c.length ? <ol style={{ margin: 0, paddingInlineStart: 20 }}>{c.map((x) => <li key={x}>{x}</li>)}</ol> : '—') },
            ...(admin ? [{ title: '', render: (_: unknown, g: Grade) => <Button size="small" onClick={() => setGradeDrawer({ grade: g })} data-testid={`edit-grade-${g.code}`}>修改</Button> }] : []),
          ]}
        />
      </Card>
      {addingItem && <ItemDrawer onClose={() => setAddingItem(false)} />}
      {editingItem && <EditItemDrawer item={editingItem} onClose={() => setEditingItem(null)} />}
      {gradeDrawer && <GradeDrawer grade={gradeDrawer.grade} onClose={() => setGradeDrawer(null)} />}
    </Space>
  );
}
