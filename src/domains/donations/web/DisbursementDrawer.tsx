import { useState } from 'react';
import { Alert, App, Button, Col, Drawer, Form, Input, Radio, Row, Select, Space, Tag } from 'antd';
import type { CreateDisbursement, Fund } from '../donations.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { PersonPicker } from '../../people/web/PersonPicker.tsx';
import { useSubmitDisbursement } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { AmountWords, DateInput, fenOf, todayShanghai, useUnitNames, yuanRules } from './donations.shared.tsx';
import { FUND_KIND } from './fund-kinds.ts';
import { formatMoney, formatYuan } from './money.ts';

type DisbursementForm = {
  fundId?: string;
  category: 'aid' | 'management';
  beneficiaryKind: 'person' | 'organisation';
  personId?: string;
  orgName?: string;
  amount?: string;
  paidOn?: string;
  paidFrom: 'bank' | 'cash';
  purpose?: string;
};

/** 提交拨付申请: money out of a fund to a beneficiary, waiting for someone else's approval. */
export function DisbursementDrawer({ funds, fundId, onClose }: { funds: Fund[]; fundId?: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const submitIt = useSubmitDisbursement();
  const [form] = Form.useForm<DisbursementForm>();
  const [key] = useState(newIdempotencyKey);
  const chosen: string | undefined = Form.useWatch('fundId', form) ?? fundId;
  const kind: DisbursementForm['beneficiaryKind'] = Form.useWatch('beneficiaryKind', form) ?? 'organisation';
  const amount: string | undefined = Form.useWatch('amount', form);
  const fund = funds.find((f) => f.id === chosen);
  const units = useUnitNames(funds.map((f) => f.unitId));

  const submit = (v: DisbursementForm) => {
    const body: CreateDisbursement = {
      fundId: v.fundId!,
      category: v.category,
      beneficiaryKind: v.beneficiaryKind,
      ...(v.beneficiaryKind === 'person' ? { personId: v.personId } : { orgName: v.orgName?.trim() }),
      amountFen: fenOf(v.amount),
      paidOn: v.paidOn!,
      paidFrom: v.paidFrom,
      purpose: v.purpose!.trim(),
    };
    submitIt.mutate(
      { body, key },
      {
        onSuccess: () => {
          void message.success(t(m.submitted));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Drawer
      open
      size={680}
      title={t(m.disbursementTitle)}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="disbursement-drawer"
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={submitIt.isPending} onClick={() => form.submit()} data-testid="disbursement-save">
            {t(common.submit)}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon title={t(m.makerCheckerHint)} style={{ marginBottom: 16 }} />
      <Form<DisbursementForm>
        form={form}
        layout="vertical"
        name="disbursement"
        autoComplete="off"
        scrollToFirstError
        initialValues={{ fundId, category: 'aid', beneficiaryKind: 'organisation', paidOn: todayShanghai(), paidFrom: 'bank' }}
        onFinish={submit}
        onValuesChange={(changed: Partial<DisbursementForm>) => {
          // The cap follows the fund: a typed amount is checked again against the new balance.
          if (changed.fundId && form.getFieldValue('amount')) void form.validateFields(['amount']);
        }}
      >
        <Form.Item name="fundId" label={t(m.fund)} rules={[{ required: true, message: t(m.fundRequired) }]} extra={fund ? t(m.available, { amount: formatYuan(fund.balanceFen) }) : undefined}>
          <Select
            showSearch={{ optionFilterProp: 'title' }}
            options={funds.map((f) => ({
              value: f.id,
              title: `${units.get(f.unitId) ?? ''} ${f.name}`,
              disabled: f.balanceFen <= 0,
              label: (
                <Space size={6}>
                  <Tag color={FUND_KIND[f.kind].color}>{t(FUND_KIND[f.kind].label)}</Tag>
                  <span>{units.get(f.unitId)}</span>
                  <span>{f.name}</span>
                  <span className="don-money">{formatMoney(f.balanceFen)}</span>
                </Space>
              ),
            }))}
            data-testid="disbursement-fund"
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="category" label={t(m.category)}>
              <Radio.Group optionType="button" options={[{ value: 'aid', label: t(m.categoryAid) }, { value: 'management', label: t(m.categoryManagement) }]} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="beneficiaryKind" label={t(m.beneficiaryKind)}>
              <Radio.Group
                optionType="button"
                options={[{ value: 'organisation', label: t(m.beneficiaryOrganisation) }, { value: 'person', label: t(m.beneficiaryPerson) }]}
                data-testid="disbursement-beneficiary-kind"
              />
            </Form.Item>
          </Col>
        </Row>
        {kind === 'person' ? (
          <Form.Item name="personId" label={t(m.beneficiaryPersonPick)} rules={[{ required: true, message: t(m.beneficiaryPersonRequired) }]}>
            <PersonPicker placeholder={t(m.donorPersonPlaceholder)} />
          </Form.Item>
        ) : (
          <Form.Item name="orgName" label={t(m.beneficiaryOrg)} rules={[{ required: true, whitespace: true, message: t(m.beneficiaryOrgRequired) }, { max: 100 }]}>
            <Input maxLength={100} data-testid="disbursement-org" />
          </Form.Item>
        )}
        <Form.Item name="amount" label={t(m.amountYuan)} validateTrigger={['onChange', 'onBlur']} rules={yuanRules(t, fund?.balanceFen)} extra={<AmountWords value={amount} />}>
          <Input prefix="¥" inputMode="decimal" maxLength={20} data-testid="disbursement-amount" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="paidOn" label={t(m.paidOn)} rules={[{ required: true, message: t(m.paidOnRequired) }]}>
              <DateInput />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="paidFrom" label={t(m.paidFrom)}>
              <Radio.Group optionType="button" options={[{ value: 'bank', label: t(m.paidFromBank) }, { value: 'cash', label: t(m.paidFromCash) }]} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="purpose" label={t(m.disbPurpose)} rules={[{ required: true, whitespace: true, message: t(m.disbPurposeRequired) }, { max: 300 }]}>
          <Input.TextArea rows={3} maxLength={300} showCount data-testid="disbursement-purpose" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
