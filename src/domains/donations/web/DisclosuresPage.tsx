import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Segmented, Space, Table, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { GlobalOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useCreateDisclosure, useDisclosures, type DisclosureListItem } from './donations.api.ts';
import { disclosureMessages as m } from './disclosure.messages.ts';
import { DisclosureStatusTag, monthRange, periodText, previousMonth } from './disclosure.shared.tsx';
import { todayShanghai } from './donations.shared.tsx';
import { PUBLIC_DISCLOSURE_PATH } from './disclosure.paths.ts';

type NewReport = { mode: 'month' | 'custom'; month?: Dayjs; range?: [Dayjs, Dayjs]; title?: string };

/** 新建: a month (last month by default) or a custom period, for the caller's own unit and those below it. */
function CreateModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const create = useCreateDisclosure();
  const [form] = Form.useForm<NewReport>();
  const mode = Form.useWatch('mode', form) ?? 'month';
  const today = todayShanghai();

  const submit = (v: NewReport) => {
    const period = v.mode === 'month' ? monthRange(v.month!.format('YYYY-MM')) : { from: v.range![0].format('YYYY-MM-DD'), to: v.range![1].format('YYYY-MM-DD') };
    create.mutate(
      { periodStart: period.from, periodEnd: period.to, ...(v.title?.trim() ? { title: v.title.trim() } : {}) },
      {
        onSuccess: (r) => {
          void message.success(t(m.created));
          onClose();
          void navigate(`/donations/disclosures/${r.id}`);
        },
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Modal
      open
      title={t(m.newReport)}
      okText={t(common.create)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="new-disclosure-modal"
    >
      <Alert type="info" showIcon title={t(m.unitHint, { unit: me.user.unitName })} description={t(m.createHint)} style={{ marginBottom: 16 }} />
      <Form<NewReport> form={form} layout="vertical" name="new-disclosure" onFinish={submit} initialValues={{ mode: 'month', month: dayjs(`${previousMonth(today.slice(0, 7))}-01`) }}>
        <Form.Item name="mode" label={t(m.period)}>
          <Segmented
            options={[
              { value: 'month', label: t(m.periodMonth) },
              { value: 'custom', label: t(m.periodCustom) },
            ]}
            data-testid="period-mode"
          />
        </Form.Item>
        {mode === 'month' ? (
          <Form.Item name="month" label={t(m.month)} rules={[{ required: true, message: t(m.monthRequired) }]}>
            <DatePicker picker="month" style={{ width: '100%' }} allowClear={false} disabledDate={(d) => d.format('YYYY-MM') > today.slice(0, 7)} data-testid="period-month" />
          </Form.Item>
        ) : (
          <Form.Item name="range" label={t(m.range)} rules={[{ required: true, message: t(m.rangeRequired) }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > today} data-testid="period-range" />
          </Form.Item>
        )}
        <Form.Item name="title" label={t(m.title)} rules={[{ max: 100 }]}>
          <Input maxLength={100} placeholder={t(m.titlePlaceholder)} data-testid="disclosure-title" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 捐赠公示: the period reports, drafts and published ones (with their content hash), newest period first. */
export function DisclosuresPage() {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const list = useDisclosures();
  const [creating, setCreating] = useState(false);
  const rows = list.data ?? [];
  const titles = new Map(rows.map((r) => [r.id, r.title]));

  const columns: TableColumnsType<DisclosureListItem> = [
    {
      title: t(m.title),
      dataIndex: 'title',
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/donations/disclosures/${r.id}`} data-testid="open-disclosure">
            {v}
          </Link>
          {r.corrects && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(m.correctionOf, { title: titles.get(r.corrects) ?? '—' })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t(m.period), key: 'period', width: 200, render: (_v, r) => periodText(t, lang, r.periodStart, r.periodEnd) },
    { title: t(m.status), key: 'status', width: 130, render: (_v, r) => <DisclosureStatusTag r={r} /> },
    {
      title: t(m.contentHash),
      dataIndex: 'contentHash',
      width: 200,
      render: (v: string | null) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text copyable={{ text: v }} className="boai-mono" data-testid="list-hash">
              {v.slice(0, 16)}…
            </Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
    { title: t(m.publishedAt), dataIndex: 'publishedAt', width: 170, render: (v: string | null) => (v ? formatDateTime(v, lang) : '—') },
    { title: t(m.publishedBy), dataIndex: 'publishedByName', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t(common.actions),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_v, r) => (
        <Link to={`/donations/disclosures/${r.id}`}>
          <Button type="link" size="small">
            {t(common.view)}
          </Button>
        </Link>
      ),
    },
  ];

  return (
    <Card data-testid="disclosures-page">
      <div className="boai-toolbar">
        <span className="boai-toolbar-title">{t(m.listTitle)}</span>
        <Space wrap>
          <Tooltip title={t(common.refresh)}>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isRefetching} aria-label={t(common.refresh)} />
          </Tooltip>
          <a href={PUBLIC_DISCLOSURE_PATH} target="_blank" rel="noreferrer">
            <Button icon={<GlobalOutlined />}>{t(m.publicHeading)}</Button>
          </a>
          {can('donations.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-disclosure">
              {t(m.newReport)}
            </Button>
          )}
        </Space>
      </div>
      <Typography.Paragraph type="secondary">{t(m.listIntro)}</Typography.Paragraph>
      {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<DisclosureListItem>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={list.isPending}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t(m.emptyReports) }}
        data-testid="disclosures-table"
      />
      {creating && <CreateModal onClose={() => setCreating(false)} />}
    </Card>
  );
}
