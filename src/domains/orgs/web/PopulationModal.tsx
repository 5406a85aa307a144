import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { POPULATION_KINDS, populationKindLabels, type Population, type PopulationKind } from '../orgs.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useSavePopulation } from './orgs.api.ts';
import { orgsMessages as m } from './orgs.messages.ts';

type PopulationForm = { year: number; kind: PopulationKind; value: number; source: string; note?: string };

/** One figure per unit, year and kind: saving an existing year and kind replaces it. */
export function PopulationModal({ unitId, population, onClose }: { unitId: string; population: Population | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const save = useSavePopulation();
  const [form] = Form.useForm<PopulationForm>();
  const initialValues: Partial<PopulationForm> = population
    ? { year: population.year, kind: population.kind, value: population.value, source: population.source, note: population.note ?? '' }
    : { year: new Date().getFullYear() - 1, kind: 'registered' };

  const submit = (v: PopulationForm) =>
    save.mutate(
      { unitId, body: { year: v.year, kind: v.kind, value: v.value, source: v.source.trim(), note: v.note?.trim() ? v.note.trim() : null } },
      {
        onSuccess: () => {
          void message.success(t(common.saved));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );

  return (
    <Modal
      open
      title={t(population ? m.editPopulation : m.addPopulation)}
      okText={t(common.save)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<PopulationForm> form={form} layout="vertical" initialValues={initialValues} onFinish={submit}>
        <Form.Item name="year" label={t(m.year)} rules={[{ required: true, message: t(m.yearRequired) }, { type: 'integer', min: 1949, max: 2100 }]}>
          <InputNumber min={1949} max={2100} precision={0} disabled={!!population} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="kind" label={t(m.popKind)} rules={[{ required: true }]}>
          <Select disabled={!!population} options={POPULATION_KINDS.map((k) => ({ value: k, label: t(populationKindLabels[k]) }))} />
        </Form.Item>
        <Form.Item name="value" label={t(m.value)} rules={[{ required: true, message: t(m.valueRequired) }, { type: 'integer', min: 0, max: 2_000_000_000 }]}>
          <InputNumber min={0} max={2_000_000_000} precision={0} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="source" label={t(m.source)} rules={[{ required: true, whitespace: true, message: t(m.sourceRequired) }, { max: 200 }]}>
          <Input maxLength={200} placeholder={t(m.sourcePlaceholder)} />
        </Form.Item>
        <Form.Item name="note" label={t(m.note)} rules={[{ max: 500 }]}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
