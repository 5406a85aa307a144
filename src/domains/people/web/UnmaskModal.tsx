import { useState } from 'react';
import { Alert, Button, Checkbox, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { UNMASK_FIELDS, type Person } from '../people.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { unmaskPerson, type Unmasked, type UnmaskField } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';

type UnmaskForm = { fields: UnmaskField[]; reason: string };

const fieldLabels = { idNumber: m.idNumber, mobile: m.mobile, birthDate: m.birthDate } as const;

/**
 * 查看完整信息: a reason first, then the full values — in this dialog only. They live in its state
 * and nowhere else (no query cache, no address bar, no storage) and are gone when it closes.
 */
export function UnmaskModal({ person, onClose }: { person: Pick<Person, 'id' | 'name'>; onClose: () => void }) {
  const { t } = useI18n();
  const report = useReportError();
  const [form] = Form.useForm<UnmaskForm>();
  const [values, setValues] = useState<{ fields: UnmaskField[]; data: Unmasked } | null>(null);
  const [pending, setPending] = useState(false);

  const submit = (v: UnmaskForm) => {
    setPending(true);
    unmaskPerson(person.id, v.fields, v.reason.trim())
      .then((data) => setValues({ fields: v.fields, data }))
      .catch((e: unknown) => report(e, form))
      .finally(() => setPending(false));
  };

  return (
    <Modal
      open
      title={`${t(m.unmaskTitle)} · ${person.name}`}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        values ? (
          <Button type="primary" onClick={onClose}>
            {t(common.close)}
          </Button>
        ) : (
          [
            <Button key="cancel" onClick={onClose}>
              {t(common.cancel)}
            </Button>,
            <Button key="ok" type="primary" icon={<EyeOutlined />} loading={pending} onClick={() => form.submit()} data-testid="unmask-submit">
              {t(m.unmaskShow)}
            </Button>,
          ]
        )
      }
    >
      {values ? (
        <div data-testid="unmask-result">
          <Alert type="warning" showIcon title={t(m.unmaskResult)} style={{ marginBottom: 16 }} />
          <Descriptions bordered size="small" column={1}>
            {values.fields.map((f) => (
              <Descriptions.Item key={f} label={t(fieldLabels[f])}>
                {values.data[f] ? (
                  <span className="boai-secret">{values.data[f]}</span>
                ) : (
                  <Typography.Text type="secondary">{t(m.noValue)}</Typography.Text>
                )}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </div>
      ) : (
        <>
          <Alert type="info" showIcon title={t(m.unmaskNotice)} style={{ marginBottom: 16 }} />
          <Form<UnmaskForm> form={form} layout="vertical" initialValues={{ fields: [...UNMASK_FIELDS], reason: '' }} onFinish={submit} autoComplete="off">
            <Form.Item name="fields" label={t(m.unmaskFields)} rules={[{ required: true, type: 'array', min: 1 }]}>
              <Checkbox.Group options={UNMASK_FIELDS.map((f) => ({ value: f, label: t(fieldLabels[f]) }))} />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t(m.unmaskReason)}
              rules={[
                { required: true, whitespace: true, message: t(m.unmaskReasonRequired) },
                { min: 2, message: t(m.unmaskReasonRequired) },
                { max: 200 },
              ]}
            >
              <Input.TextArea rows={3} maxLength={200} showCount placeholder={t(m.unmaskReasonPlaceholder)} data-testid="unmask-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
