import { Alert, App, Form, Input, Modal } from 'antd';
import type { Person } from '../people.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useErasePerson } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';

type EraseForm = { reason: string; requestRef?: string; confirmName: string };

/**
 * 删除个人信息: irreversible (the data key is destroyed), so the grounds are recorded and the user
 * types the person's name before the button wakes up.
 */
export function EraseModal({ person, onClose }: { person: Pick<Person, 'id' | 'name'>; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const erase = useErasePerson();
  const [form] = Form.useForm<EraseForm>();
  const typed: string | undefined = Form.useWatch('confirmName', form);
  const matches = (typed ?? '').trim() === person.name;

  const submit = (v: EraseForm) =>
    erase.mutate(
      { id: person.id, reason: v.reason.trim(), ...(v.requestRef?.trim() ? { requestRef: v.requestRef.trim() } : {}) },
      {
        onSuccess: () => {
          void message.success(t(m.erased));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <Modal
      open
      title={t(m.eraseTitle, { name: person.name })}
      okText={t(m.eraseButton)}
      okButtonProps={{ danger: true, disabled: !matches }}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={erase.isPending}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={600}
    >
      <Alert type="error" showIcon title={t(m.eraseText)} style={{ marginBottom: 16 }} />
      <Form<EraseForm> form={form} layout="vertical" onFinish={submit} autoComplete="off">
        <Form.Item
          name="reason"
          label={t(m.eraseReason)}
          rules={[{ required: true, whitespace: true, message: t(m.eraseReasonRequired) }, { min: 2, message: t(m.eraseReasonRequired) }, { max: 300 }]}
        >
          <Input.TextArea rows={2} maxLength={300} showCount placeholder={t(m.eraseReasonPlaceholder)} />
        </Form.Item>
        <Form.Item name="requestRef" label={t(m.eraseRequestRef)} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="confirmName"
          label={t(m.eraseConfirmName, { name: person.name })}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                if ((v ?? '').trim() !== person.name) throw new Error(t(m.eraseNameMismatch));
              },
            },
          ]}
        >
          <Input maxLength={60} data-testid="erase-confirm-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
