import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { EVALUATION_KINDS, evaluationKindLabels, type CreateEvaluation, type Evaluation, type EvaluationKind, type Plan } from '../plan.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useCreateEvaluation, useEvaluations } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { PlanSelect } from './plan.shared.tsx';
import { PlanGate, type PlanChoice } from './PlanGate.tsx';

/** 期中/期末评估: the evaluation reports of the plan, drafts and published (frozen) ones. */
export function EvaluationsPage() {
  return <PlanGate>{(plan, choice) => <Evaluations plan={plan} choice={choice} />}</PlanGate>;
}

export function EvaluationStatusTag({ e }: { e: Pick<Evaluation, 'status'> }) {
  const { t } = useI18n();
  return e.status === 'published' ? <Tag color="success">{t(m.published)}</Tag> : <Tag color="default">{t(m.draft)}</Tag>;
}

function Evaluations({ plan, choice }: { plan: Plan; choice: PlanChoice }) {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const list = useEvaluations(plan.id);
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<Evaluation> = [
    { title: t(m.evaluationTitle), dataIndex: 'title', render: (v: string, e) => <Link to={choice.link(`/plan/evaluations/${e.id}`)}>{v}</Link> },
    { title: t(m.evaluationKind), dataIndex: 'kind', width: 110, render: (v: EvaluationKind) => <Tag color={v === 'final' ? 'red' : v === 'midterm' ? 'blue' : 'default'}>{t(evaluationKindLabels[v])}</Tag> },
    { title: t(m.evaluationAsOf), dataIndex: 'asOf', width: 110 },
    { title: t(m.status), dataIndex: 'status', width: 90, render: (_v, e) => <EvaluationStatusTag e={e} /> },
    {
      title: t(m.contentHash),
      dataIndex: 'contentHash',
      width: 170,
      render: (v: string | null) => (v ? <Typography.Text className="boai-mono" copyable={{ text: v }}>{`${v.slice(0, 12)}…`}</Typography.Text> : '—'),
    },
    { title: t(m.publishedAt), dataIndex: 'publishedAt', width: 170, render: (v: string | null) => formatDateTime(v, lang) },
    { title: t(m.publishedBy), dataIndex: 'publishedByName', width: 120, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <Card data-testid="evaluations-page">
      <div className="boai-toolbar">
        <Space wrap>
          <span className="boai-toolbar-title">{t(m.evaluationsTitle)}</span>
          {choice.plans.data && choice.plans.data.length > 1 && <PlanSelect plans={choice.plans.data} value={plan.id} onChange={(id) => choice.setParams({ plan: id })} />}
        </Space>
        {can('plan.report') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-evaluation">
            {t(m.newEvaluation)}
          </Button>
        )}
      </div>
      {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<Evaluation>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t(m.noEvaluations) }}
        data-testid="evaluations-table"
      />
      {creating && <CreateEvaluationModal plan={plan} choice={choice} onClose={() => setCreating(false)} />}
    </Card>
  );
}

type EvalForm = { kind: EvaluationKind; title?: string; asOf?: Dayjs | null; narrative?: string };

function CreateEvaluationModal({ plan, choice, onClose }: { plan: Plan; choice: PlanChoice; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const create = useCreateEvaluation(plan.id);
  const [form] = Form.useForm<EvalForm>();

  const submit = (v: EvalForm) => {
    const body: CreateEvaluation = {
      kind: v.kind,
      ...(v.title?.trim() ? { title: v.title.trim() } : {}),
      ...(v.asOf ? { asOf: v.asOf.format('YYYY-MM-DD') } : {}),
      narrative: v.narrative?.trim() ? v.narrative.trim() : null,
    };
    create.mutate(body, {
      onSuccess: (e) => {
        void message.success(t(m.evaluationCreated));
        onClose();
        void navigate(choice.link(`/plan/evaluations/${e.id}`));
      },
      onError: (e) => report(e, form),
    });
  };

  return (
    <Modal
      open
      width={640}
      title={t(m.newEvaluation)}
      okText={t(common.confirm)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="evaluation-modal"
    >
      <Form<EvalForm> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'midterm' }}>
        <Form.Item name="kind" label={t(m.evaluationKind)} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={EVALUATION_KINDS.map((k) => ({ value: k, label: t(evaluationKindLabels[k]) }))} />
        </Form.Item>
        <Form.Item name="title" label={t(m.evaluationTitle)} rules={[{ max: 100 }]}>
          <Input maxLength={100} placeholder={t(m.evaluationTitlePlaceholder)} />
        </Form.Item>
        <Form.Item name="asOf" label={t(m.evaluationAsOf)} extra={t(m.evaluationAsOfHelp)}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.isBefore(dayjs(`${plan.periodStart}-01-01`)) || d.isAfter(dayjs(`${plan.periodEnd}-12-31`))}
          />
        </Form.Item>
        <Form.Item name="narrative" label={t(m.narrative)} rules={[{ max: 20000 }]}>
          <Input.TextArea rows={5} maxLength={20000} placeholder={t(m.narrativePlaceholder)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
