import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Space, Steps, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, DownloadOutlined, PlusOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Disbursement } from '../donations.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useDecideDisbursement, useDisbursements, useFunds, type DisbursementStatus } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { DisbursementStatusTag, disbursementStatusLabel, downloadCsv, Money, todayShanghai, useUnitNames } from './donations.shared.tsx';
import { DisbursementDrawer } from './DisbursementDrawer.tsx';
import { isAsset } from './fund-kinds.ts';
import { amountInWords, formatYuan } from './money.ts';
import './donations.print.css';

const TABS: (DisbursementStatus | 'all')[] = ['submitted', 'approved', 'rejected', 'all'];

/**
 * Who submitted it, as the server names the maker (display name). The server refuses a maker's own
 * approval anyway; this only keeps the button from being offered.
 */
function useIsMaker() {
  const me = useMe();
  return (b: Disbursement) => b.makerId === me.user.id;
}

function nextStep(t: Translate, b: Disbursement, mine: boolean, canApprove: boolean): string {
  if (b.status !== 'submitted') return '—';
  if (mine) return t(m.ownSubmission);
  return canApprove ? t(m.waitingForYou) : t(m.waitingFor);
}

function categoryText(t: Translate, b: Disbursement) {
  return t(b.category === 'aid' ? m.categoryAid : m.categoryManagement);
}

