import { App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CONSENT_PURPOSES, consentPurposeLabels, type Consent, type PersonDetail } from '../people.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { withNote } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useGiveConsent, useWithdrawConsent } from './people.api.ts';
import { peopleMessages as m } from './people.messages.ts';

type GiveForm = { purpose: Consent['purpose']; scope: string; givenBy: 'self' | 'guardian'; givenAt?: Dayjs | null; evidence?: string };

/** 记录同意. A child under 14 consents through the guardian (the server refuses anything else too). */
export function GiveConsentModal({ person, onClose }: { person: PersonDetail; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const give = useGiveConsent();
  const [form] = Form.useForm<GiveForm>();
  const under14 = person.minor === 'under14';

  const submit = (v: GiveForm) =>
    give.mutate(
      {
        personId: person.id,
        body: {
          purpose: v.purpose,
          scope: v.scope.trim(),
          givenBy: v.givenBy,
          ...(v.givenAt ? { givenAt: v.givenAt.format('YYYY-MM-DD') } : {}),
          evidence: v.evidence?.trim() ? v.evidence.trim() : null,
        },
      },
      {
        onSuccess: () => {
          void message.success(t(m.consentSaved));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <Modal
      open
      title={`${t(m.giveConsent)} · ${person.name}`}
      okText={t(common.save)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={give.isPending}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      <Form<GiveForm>
        form={form}
        layout="vertical"
        initialValues={{ purpose: 'registration', givenBy: under14 || (person.minor === 'under18' && person.guardian) ? 'guardian' : 'self', scope: '' }}
        onFinish={submit}
      >
        <Form.Item name="purpose" label={t(m.purpose)} rules={[{ required: true }]}>
          <Select options={CONSENT_PURPOSES.map((p) => ({ value: p, label: t(consentPurposeLabels[p]) }))} />
        </Form.Item>
        <Form.Item name="scope" label={t(m.scope)} rules={[{ required: true, whitespace: true, message: t(m.scopeRequired) }, { max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t(m.scopePlaceholder)} />
        </Form.Item>
        <Form.Item name="givenBy" label={t(m.givenBy)} extra={under14 ? t(m.guardianOnly) : undefined} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'self', label: t(m.givenBySelf), disabled: under14 },
              { value: 'guardian', label: person.guardian ? withNote(t(m.givenByGuardian), person.guardian.name, lang) : t(m.givenByGuardian), disabled: !person.guardian },
            ]}
          />
        </Form.Item>
        <Form.Item name="givenAt" label={t(m.givenAt)} extra={t(m.givenAtHelp)}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="evidence" label={t(m.evidence)} rules={[{ max: 300 }]}>
          <Input maxLength={300} placeholder={t(m.evidencePlaceholder)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function WithdrawConsentModal({ personId, consent, onClose }: { personId: string; consent: Consent; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const withdraw = useWithdrawConsent();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open
      title={t(m.withdrawTitle, { purpose: t(consentPurposeLabels[consent.purpose]) })}
      okText={t(m.withdraw)}
      okButtonProps={{ danger: true }}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={withdraw.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<{ reason: string }>
        form={form}
        layout="vertical"
        onFinish={(v) =>
          withdraw.mutate(
            { personId, consentId: consent.id, reason: v.reason.trim() },
            {
              onSuccess: () => {
                void message.success(t(m.withdrawn));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item name="reason" label={t(m.withdrawReason)} rules={[{ required: true, whitespace: true, message: t(m.withdrawReasonRequired) }, { max: 300 }]}>
          <Input.TextArea rows={3} maxLength={300} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
