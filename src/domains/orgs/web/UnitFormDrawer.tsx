import { App, Button, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { allowedChildKinds, orgKindLabels, type OrgKind, type OrgUnit, type OrgUnitDetail, type UpdateOrgUnit } from '../orgs.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useCreateUnit, useOrgDetail, useUpdateUnit } from './orgs.api.ts';
import { orgsMessages as m } from './orgs.messages.ts';
import { UnitTreeSelect } from './UnitTreeSelect.tsx';

type UnitForm = { name: string; shortName?: string; code?: string; kind: OrgKind; sortOrder?: number | null; parentId?: string };

const CODE = /^[0-9A-Za-z-]{2,32}$/;
const blankToNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** Create a unit under `unit`, or edit `unit` (its name, code, kind, order and place in the tree). */
export function UnitFormDrawer({
  mode,
  unit,
  onClose,
  onCreated,
}: {
  mode: 'create' | 'edit';
  unit: OrgUnitDetail;
  onClose: () => void;
  onCreated: (u: OrgUnit) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const create = useCreateUnit();
  const update = useUpdateUnit();
  const [form] = Form.useForm<UnitForm>();
  const parentId = Form.useWatch('parentId', form) ?? unit.parentId ?? undefined;
  const parent = useOrgDetail(mode === 'edit' && parentId ? parentId : null);

  // The kinds the (new) parent admits; a unit at the top of the jurisdiction keeps its kind.
  let kinds: readonly OrgKind[];
  if (mode === 'create') kinds = allowedChildKinds[unit.kind];
  else if (parent.data) kinds = allowedChildKinds[parent.data.kind].includes(unit.kind) ? allowedChildKinds[parent.data.kind] : [unit.kind, ...allowedChildKinds[parent.data.kind]];
  else kinds = [unit.kind];

  const initialValues: Partial<UnitForm> =
    mode === 'edit'
      ? { name: unit.name, shortName: unit.shortName ?? '', code: unit.code ?? '', kind: unit.kind, sortOrder: unit.sortOrder, parentId: unit.parentId ?? undefined }
      : { kind: kinds.length === 1 ? kinds[0] : undefined };

  const submit = (v: UnitForm) => {
    if (mode === 'create') {
      create.mutate(
        {
          parentId: unit.id,
          name: v.name.trim(),
          kind: v.kind,
          code: blankToNull(v.code),
          shortName: blankToNull(v.shortName),
          ...(v.sortOrder != null ? { sortOrder: v.sortOrder } : {}),
        },
        {
          onSuccess: (created) => {
            void message.success(t(m.unitCreated));
            onCreated(created);
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
      return;
    }
    // Only what changed travels, with the version the user saw (a concurrent change is refused).
    const body: UpdateOrgUnit = { version: unit.version };
    if (v.name.trim() !== unit.name) body.name = v.name.trim();
    if (blankToNull(v.shortName) !== unit.shortName) body.shortName = blankToNull(v.shortName);
    if (blankToNull(v.code) !== unit.code) body.code = blankToNull(v.code);
    if (v.kind !== unit.kind) body.kind = v.kind;
    if (v.sortOrder != null && v.sortOrder !== unit.sortOrder) body.sortOrder = v.sortOrder;
    if (v.parentId && v.parentId !== unit.parentId) body.parentId = v.parentId;
    if (Object.keys(body).length === 1) {
      onClose();
      return;
    }
    update.mutate(
      { id: unit.id, body },
      {
        onSuccess: () => {
          void message.success(t(common.saved));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Drawer
      open
      size={520}
      title={mode === 'create' ? t(m.addChildTitle, { name: unit.name }) : t(m.editUnit)}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => form.submit()}>
            {t(common.save)}
          </Button>
        </Space>
      }
    >
      <Form<UnitForm> form={form} layout="vertical" initialValues={initialValues} onFinish={submit}>
        <Form.Item name="name" label={t(m.name)} rules={[{ required: true, whitespace: true, message: t(m.nameRequired) }, { max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t(m.kind)} rules={[{ required: true, message: t(m.kindRequired) }]}>
          <Select options={kinds.map((k) => ({ value: k, label: t(orgKindLabels[k]) }))} />
        </Form.Item>
        <Form.Item name="shortName" label={t(m.shortName)} rules={[{ max: 30 }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="code" label={t(m.code)} extra={t(m.codeHelp)} rules={[{ pattern: CODE, message: t(m.codeInvalid) }]}>
          <Input maxLength={32} className="boai-mono" />
        </Form.Item>
        <Form.Item name="sortOrder" label={t(m.sortOrder)} extra={t(m.sortOrderHelp)}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: 160 }} />
        </Form.Item>
        {mode === 'edit' && unit.ancestors.length > 0 && (
          <Form.Item name="parentId" label={t(m.parent)} extra={t(m.parentHelp)}>
            <UnitTreeSelect label={unit.ancestors.at(-1)?.name} excludeId={unit.id} />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