/** 批准 or 驳回, by someone other than the maker; approval is irreversible and books the payment. */
function DecisionModal({ b, decision, onClose }: { b: Disbursement; decision: 'approve' | 'reject'; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const decide = useDecideDisbursement();
  const [form] = Form.useForm<{ reason?: string }>();
  const [key] = useState(newIdempotencyKey);
  const approve = decision === 'approve';
  const submit = (v: { reason?: string }) =>
    decide.mutate(
      { id: b.id, body: { version: b.version, decision, reason: v.reason?.trim() ? v.reason.trim() : null }, key },
      {
        onSuccess: () => {
          void message.success(t(approve ? m.approvedMsg : m.rejectedMsg));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  return (
    <Modal
      open
      title={approve ? t(m.approveTitle, { amount: formatYuan(b.amountFen) }) : t(m.rejectTitle)}
      okText={t(approve ? m.approve : m.reject)}
      okButtonProps={{ danger: !approve }}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={decide.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="decision-modal"
    >
      {approve && <Alert type="warning" showIcon title={t(m.approveText, { fund: b.fundName })} style={{ marginBottom: 16 }} />}
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t(m.beneficiary)}>{b.beneficiaryName}</Descriptions.Item>
        <Descriptions.Item label={t(m.amountShort)}>
          <Money fen={b.amountFen} strong /> <Typography.Text type="secondary">{amountInWords(b.amountFen)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t(m.disbPurpose)}>{b.purpose}</Descriptions.Item>
        <Descriptions.Item label={t(m.maker)}>{b.makerName ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Form form={form} layout="vertical" name="decision" onFinish={submit}>
        <Form.Item name="reason" label={t(m.rejectReason)} rules={approve ? [{ max: 300 }] : [{ required: true, whitespace: true, message: t(m.rejectReasonRequired) }, { max: 300 }]}>
          <Input.TextArea rows={3} maxLength={300} showCount data-testid="decision-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DecisionButtons({ b, onDecide, size }: { b: Disbursement; onDecide: (d: 'approve' | 'reject') => void; size?: 'small' }) {
  const { t } = useI18n();
  const can = useHasPermission();
  const isMaker = useIsMaker();
  if (b.status !== 'submitted' || !can('donations.approve')) return null;
  const mine = isMaker(b);
  return (
    <Tooltip title={mine ? t(m.cannotApproveOwn) : undefined}>
      <Space size={size ? 0 : 8}>
        <Button type={size ? 'link' : 'primary'} size={size} icon={<CheckOutlined />} disabled={mine} onClick={() => onDecide('approve')} data-testid="approve">
          {t(m.approve)}
        </Button>
        <Button type={size ? 'link' : 'default'} size={size} danger icon={<CloseOutlined />} disabled={mine} onClick={() => onDecide('reject')} data-testid="reject">
          {t(m.reject)}
        </Button>
      </Space>
    </Tooltip>
  );
}

function DetailDrawer({ b, onClose, onDecide }: { b: Disbursement; onClose: () => void; onDecide: (d: 'approve' | 'reject') => void }) {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const isMaker = useIsMaker();
  const current = b.status === 'submitted' ? 1 : 2;
  return (
    <Drawer open size={640} title={t(m.detailTitle)} onClose={onClose} destroyOnHidden data-testid="disbursement-detail" footer={<div style={{ float: 'right' }}><DecisionButtons b={b} onDecide={onDecide} /></div>}>
      <Steps
        size="small"
        current={current}
        status={b.status === 'rejected' ? 'error' : b.status === 'approved' ? 'finish' : 'process'}
        items={[
          { title: t(m.stepSubmit), content: `${b.makerName ?? '—'} · ${formatDateTime(b.createdAt, lang)}` },
          {
            title: t(m.stepApprove),
            content: b.status === 'submitted' ? nextStep(t, b, isMaker(b), can('donations.approve')) : `${b.approverName ?? '—'} · ${formatDateTime(b.decidedAt, lang)}`,
          },
          { title: b.status === 'rejected' ? t(m.statusRejected) : t(m.stepPaid), content: b.status === 'rejected' ? (b.rejectReason ?? '') : b.status === 'approved' ? b.paidOn : '' },
        ]}
        style={{ marginBottom: 24 }}
        data-testid="disbursement-steps"
      />
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t(m.status)}>
          <DisbursementStatusTag status={b.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t(m.fund)}>{b.fundName}</Descriptions.Item>
        <Descriptions.Item label={t(m.category)}>{categoryText(t, b)}</Descriptions.Item>
        <Descriptions.Item label={t(m.beneficiary)}>
          <Space size={6}>
            <Tag>{t(b.beneficiaryKind === 'person' ? m.beneficiaryPerson : m.beneficiaryOrganisation)}</Tag>
            {b.beneficiaryName}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t(m.amountShort)}>
          <Space wrap>
            <Money fen={b.amountFen} strong />
            <Typography.Text type="secondary">{t(m.rmbWords, { words: amountInWords(b.amountFen) })}</Typography.Text>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t(m.paidOn)}>{b.paidOn}</Descriptions.Item>
        <Descriptions.Item label={t(m.paidFrom)}>{t(b.paidFrom === 'bank' ? m.paidFromBank : m.paidFromCash)}</Descriptions.Item>
        <Descriptions.Item label={t(m.disbPurpose)}>{b.purpose}</Descriptions.Item>
        <Descriptions.Item label={t(m.maker)}>{b.makerName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t(m.approver)}>{b.approverName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t(m.decidedAt)}>{formatDateTime(b.decidedAt, lang)}</Descriptions.Item>
        {b.rejectReason && <Descriptions.Item label={t(m.rejectReason)}>{b.rejectReason}</Descriptions.Item>}
      </Descriptions>
    </Drawer>
  );
}

/** 拨付管理: submitted, approved and rejected payments; 待审批 first, with who must act next. */
export function DisbursementsPage() {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const me = useMe();
  const isMaker = useIsMaker();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('status')) ?? 'submitted';
  const list = useDisbursements(tab === 'all' ? undefined : tab);
  const funds = useFunds();
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ b: Disbursement; decision: 'approve' | 'reject' } | null>(null);
  const rows = list.data ?? [];
  const open = rows.find((b) => b.id === openId);

  const units = useUnitNames(rows.map((b) => b.unitId));
  const columns: TableColumnsType<Disbursement> = [
    { title: t(m.createdAt), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
    { title: t(m.beneficiary), dataIndex: 'beneficiaryName', width: 180 },
    { title: t(m.amount), dataIndex: 'amountFen', width: 130, align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: t(m.status), dataIndex: 'status', width: 90, render: (s: DisbursementStatus) => <DisbursementStatusTag status={s} /> },
    {
      title: t(m.nextStep),
      key: 'next',
      width: 170,
      render: (_v, b) => (
        <Typography.Text type={b.status === 'submitted' && !isMaker(b) && can('donations.approve') ? 'warning' : 'secondary'} data-testid="next-step">
          {nextStep(t, b, isMaker(b), can('donations.approve'))}
        </Typography.Text>
      ),
    },
    { title: t(m.fund), dataIndex: 'fundName', width: 200 },
    { title: t(m.disbPurpose), dataIndex: 'purpose', width: 200, ellipsis: { showTitle: true } },
    { title: t(m.maker), dataIndex: 'makerName', width: 100, render: (v: string | null) => v ?? '—' },
    { title: t(m.approver), dataIndex: 'approverName', width: 100, render: (v: string | null) => v ?? '—' },
    { title: t(m.category), key: 'category', width: 90, render: (_v, b) => categoryText(t, b) },
    { title: t(m.paidOn), dataIndex: 'paidOn', width: 110 },
    { title: t(m.unitShort), dataIndex: 'unitId', width: 100, render: (v: string) => units.get(v) ?? '—' },
    {
      title: t(common.actions),
      key: 'actions',
      width: 200,
      fixed: 'right',
      className: 'don-no-print',
      render: (_v, b) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setOpenId(b.id)} data-testid="view-disbursement">
            {t(common.view)}
          </Button>
          <DecisionButtons b={b} size="small" onDecide={(decision) => setDeciding({ b, decision })} />
        </Space>
      ),
    },
  ];

  const exportCsv = () =>
    downloadCsv(
      `${t(m.disbursementsTitle)}-${todayShanghai()}.csv`,
      [t(m.createdAt), t(m.fund), t(m.beneficiary), t(m.category), t(m.amount), t(m.paidOn), t(m.paidFrom), t(m.disbPurpose), t(m.status), t(m.maker), t(m.approver), t(m.decidedAt)],
      rows.map((b) => [
        formatDateTime(b.createdAt, lang),
        b.fundName,
        b.beneficiaryName,
        categoryText(t, b),
        formatYuan(b.amountFen).replace(/,/g, ''),
        b.paidOn,
        t(b.paidFrom === 'bank' ? m.paidFromBank : m.paidFromCash),
        b.purpose,
        t(disbursementStatusLabel(b.status)),
        b.makerName ?? '',
        b.approverName ?? '',
        b.decidedAt ? formatDateTime(b.decidedAt, lang) : '',
      ]),
    );

  const tabLabel = (k: (typeof TABS)[number]) => (k === 'all' ? t(m.tabAll) : t(disbursementStatusLabel(k)));

  return (
    <Card className="don-list-print" data-testid="disbursements-page">
      <div className="don-print-only don-list-print-title">
        {me.user.unitName} · {t(m.disbursementsTitle)}（{tabLabel(tab)}）<span>{t(m.printedAt, { date: todayShanghai() })}</span>
      </div>
      <div className="boai-toolbar">
        <span className="boai-toolbar-title">{t(m.disbursementsTitle)}</span>
        <Space wrap className="don-no-print">
          <Tooltip title={t(common.refresh)}>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isRefetching} aria-label={t(common.refresh)} />
          </Tooltip>
          {can('donations.disburse') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-disbursement">
              {t(m.newDisbursement)}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={rows.length === 0}>
            {t(m.exportCsv)}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t(m.print)}
          </Button>
        </Space>
      </div>
      <Tabs
        className="don-no-print"
        activeKey={tab}
        onChange={(k) => setParams(k === 'submitted' ? {} : { status: k })}
        items={TABS.map((k) => ({ key: k, label: tabLabel(k) }))}
        data-testid="disbursement-tabs"
      />
      {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<Disbursement>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isPending}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1840 }}
        locale={{ emptyText: t(m.emptyDisbursements) }}
        data-testid="disbursements-table"
      />
      {creating && <DisbursementDrawer funds={(funds.data ?? []).filter((f) => !isAsset(f))} onClose={() => setCreating(false)} />}
      {open && <DetailDrawer b={open} onClose={() => setOpenId(null)} onDecide={(decision) => setDeciding({ b: open, decision })} />}
      {deciding && <DecisionModal b={deciding.b} decision={deciding.decision} onClose={() => setDeciding(null)} />}
    </Card>
  );
}
