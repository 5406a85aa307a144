import { useState } from 'react';
import { Alert, App, Button, Col, Drawer, Form, Input, InputNumber, Result, Row, Select, Space, Typography } from 'antd';
import { indicatorKindLabels, type ActualEntry, type EnterActual, type Indicator, type Plan } from '../plan.contract.ts';
import { useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { labelled } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { useEnterActual } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { defaultYear } from './plan.shared.tsx';

type Form = {
  indicatorCode?: string;
  unitId?: string;
  year?: number;
  numerator?: number | null;
  denominator?: number | null;
  rank?: number | null;
  sourceDocument?: string;
  note?: string;
};

export type ActualPrefill = { indicatorCode?: string | undefined; unitId?: string | undefined; unitName?: string | undefined; year?: number | undefined; from?: ActualEntry | undefined };

const numeratorHint = { cumulative: m.numeratorCumulative, end_of_period: m.numeratorEndOfPeriod, annual: m.numeratorAnnual } as const;

/**
 * 人工填报: one figure for an indicator, a unit and a year, with its source. The fields follow the
 * indicator (a denominator only where it is entered with the figure, a rank only where the plan
 * sets one), checked with the server's rules; once saved, the evidence is uploaded right here.
 */
export function ActualFormDrawer({ plan, indicators, prefill, onClose }: { plan: Plan; indicators: Indicator[]; prefill: ActualPrefill; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const me = useMe();
  const save = useEnterActual(plan.id);
  const [form] = Form.useForm<Form>();
  const [saved, setSaved] = useState<ActualEntry | null>(null);
  const code: string | undefined = Form.useWatch('indicatorCode', form) ?? prefill.indicatorCode;
  const ind = indicators.find((i) => i.code === code);
  const withDenominator = ind?.denominator === 'entered';
  const withRank = ind ? ind.rankTarget !== null : false;
  const years: number[] = [];
  for (let y = plan.baseYear; y <= plan.periodEnd; y++) years.push(y);

  const from = prefill.from;
  const initialValues: Form = {
    indicatorCode: prefill.indicatorCode ?? from?.indicatorCode,
    unitId: prefill.unitId ?? from?.unitId ?? me.user.unitId ?? undefined,
    year: prefill.year ?? from?.year ?? defaultYear(plan),
    numerator: from?.numerator ?? null,
    denominator: from?.denominator ?? null,
    rank: from?.rank ?? null,
    sourceDocument: from?.sourceDocument ?? '',
    note: from?.note ?? '',
  };

  const submit = (v: Form) => {
    const body: EnterActual = {
      indicatorCode: v.indicatorCode!,
      unitId: v.unitId!,
      year: v.year!,
      numerator: v.numerator!,
      sourceDocument: (v.sourceDocument ?? '').trim(),
      note: v.note?.trim() ? v.note.trim() : null,
      ...(withDenominator ? { denominator: v.denominator ?? null } : {}),
      ...(withRank ? { rank: v.rank ?? null } : {}),
    };
    save.mutate(body, {
      onSuccess: (entry) => {
        void message.success(t(common.saved));
        setSaved(entry);
      },
      onError: (e) => report(e, form),
    });
  };

  const indicatorName = (c: string) => {
    const i = indicators.find((x) => x.code === c);
    return i ? (lang === 'en' ? i.nameEn : i.nameZh) : c;
  };

  return (
    <Drawer
      open
      size={760}
      title={saved ? t(m.evidenceFor, { indicator: indicatorName(saved.indicatorCode), unit: saved.unitName, year: saved.year }) : t(m.entryTitle)}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="actual-drawer"
      footer={
        saved ? (
          <Space style={{ float: 'right' }}>
            <Button type="primary" onClick={onClose} data-testid="actual-done">
              {t(m.done)}
            </Button>
          </Space>
        ) : (
          <Space style={{ float: 'right' }}>
            <Button onClick={onClose}>{t(common.cancel)}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="actual-save">
              {t(common.save)}
            </Button>
          </Space>
        )
      }
    >
      {saved ? (
        <Space orientation="vertical" size="middle" className="boai-block">
          <Result status="success" title={t(common.saved)} subTitle={t(m.evidenceAfterSave)} className="plan-saved-result" />
          <AttachmentsCard ownerType="plan_actual" ownerId={saved.id} writable />
        </Space>
      ) : (
        <Form<Form> form={form} name="plan-actual" layout="vertical" initialValues={initialValues} onFinish={submit} autoComplete="off" scrollToFirstError>
          <Form.Item name="indicatorCode" label={t(m.indicator)} rules={[{ required: true, message: t(m.indicatorRequired) }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={[
                { label: t(m.categoryHeadline), options: indicators.filter((i) => i.category === 'headline').map((i) => ({ value: i.code, label: indicatorName(i.code) })) },
                { label: t(m.categorySecondary), options: indicators.filter((i) => i.category !== 'headline').map((i) => ({ value: i.code, label: indicatorName(i.code) })) },
              ].filter((g) => g.options.length > 0)}
              data-testid="actual-indicator"
            />
          </Form.Item>
          {ind?.computed && <Alert type="info" showIcon title={t(m.computedNotice)} style={{ marginBottom: 16 }} />}
          <Row gutter={16}>
            <Col span={14}>
              <Form.Item name="unitId" label={t(m.unit)} rules={[{ required: true, message: t(m.unitRequired) }]}>
                <UnitTreeSelect label={prefill.unitName ?? from?.unitName ?? (initialValues.unitId === me.user.unitId ? me.user.unitName : undefined)} />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item name="year" label={t(m.year)} rules={[{ required: true, message: t(m.yearRequired) }]}>
                <Select options={years.map((y) => ({ value: y, label: t(m.yearValue, { year: y }) }))} data-testid="actual-year" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="numerator"
            label={t(m.numeratorWithUnit, { unit: ind?.numeratorUnit ?? '—' })}
            extra={ind ? labelled(t(indicatorKindLabels[ind.kind]), t(numeratorHint[ind.kind]), lang) : undefined}
            rules={[
              { required: true, message: t(m.numeratorRequired) },
              { type: 'number', min: 0, message: t(m.numeratorNegative) },
            ]}
          >
            <InputNumber style={{ width: '100%' }} data-testid="actual-numerator" />
          </Form.Item>
          {withDenominator && (
            <Form.Item
              name="denominator"
              label={t(m.denominatorWithLabel, { label: ind?.description ?? ind?.nameZh ?? '' })}
              rules={[
                { required: true, message: t(m.denominatorRequired) },
                { type: 'number', min: Number.MIN_VALUE, message: t(m.denominatorPositive) },
              ]}
            >
              <InputNumber style={{ width: '100%' }} data-testid="actual-denominator" />
            </Form.Item>
          )}
          {withRank && (
            <Form.Item
              name="rank"
              label={t(m.rankField)}
              extra={t(m.rankHelp, { rank: ind!.rankTarget! })}
              rules={[{ type: 'integer', min: 1, max: 100, message: t(m.rankInvalid) }]}
            >
              <InputNumber style={{ width: '100%' }} precision={0} data-testid="actual-rank" />
            </Form.Item>
          )}
          <Form.Item
            name="sourceDocument"
            label={t(m.sourceDocument)}
            rules={[
              { required: true, whitespace: true, message: t(m.sourceDocumentRequired) },
              { max: 200, message: t(m.sourceDocumentTooLong) },
            ]}
          >
            <Input maxLength={200} placeholder={t(m.sourceDocumentPlaceholder)} data-testid="actual-source" />
          </Form.Item>
          <Form.Item name="note" label={t(m.note)} rules={[{ max: 500 }]}>
            <Input.TextArea maxLength={500} rows={3} showCount />
          </Form.Item>
          <Typography.Text type="secondary">{t(m.actualsHint)}</Typography.Text>
        </Form>
      )}
    </Drawer>
  );
}
