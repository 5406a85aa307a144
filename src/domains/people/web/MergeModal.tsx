import { useState, type ReactNode } from 'react';
import { Alert, App, Form, Input, Modal, Radio, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { idTypeLabels, sexLabels, type Person } from '../people.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime, labelled } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useMergePeople } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';
import { PersonPicker } from './PersonPicker.tsx';
import { AgeCell, Masked } from './PersonTags.tsx';

type MergeForm = { otherId: string; keep: 'current' | 'other'; reason: string };
type Row = { key: string; label: string; current: ReactNode; other: ReactNode };

/**
 * 合并重复人员: the other record is picked by name or by an exact number; the two are shown side by
 * side (masked) and the user chooses which one stays.
 */
export function MergeModal({ person, onClose, onMerged }: { person: Person; onClose: () => void; onMerged: (kept: Person) => void }) {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const merge = useMergePeople();
  const [form] = Form.useForm<MergeForm>();
  const [other, setOther] = useState<Person | undefined>();
  const keep: MergeForm['keep'] = Form.useWatch('keep', form) ?? 'current';

  const submit = (v: MergeForm) => {
    const keepId = v.keep === 'current' ? person.id : v.otherId;
    const mergeId = v.keep === 'current' ? v.otherId : person.id;
    modal.confirm({
      title: t(m.mergeConfirm),
      okText: t(m.mergeButton),
      okButtonProps: { danger: true },
      cancelText: t(common.cancel),
      onOk: () =>
        merge.mutateAsync({ keepId, mergeId, reason: v.reason.trim() }).then(
          (kept) => {
            void message.success(t(m.merged));
            onMerged(kept);
          },
          (e: unknown) => report(e, form),
        ),
    });
  };

  const facts = (p: Person | undefined): Record<string, ReactNode> =>
    p
      ? {
          name: p.name,
          idType: t(idTypeLabels[p.idType]),
          idNumber: <Masked value={p.idNumberMasked} />,
          sex: t(sexLabels[p.sex]),
          age: <AgeCell person={p} />,
          mobile: <Masked value={p.mobileMasked} />,
          unit: p.unitName,
          createdAt: formatDateTime(p.createdAt, lang),
        }
      : {};
  const cur = facts(person);
  const oth = facts(other);
  const rows: Row[] = (
    [
      ['name', m.name],
      ['idType', m.idType],
      ['idNumber', m.idNumberMasked],
      ['sex', m.sex],
      ['age', m.age],
      ['mobile', m.mobileMasked],
      ['unit', m.unit],
      ['createdAt', m.createdAt],
    ] as const
  ).map(([k, label]) => ({ key: k, label: t(label), current: cur[k], other: oth[k] ?? '—' }));
  const columns: TableColumnsType<Row> = [
    { title: '', dataIndex: 'label', width: 120 },
    { title: `${t(m.mergeCurrent)}${keep === 'current' ? ' ✓' : ''}`, dataIndex: 'current' },
    { title: `${t(m.mergeOther)}${keep === 'other' && other ? ' ✓' : ''}`, dataIndex: 'other' },
  ];

  return (
    <Modal
      open
      title={t(m.mergeTitle)}
      okText={t(m.mergeButton)}
      okButtonProps={{ danger: true }}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={merge.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={760}
    >
      <Alert type="info" showIcon title={t(m.mergeIntro)} style={{ marginBottom: 16 }} />
      <Form<MergeForm> form={form} layout="vertical" initialValues={{ keep: 'current', reason: '' }} onFinish={submit} autoComplete="off">
        <Form.Item name="otherId" label={t(m.mergeOther)} rules={[{ required: true, message: t(m.mergeOtherRequired) }]}>
          <PersonPicker excludeId={person.id} placeholder={t(m.mergeOtherPlaceholder)} onChange={(_id, p) => setOther(p)} />
        </Form.Item>
        <Table<Row> rowKey="key" size="small" pagination={false} columns={columns} dataSource={rows} style={{ marginBottom: 16 }} />
        <Form.Item name="keep" label={t(m.mergeKeep)} rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'current', label: labelled(t(m.mergeCurrent), person.name, lang) },
              { value: 'other', label: other ? labelled(t(m.mergeOther), other.name, lang) : t(m.mergeOther), disabled: !other },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t(m.mergeReason)}
          rules={[{ required: true, whitespace: true, message: t(m.mergeReasonRequired) }, { min: 2, message: t(m.mergeReasonRequired) }, { max: 200 }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <Typography.Text type="secondary">{t(common.irreversible)}</Typography.Text>
      </Form>
    </Modal>
  );
}
