import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Typography } from 'antd';
import { TARGET_BASES, targetBasisLabels, type Indicator, type PlanDetail, type SaveTarget, type TargetBasis } from '../plan.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { labelled } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { useSaveBreakdown, useSaveTarget } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { fmtNum, periodYears } from './plan.shared.tsx';

type TargetForm = { indicatorCode?: string; unitId?: string; year?: number | 'none'; basis?: TargetBasis; value?: number | null; statedTotal?: boolean; source?: string; note?: string };
export type TargetPrefill = { indicatorCode?: string | undefined; unitId?: string | undefined; unitName?: string | undefined; year?: number | null | undefined; basis?: TargetBasis | null | undefined; source?: string | null | undefined };

/** 新增目标行: a row of 表3/表4 the plan's tables left out (a county without a row), or a corrected one. */
export function TargetModal({ plan, prefill, onClose }: { plan: PlanDetail; prefill: TargetPrefill; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const save = useSaveTarget(plan.id);
  const [form] = Form.useForm<TargetForm>();
  const years = [plan.baseYear, ...periodYears(plan)];

  const submit = (v: TargetForm) => {
    const body: SaveTarget = {
      indicatorCode: v.indicatorCode!,
      unitId: v.unitId!,
      year: v.year === 'none' || v.year === undefined ? null : v.year,
      basis: v.basis!,
      value: v.value!,
      statedTotal: v.statedTotal ?? false,
      source: v.source?.trim() ? v.source.trim() : null,
      note: v.note?.trim() ? v.note.trim() : null,
    };
    save.mutate(body, {
      onSuccess: () => {
        void message.success(t(common.saved));
        onClose();
      },
      onError: (e) => report(e, form),
    });
  };

  return (
    <Modal
      open
      width={640}
      title={t(m.targetTitle)}
      okText={t(common.save)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="target-modal"
    >
      <Form<TargetForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          indicatorCode: prefill.indicatorCode,
          unitId: prefill.unitId,
          year: prefill.year === undefined ? undefined : prefill.year === null ? 'none' : prefill.year,
          basis: prefill.basis ?? 'value',
          statedTotal: false,
          source: prefill.source ?? '',
        }}
      >
        <Form.Item name="indicatorCode" label={t(m.indicator)} rules={[{ required: true, message: t(m.indicatorRequired) }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={plan.indicators.map((i) => ({ value: i.code, label: lang === 'en' ? i.nameEn : i.nameZh }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item name="unitId" label={t(m.unit)} rules={[{ required: true, message: t(m.unitRequired) }]}>
              <UnitTreeSelect label={prefill.unitName} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="year" label={t(m.year)} rules={[{ required: true, message: t(m.yearRequired) }]}>
              <Select options={[{ value: 'none', label: t(m.wholePeriod) }, ...years.map((y) => ({ value: y, label: t(m.yearValue, { year: y }) }))]} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="basis" label={t(m.basis)} rules={[{ required: true, message: t(m.basisRequired) }]}>
              <Select options={TARGET_BASES.map((b) => ({ value: b, label: t(targetBasisLabels[b]) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="value" label={t(m.value)} rules={[{ required: true, message: t(m.valueRequired) }]}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="statedTotal" valuePropName="checked" extra={t(m.statedTotalHelp)}>
          <Checkbox>{t(m.statedTotal)}</Checkbox>
        </Form.Item>
        <Row gutter={16}>
          <Col span={10}>
            <Form.Item name="source" label={t(m.source)} rules={[{ max: 100 }]}>
              <Input maxLength={100} placeholder="表3" />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item name="note" label={t(m.note)} rules={[{ max: 500 }]}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/** An even split of `total` over `n` years, in whole units where the total is whole; the last year takes the rest. */
export function evenSplit(total: number, n: number): number[] {
  if (n <= 0) return [];
  const whole = Number.isInteger(total);
  const each = whole ? Math.floor(total / n) : Math.round((total / n) * 100) / 100;
  const out = Array.from({ length: n }, () => each);
  out[n - 1] = Math.round((total - each * (n - 1)) * 100) / 100;
  return out;
}

/**
 * What the split should add up to for a unit: for an absolute indicator its value row for the
 * period (no year, or the last year), else the plan's figure for the owner unit; for a ratio the
 * server checks no sum, and a year-end count row of the unit (表3/表4) only seeds the suggestion.
 */
function periodTarget(plan: PlanDetail, ind: Indicator, unitId: string): { value: number | null; binding: boolean } {
  const atEnd = (basis: TargetBasis) => plan.targets.find((x) => x.indicatorCode === ind.code && x.unitId === unitId && x.basis === basis && (x.year === null || x.year === plan.periodEnd));
  if (ind.denominator === 'none') return { value: atEnd('value')?.value ?? (unitId === plan.ownerUnitId ? ind.target : null), binding: true };
  return { value: atEnd('count')?.value ?? null, binding: false };
}

function startValues(plan: PlanDetail, ind: Indicator, unitId: string, years: number[]): number[] {
  const ex = new Map(plan.targets.filter((x) => x.indicatorCode === ind.code && x.unitId === unitId && x.basis === 'addition' && x.year !== null).map((x) => [x.year!, x.value]));
  const tg = periodTarget(plan, ind, unitId).value;
  const sg = tg === null ? years.map(() => 0) : evenSplit(tg, years.length);
  return years.map((y, i) => ex.get(y) ?? sg[i] ?? 0);
}

/** 逐年分解: planned additions per year of a cumulative indicator for one unit, an even split suggested. */
export function BreakdownModal({ plan, indicator, onClose }: { plan: PlanDetail; indicator: Indicator; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const save = useSaveBreakdown(plan.id);
  const years = periodYears(plan);
  const [unitId, setUnitId] = useState<string>(plan.ownerUnitId);
  const { value: target, binding } = periodTarget(plan, indicator, unitId);
  const [values, setValues] = useState<number[]>(() => startValues(plan, indicator, plan.ownerUnitId, years));
  const [note, setNote] = useState('');
  const sum = Math.round(values.reduce((s, v) => s + (v ?? 0), 0) * 1e6) / 1e6;
  const mismatch = binding && target !== null && Math.abs(sum - target) > 1e-6;

  const changeUnit = (id: string | undefined) => {
    if (!id) return;
    setUnitId(id);
    setValues(startValues(plan, indicator, id, years));
  };

  const submit = () =>
    save.mutate(
      { code: indicator.code, body: { unitId, years: years.map((y, i) => ({ year: y, value: values[i] ?? 0 })), note: note.trim() || null } },
      {
        onSuccess: () => {
          void message.success(t(m.breakdownSaved));
          onClose();
        },
        onError: (e) => report(e),
      },
    );

  return (
    <Modal
      open
      width={640}
      title={t(m.breakdownTitle, { indicator: lang === 'en' ? indicator.nameEn : indicator.nameZh })}
      okText={t(m.breakdownConfirm)}
      cancelText={t(common.cancel)}
      onOk={submit}
      okButtonProps={{ disabled: binding && target === null }}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="breakdown-modal"
    >
      <Typography.Paragraph type="secondary">{t(m.breakdownHint)}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t(m.unit)}>
          <UnitTreeSelect value={unitId} onChange={changeUnit} label={unitId === plan.ownerUnitId ? plan.ownerUnitName : undefined} />
        </Form.Item>
      </Form>
      {binding && target === null ? (
        <Alert type="warning" showIcon title={t(m.breakdownNoTarget)} />
      ) : (
        <>
          <Space style={{ marginBottom: 8 }} wrap>
            {target !== null && (
              <span>
                {labelled(t(binding ? m.breakdownTarget : m.breakdownCount), '', lang)}
                <strong>{fmtNum(target, lang)}</strong> {binding ? indicator.unit : indicator.numeratorUnit}
              </span>
            )}
            {target !== null && (
              <Button size="small" onClick={() => setValues(evenSplit(target, years.length))} data-testid="breakdown-even">
                {t(m.breakdownEven)}
              </Button>
            )}
          </Space>
          <Table
            size="small"
            rowKey="year"
            pagination={false}
            dataSource={years.map((y, i) => ({ year: y, i }))}
            columns={[
              { title: t(m.year), dataIndex: 'year', width: 120, render: (y: number) => t(m.yearValue, { year: y }) },
              {
                title: t(m.withUnit, { label: t(targetBasisLabels.addition), unit: indicator.numeratorUnit }),
                key: 'v',
                render: (_v, r: { year: number; i: number }) => (
                  <InputNumber
                    min={0}
                    value={values[r.i]}
                    onChange={(v) => setValues((prev) => prev.map((x, j) => (j === r.i ? (v ?? 0) : x)))}
                    style={{ width: 160 }}
                    aria-label={t(m.yearValue, { year: r.year })}
                  />
                ),
              },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t(m.breakdownSum)}</Table.Summary.Cell>
                <Table.Summary.Cell index={1}>
                  <Typography.Text type={mismatch ? 'danger' : undefined} strong>
                    {fmtNum(sum, lang)}
                  </Typography.Text>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          {mismatch && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t(m.breakdownMismatch, { sum: fmtNum(sum, lang), target: fmtNum(target, lang) })} />}
          <Input.TextArea style={{ marginTop: 12 }} rows={2} maxLength={500} placeholder={t(m.note)} value={note} onChange={(e) => setNote(e.target.value)} />
        </>
      )}
    </Modal>
  );
}
