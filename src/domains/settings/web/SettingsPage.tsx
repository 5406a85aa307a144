import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CalendarOutlined, PlusOutlined } from '@ant-design/icons';
import type { BusinessSettings, CalendarDay, PutCalendarDay } from '../settings.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { useBusinessSettings, useCalendarYear, useDeleteCalendarDay, usePutCalendarDay, usePutSettings } from './settings.api.ts';
import { settingsMessages as m } from './settings.messages.ts';

const WEEKDAYS = { zh: ['日', '一', '二', '三', '四', '五', '六'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };
const weekdayOf = (day: string, lang: string) => WEEKDAYS[lang === 'en' ? 'en' : 'zh'][new Date(`${day}T00:00:00Z`).getUTCDay()];

type DayForm = { day?: string; kind: 'holiday' | 'workday'; name?: string; source?: string };

function DayModal({ initial, onClose }: { initial: DayForm; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const put = usePutCalendarDay();
  const [form] = Form.useForm<DayForm>();
  const submit = (v: DayForm) => {
    const body: PutCalendarDay = { kind: v.kind, name: (v.name ?? '').trim(), source: v.source?.trim() ? v.source.trim() : null };
    put.mutate(
      { day: v.day!, body },
      {
        onSuccess: () => {
          void message.success(t(m.saved));
          onClose();
        },
        onError: (e) => report(e, form),
      },
    );
  };
  return (
    <Modal open title={t(initial.day ? m.edit : m.addDay)} okText={t(m.save)} cancelText={t(common.cancel)} onOk={() => form.submit()} confirmLoading={put.isPending} onCancel={onClose} destroyOnHidden data-testid="calendar-day-modal">
      <Form<DayForm> form={form} layout="vertical" name="calendar-day" initialValues={initial} onFinish={submit}>
        <Form.Item
          name="day"
          label={t(m.day)}
          rules={[{ required: true, message: t(m.dayRequired) }]}
          getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
          normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker style={{ width: '100%' }} disabled={!!initial.day} data-testid="calendar-day-date" />
        </Form.Item>
        <Form.Item name="kind" label={t(m.kind)}>
          <Radio.Group optionType="button" options={[{ value: 'holiday', label: t(m.kindHoliday) }, { value: 'workday', label: t(m.kindWorkday) }]} />
        </Form.Item>
        <Form.Item name="name" label={t(m.name)} rules={[{ required: true, whitespace: true, message: t(m.nameRequired) }, { max: 40 }]}>
          <Input maxLength={40} data-testid="calendar-day-name" />
        </Form.Item>
        <Form.Item name="source" label={t(m.source)} rules={[{ max: 100 }]}>
          <Input maxLength={100} placeholder="国办发明电〔2026〕…号" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CalendarTab({ canManage }: { canManage: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const thisYear = dayjs().year();
  const [year, setYear] = useState(thisYear);
  const [editing, setEditing] = useState<DayForm | null>(null);
  const cal = useCalendarYear(year);
  const remove = useDeleteCalendarDay();
  const columns: TableColumnsType<CalendarDay> = [
    { key: 'day', title: t(m.day), width: 120, render: (_, d) => <span className="boai-mono">{d.day}</span> },
    { key: 'weekday', title: t(m.weekday), width: 70, render: (_, d) => weekdayOf(d.day, lang) },
    { key: 'kind', title: t(m.kind), width: 110, render: (_, d) => (d.kind === 'holiday' ? <Tag color="red">{t(m.kindHoliday)}</Tag> : <Tag color="blue">{t(m.kindWorkday)}</Tag>) },
    { key: 'name', title: t(m.name), width: 170, render: (_, d) => d.name },
    { key: 'source', title: t(m.source), width: 190, render: (_, d) => d.source ?? '—' },
    { key: 'updated', title: t(m.updated), width: 190, render: (_, d) => (d.updatedBy ? `${d.updatedBy} · ${formatDateTime(d.updatedAt, lang)}` : '—') },
    ...(canManage
      ? [
          {
            key: 'actions',
            title: '',
            width: 130,
            render: (_: unknown, d: CalendarDay) => (
              <Space size="small">
                <Button size="small" type="link" onClick={() => setEditing({ day: d.day, kind: d.kind, name: d.name, source: d.source ?? undefined })}>
                  {t(m.edit)}
                </Button>
                <Popconfirm title={t(m.removeConfirm, { day: d.day })} okText={t(m.remove)} cancelText={t(common.cancel)} onConfirm={() => remove.mutate(d.day, { onSuccess: () => void message.success(t(m.removed)), onError: (e) => report(e) })}>
                  <Button size="small" type="link" danger>
                    {t(m.remove)}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
  const years = Array.from({ length: thisYear + 2 - 2021 + 1 }, (_, i) => 2021 + i);
  return (
    <Space orientation="vertical" size="middle" className="boai-block">
      <Space wrap>
        <span>{t(m.year)}</span>
        <Select value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: String(y) }))} style={{ width: 110 }} data-testid="calendar-year" />
        {canManage && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'holiday' })} data-testid="calendar-add">
            {t(m.addDay)}
          </Button>
        )}
      </Space>
      {cal.isSuccess ? (
        <>
          {cal.data.covered ? null : <Alert type="warning" showIcon title={t(m.notCovered)} />}
          <Space size="large" wrap>
            <Statistic title={t(m.workingDays)} value={cal.data.workingDays} />
            <Statistic title={t(m.holidays)} value={cal.data.days.filter((d) => d.kind === 'holiday').length} />
            <Statistic title={t(m.makeUp)} value={cal.data.days.filter((d) => d.kind === 'workday').length} />
            {cal.data.covered && <Tag color="success">{t(m.covered)}</Tag>}
          </Space>
          <Table<CalendarDay> rowKey="day" size="small" columns={columns} dataSource={cal.data.days} pagination={false} scroll={{ x: 980 }} data-testid="calendar-table" />
        </>
      ) : (
        <QueryFallback q={cal} />
      )}
      {editing && <DayModal initial={editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

function BusinessTab({ canManage }: { canManage: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const q = useBusinessSettings();
  const put = usePutSettings();
  const [form] = Form.useForm<BusinessSettings>();
  if (!q.isSuccess) return <QueryFallback q={q} />;
  const s = q.data;
  return (
        <Form<BusinessSettings>
          form={form}
          layout="vertical"
          name="business-settings"
          initialValues={s.values}
          disabled={!canManage}
          style={{ maxWidth: 640 }}
          onFinish={(v) =>
            put.mutate(
              { ...v, version: s.version },
              { onSuccess: () => void message.success(t(m.saved)), onError: (e) => report(e, form) },
            )
          }
        >
          <Form.Item name="disclosureWorkingDays" label={t(m.disclosureWorkingDays)} extra={t(m.disclosureHelp)} rules={[{ required: true }]}>
            <InputNumber min={1} max={60} precision={0} style={{ width: 160 }} data-testid="setting-disclosure-days" />
          </Form.Item>
          <Form.Item name="useWithinDays" label={t(m.useWithinDays)} extra={t(m.useHelp)} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="managementRatioPercent" label={t(m.managementRatio)} extra={t(m.managementHelp)} rules={[{ required: true }]}>
            <InputNumber min={1} max={30} step={1} style={{ width: 160 }} data-testid="setting-management-ratio" />
          </Form.Item>
          <Form.Item name="managementExemptYuan" label={t(m.managementExempt)} extra={t(m.exemptHelp)} rules={[{ required: true }]}>
            <InputNumber min={0} max={100_000_000} precision={0} step={10_000} style={{ width: 200 }} />
          </Form.Item>
          <Space>
            {canManage && (
              <Button type="primary" htmlType="submit" loading={put.isPending} data-testid="settings-save">
                {t(m.save)}
              </Button>
            )}
            <Typography.Text type="secondary">{s.updatedBy ? t(m.lastChanged, { who: s.updatedBy, at: formatDateTime(s.updatedAt, lang) }) : t(m.neverChanged)}</Typography.Text>
          </Space>
        </Form>
  );
}

/** 系统设置: the working-day calendar and the business parameters, one set for the whole city. */
export function SettingsPage() {
  const { t } = useI18n();
  const can = useHasPermission();
  const canManage = can('settings.manage');
  return (
    <Card title={<Space><CalendarOutlined />{t(m.title)}</Space>} data-testid="settings-page">
      <Alert type="info" showIcon title={canManage ? t(m.cityWide) : t(m.readOnly)} style={{ marginBottom: 16 }} />
      <Tabs
        items={[
          { key: 'calendar', label: t(m.tabCalendar), children: <CalendarTab canManage={canManage} /> },
          { key: 'business', label: t(m.tabBusiness), children: <BusinessTab canManage={canManage} /> },
        ]}
      />
    </Card>
  );
}
