import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Drawer, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { CHANNELS, channelLabels, DESIGNATIONS, designationLabels, type CreateDonation, type CreateDonor, type Donation, type Donor } from '../donations.contract.ts';
import { parseCreditCode } from '../../../platform/validators.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { PersonPicker } from '../../people/web/PersonPicker.tsx';
import { useCreateDonation, useCreateDonor } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { GoodsLinesField, unitValueFen, type GoodsFormLine } from './GoodsLinesField.tsx';
import { AmountWords, DateInput, DonorSelect, fenOf, ProjectSelect, Section, todayShanghai, yuanRules } from './donations.shared.tsx';

type ReceiptMode = 'issued' | 'later' | 'anonymous' | 'declined';
type GiftKind = 'money' | 'goods' | 'both';
type DonationForm = {
  donorId?: string;
  receivedOn?: string;
  channel?: CreateDonation['channel'];
  giftKind: GiftKind;
  amount?: string;
  warehouseId?: string;
  goods?: GoodsFormLine[];
  designation: CreateDonation['designation'];
  projectId?: string;
  beneficiary?: string;
  purpose?: string;
  receiptMode: ReceiptMode;
  receiptNo?: string;
  waiverNote?: string;
  note?: string;
};
type DonorForm = { kind: CreateDonor['kind']; personId?: string; orgName?: string; creditCode?: string; contactName?: string; publicConsent?: boolean };

const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

/**
 * 新建捐赠人, inside the donation drawer: a person from the people registry, an organisation with
 * its credit code checked as typed (GB 32100), or anonymous. Its own form, not nested in the outer one.
 */
function DonorCreateCard({ onCreated, onCancel }: { onCreated: (d: Donor) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const create = useCreateDonor();
  const [form] = Form.useForm<DonorForm>();
  const kind: DonorForm['kind'] = Form.useWatch('kind', form) ?? 'organisation';

  const submit = (v: DonorForm) => {
    const body: CreateDonor = {
      kind: v.kind,
      publicConsent: v.kind === 'anonymous' ? false : !!v.publicConsent,
      ...(v.kind === 'person' ? { personId: v.personId } : {}),
      ...(v.kind === 'organisation' ? { orgName: blank(v.orgName), creditCode: blank(v.creditCode)?.toUpperCase() } : {}),
      ...(v.kind !== 'anonymous' && blank(v.contactName) ? { contactName: blank(v.contactName) } : {}),
    };
    create.mutate(body, {
      onSuccess: (d) => {
        void message.success(t(m.donorSaved, { name: d.name }));
        onCreated(d);
      },
      onError: (e) => report(e, form),
    });
  };

  return (
    <Card size="small" title={t(m.donorNewTitle)} className="don-inline-card" data-testid="donor-create">
      <Form<DonorForm> form={form} component={false} layout="vertical" name="donor-create" initialValues={{ kind: 'organisation', publicConsent: true }} onFinish={submit}>
        <Form.Item name="kind" label={t(m.donorKind)} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'organisation', label: t(m.kindOrganisation) },
              { value: 'person', label: t(m.kindPerson) },
              { value: 'anonymous', label: t(m.kindAnonymous) },
            ]}
            data-testid="donor-kind"
          />
        </Form.Item>
        {kind === 'person' && (
          <Form.Item name="personId" label={t(m.donorPerson)} rules={[{ required: true, message: t(m.donorPersonRequired) }]}>
            <PersonPicker placeholder={t(m.donorPersonPlaceholder)} />
          </Form.Item>
        )}
        {kind === 'organisation' && (
          <>
            <Form.Item name="orgName" label={t(m.orgName)} validateTrigger={['onChange', 'onBlur']} rules={[{ required: true, whitespace: true, message: t(m.orgNameRequired) }, { max: 100 }]}>
              <Input maxLength={100} data-testid="donor-org-name" />
            </Form.Item>
            <Form.Item
              name="creditCode"
              label={t(m.creditCode)}
              extra={t(m.creditCodeHelp)}
              validateTrigger={['onChange', 'onBlur']}
              rules={[
                {
                  validator: (_r, v: string | undefined) => (!v || !v.trim() || parseCreditCode(v).ok ? Promise.resolve() : Promise.reject(new Error(t(m.creditCodeInvalid)))),
                },
              ]}
            >
              <Input maxLength={24} className="boai-mono" data-testid="donor-credit-code" />
            </Form.Item>
          </>
        )}
        {kind !== 'anonymous' ? (
          <>
            <Form.Item name="contactName" label={t(m.contactName)} rules={[{ max: 50 }]}>
              <Input maxLength={50} data-testid="donor-contact" />
            </Form.Item>
            <Form.Item name="publicConsent" valuePropName="checked" extra={t(m.publicConsentHelp)}>
              <Checkbox>{t(m.publicConsent)}</Checkbox>
            </Form.Item>
          </>
        ) : (
          <Alert type="info" showIcon title={t(m.anonymousHelp)} style={{ marginBottom: 12 }} />
        )}
        <Space>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="donor-save">
            {t(m.donorSave)}
          </Button>
          <Button onClick={onCancel}>{t(common.cancel)}</Button>
        </Space>
      </Form>
    </Card>
  );
}

