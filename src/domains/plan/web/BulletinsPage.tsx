import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Radio, Row, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { BULLETIN_PERIODS, bulletinPeriodLabels, type BulletinPeriod, type BulletinSummary, type CreateBulletin, type Plan } from '../plan.contract.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { useBulletins, useCreateBulletin } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import { defaultYear, periodYears, PlanSelect } from './plan.shared.tsx';
import { PlanGate, type PlanChoice } from './PlanGate.tsx';

/** 工作进度通报: the quarterly, half-yearly and yearly bulletins of the plan. */
export function BulletinsPage() {
  return <PlanGate>{(plan, choice) => <Bulletins plan={plan} choice={choice} />}</PlanGate>;
}

export function partLabel(t: ReturnType<typeof useI18n>['t'], kind: BulletinPeriod, part: number): string {
  if (kind === 'quarter') return t(m.quarterN, { n: part });
  if (kind === 'half') return t(part === 1 ? m.halfFirst : m.halfSecond);
  return t(m.yearWhole);
}

function Bulletins({ plan, choice }: { plan: Plan; choice: PlanChoice }) {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const list = useBulletins(plan.id);
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<BulletinSummary> = [
    { title: t(m.title), dataIndex: 'title', render: (v: string, b) => <Link to={choice.link(`/plan/bulletins/${b.id}`)}>{v}</Link> },
    { title: t(m.periodKind), dataIndex: 'periodKind', width: 90, render: (v: BulletinPeriod) => <Tag>{t(bulletinPeriodLabels[v])}</Tag> },
    { title: t(m.part), key: 'part', width: 150, render: (_v, b) => `${t(m.yearValue, { year: b.year })} ${partLabel(t, b.periodKind, b.part)}` },
    { title: t(m.unit), dataIndex: 'unitName', width: 120 },
    { title: t(m.asOf), dataIndex: 'asOf', width: 110 },
    { title: t(m.createdBy), dataIndex: 'createdByName', width: 120, render: (v: string | null) => v ?? '—' },
    { title: t(m.createdAt), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
    {
      title: t(common.actions),
      key: 'a',
      width: 80,
      render: (_v, b) => (
        <Link to={choice.link(`/plan/bulletins/${b.id}`)}>
          <Button type="link" size="small">
            {t(common.view)}
          </Button>
        </Link>
      ),
    },
  ];

  return (
    <Card data-testid="bulletins-page">
      <div className="boai-toolbar">
        <Space wrap>
          <span className="boai-toolbar-title">{t(m.bulletinsTitle)}</span>
          {choice.plans.data && choice.plans.data.length > 1 && <PlanSelect plans={choice.plans.data} value={plan.id} onChange={(id) => choice.setParams({ plan: id })} />}
        </Space>
        {can('plan.report') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-bulletin">
            {t(m.newBulletin)}
          </Button>
        )}
      </div>
      {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<BulletinSummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t(m.noBulletins) }}
        data-testid="bulletins-table"
      />
      {creating && <CreateBulletinModal plan={plan} choice={choice} onClose={() => setCreating(false)} />}
    </Card>
  );
}

type BulletinForm = { periodKind: BulletinPeriod; year: number; part: number; unitId?: string; remarks?: string };

function CreateBulletinModal({ plan, choice, onClose }: { plan: Plan; choice: PlanChoice; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const create = useCreateBulletin(plan.id);
  const [form] = Form.useForm<BulletinForm>();
  const kind: BulletinPeriod = Form.useWatch('periodKind', form) ?? 'quarter';
  const parts = kind === 'quarter' ? [1, 2, 3, 4] : kind === 'half' ? [1, 2] : [1];
  const now = new Date();
  const quarterNow = Math.min(4, Math.max(1, Math.ceil(Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: 'numeric' }).format(now)) / 3)));

  const submit = (v: BulletinForm) => {
    const body: CreateBulletin = { periodKind: v.periodKind, year: v.year, part: v.part, remarks: v.remarks?.trim() ? v.remarks.trim() : null, ...(v.unitId ? { unitId: v.unitId } : {}) };
    create.mutate(body, {
      onSuccess: (b) => {
        void message.success(t(m.bulletinCreated));
        onClose();
        void navigate(choice.link(`/plan/bulletins/${b.id}`));
      },
      onError: (e) => report(e, form),
    });
  };

  return (
    <Modal
      open
      width={600}
      title={t(m.newBulletin)}
      okText={t(common.confirm)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="bulletin-modal"
    >
      <Form<BulletinForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ periodKind: 'quarter', year: defaultYear(plan), part: quarterNow, unitId: me.user.unitId ?? undefined }}
        onValuesChange={(changed: Partial<BulletinForm>) => {
          if (changed.periodKind) form.setFieldValue('part', 1);
        }}
      >
        <Form.Item name="periodKind" label={t(m.periodKind)} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={BULLETIN_PERIODS.map((k) => ({ value: k, label: t(bulletinPeriodLabels[k]) }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="year" label={t(m.year)} rules={[{ required: true, message: t(m.yearRequired) }]}>
              <Select options={periodYears(plan).map((y) => ({ value: y, label: t(m.yearValue, { year: y }) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="part" label={t(m.part)} rules={[{ required: true }]}>
              <Select options={parts.map((p) => ({ value: p, label: partLabel(t, kind, p) }))} data-testid="bulletin-part" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="unitId" label={t(m.unit)}>
          <UnitTreeSelect label={me.user.unitName} />
        </Form.Item>
        <Form.Item name="remarks" label={t(m.remarks)} rules={[{ max: 5000 }]}>
          <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t(m.remarksPlaceholder)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