/** The donor select with its 新建捐赠人 button, as one form field. */
function DonorField({ value, onChange, id, extra, placeholder, adding, onAdd }: { value?: string; onChange?: (v: string | undefined) => void; id?: string; extra?: Donor; placeholder?: string; adding: boolean; onAdd: () => void }) {
  const { t } = useI18n();
  return (
    <Space.Compact style={{ width: '100%' }}>
      <DonorSelect id={id} value={value} onChange={onChange} extra={extra} placeholder={placeholder} />
      <Button icon={<PlusOutlined />} onClick={onAdd} disabled={adding} data-testid="donor-new">
        {t(m.donorNew)}
      </Button>
    </Space.Compact>
  );
}

/** 登记捐赠: a draft gift in sections; confirmed later on its own page once the money is in. */
export function DonationFormDrawer({ onClose, onSaved }: { onClose: () => void; onSaved: (d: Donation) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const create = useCreateDonation();
  const [form] = Form.useForm<DonationForm>();
  // One key per form: a retry after a lost answer replays instead of recording the gift twice;
  // a refused attempt releases it on the server, so the corrected form reuses it.
  const [key] = useState(newIdempotencyKey);
  const [addingDonor, setAddingDonor] = useState(false);
  const [newDonor, setNewDonor] = useState<Donor | undefined>();
  const designation: DonationForm['designation'] = Form.useWatch('designation', form) ?? 'unrestricted';
  const receiptMode: ReceiptMode = Form.useWatch('receiptMode', form) ?? 'issued';
  const amount: string | undefined = Form.useWatch('amount', form);
  const giftKind: GiftKind = Form.useWatch('giftKind', form) ?? 'money';
  const withMoney = giftKind !== 'goods';
  const withGoods = giftKind !== 'money';

  const submit = (v: DonationForm) => {
    const body: CreateDonation = {
      donorId: v.donorId!,
      receivedOn: v.receivedOn!,
      channel: v.channel!,
      ...(v.giftKind !== 'goods' ? { amountFen: fenOf(v.amount) } : {}),
      ...(v.giftKind !== 'money'
        ? {
            warehouseId: v.warehouseId,
            goods: (v.goods ?? []).map((l) => ({ itemId: l.itemId!, quantity: l.quantity!, unitValueFen: unitValueFen(l.unitValue) ?? 0, expiryDate: l.expiryDate ?? null })),
          }
        : {}),
      designation: v.designation,
      ...(v.designation === 'project' ? { projectId: v.projectId } : {}),
      ...(v.designation === 'beneficiary' ? { beneficiary: blank(v.beneficiary) } : {}),
      purpose: blank(v.purpose) ?? null,
      ...(v.receiptMode === 'issued' ? { receiptNo: blank(v.receiptNo) } : {}),
      ...(v.receiptMode === 'anonymous' || v.receiptMode === 'declined' ? { receiptWaiver: v.receiptMode, waiverNote: blank(v.waiverNote) ?? null } : {}),
      note: blank(v.note) ?? null,
    };
    create.mutate(
      { body, key },
      {
        onSuccess: (d) => {
          void message.success(t(m.created, { number: d.number }));
          onSaved(d);
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Drawer
      open
      size={760}
      title={t(m.drawerTitle)}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="donation-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="donation-save">
            {t(common.save)}
          </Button>
        </Space>
      }
    >
      <Form<DonationForm>
        form={form}
        name="donation"
        layout="vertical"
        autoComplete="off"
        scrollToFirstError
        initialValues={{ receivedOn: todayShanghai(), channel: 'bank_transfer', giftKind: 'money', designation: 'unrestricted', receiptMode: 'issued' }}
        onFinish={submit}
      >
        <Section title={t(m.donorSection)}>
          <Form.Item name="donorId" label={t(m.donorPick)} rules={[{ required: true, message: t(m.donorRequired) }]}>
            <DonorField extra={newDonor} placeholder={t(m.donorPickPlaceholder)} adding={addingDonor} onAdd={() => setAddingDonor(true)} />
          </Form.Item>
          {addingDonor && (
            <DonorCreateCard
              onCancel={() => setAddingDonor(false)}
              onCreated={(d) => {
                setNewDonor(d);
                setAddingDonor(false);
                form.setFieldValue('donorId', d.id);
                void form.validateFields(['donorId']);
                if (d.kind === 'anonymous') form.setFieldValue('receiptMode', 'anonymous');
              }}
            />
          )}
        </Section>

        <Section title={t(m.giftSection)}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="receivedOn" label={t(m.receivedOn)} rules={[{ required: true, message: t(m.receivedOnRequired) }]}>
                <DateInput testId="donation-received-on" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="channel" label={t(m.channel)} rules={[{ required: true, message: t(m.channelRequired) }]}>
                <Select options={CHANNELS.map((c) => ({ value: c, label: t(channelLabels[c]) }))} data-testid="donation-channel" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="giftKind" label={t(m.giftKind)}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'money', label: t(m.giftKindMoney) },
                { value: 'goods', label: t(m.giftKindGoods) },
                { value: 'both', label: t(m.giftKindBoth) },
              ]}
              onChange={(e) => {
                if (e.target.value !== 'money' && !(form.getFieldValue('goods') as GoodsFormLine[] | undefined)?.length) form.setFieldValue('goods', [{}]);
              }}
              data-testid="donation-gift-kind"
            />
          </Form.Item>
          {withMoney && (
            <Form.Item name="amount" label={t(m.amountYuan)} validateTrigger={['onChange', 'onBlur']} rules={yuanRules(t)} extra={<AmountWords value={amount} />}>
              <Input prefix="¥" suffix={t({ zh: '元', en: 'yuan' })} inputMode="decimal" placeholder={t(m.amountPlaceholder)} maxLength={20} data-testid="donation-amount" />
            </Form.Item>
          )}
        </Section>

        {withGoods && (
          <Section title={t(m.goodsSection)}>
            <GoodsLinesField form={form} />
          </Section>
        )}

        <Section title={t(m.useSection)}>
          <Form.Item name="designation" label={t(m.designation)} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={DESIGNATIONS.map((d) => ({ value: d, label: t(designationLabels[d]) }))} data-testid="donation-designation" />
          </Form.Item>
          {designation === 'project' && (
            <Form.Item name="projectId" label={t(m.projectPick)} rules={[{ required: true, message: t(m.projectRequired) }]}>
              <ProjectSelect fundraisingOnly placeholder={t(m.projectPlaceholder)} testId="donation-project" />
            </Form.Item>
          )}
          {designation === 'beneficiary' && (
            <>
              <Form.Item name="beneficiary" label={t(m.beneficiary)} rules={[{ required: true, whitespace: true, message: t(m.beneficiaryRequired) }, { max: 100 }]}>
                <Input maxLength={100} placeholder={t(m.beneficiaryPlaceholder)} data-testid="donation-beneficiary" />
              </Form.Item>
              <Alert type="warning" showIcon title={t(m.letterNotice)} style={{ marginBottom: 16 }} />
            </>
          )}
          <Form.Item name="purpose" label={t(m.purpose)} rules={[{ max: 200 }]}>
            <Input maxLength={200} data-testid="donation-purpose" />
          </Form.Item>
        </Section>

        <Section title={t(m.receiptSection)}>
          <Form.Item name="receiptMode" label={t(m.receiptMode)}>
            <Radio.Group
              options={[
                { value: 'issued', label: t(m.receiptModeIssued) },
                { value: 'later', label: t(m.receiptModeLater) },
                { value: 'anonymous', label: t(m.receiptModeAnonymous) },
                { value: 'declined', label: t(m.receiptModeDeclined) },
              ]}
              data-testid="donation-receipt-mode"
            />
          </Form.Item>
          {receiptMode === 'issued' && (
            <Form.Item name="receiptNo" label={t(m.receiptNo)} rules={[{ required: true, whitespace: true, message: t(m.receiptNoRequired) }, { max: 40 }]}>
              <Input maxLength={40} className="boai-mono" data-testid="donation-receipt-no" />
            </Form.Item>
          )}
          {(receiptMode === 'anonymous' || receiptMode === 'declined') && (
            <Form.Item name="waiverNote" label={t(m.waiverNote)} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t(m.note)} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
        </Section>
        <Typography.Text type="secondary">{t(m.draftHint)}</Typography.Text>
      </Form>
    </Drawer>
  );
}
