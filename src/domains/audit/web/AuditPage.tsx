import { useState } from 'react';
import { useSearchParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, AutoComplete, Button, Card, Col, DatePicker, Descriptions, Form, Input, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { AUDIT_RESULTS, auditActionLabels, type AuditEntry, type AuditVerifyResult } from '../audit.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime, withNote } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { useAuditLog, useExportAudit, useVerifyChain, type AuditFilters } from './audit.api.ts';
import { auditMessages as m } from './audit.messages.ts';

type SearchForm = { range?: [Dayjs | null, Dayjs | null] | null; actor?: string; action?: string; entityType?: string; result?: AuditFilters['result'] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const resultColor = { success: 'success', failure: 'warning', denied: 'error' } as const;
const entityLabels: Record<string, Text> = {
  app_user: m.entityAppUser,
  org_unit: m.entityOrgUnit,
  org_population: m.entityPopulation,
  role: m.entityRole,
};

function filtersFrom(params: URLSearchParams): AuditFilters {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const result = get('result');
  const from = get('from');
  const to = get('to');
  return {
    from: from && DATE.test(from) ? from : undefined,
    to: to && DATE.test(to) ? to : undefined,
    actor: get('actor'),
    action: get('action'),
    entityType: get('entityType'),
    result: (AUDIT_RESULTS as readonly string[]).includes(result ?? '') ? (result as AuditFilters['result']) : undefined,
  };
}

function Json({ value }: { value: unknown }) {
  const { t } = useI18n();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t(m.nothing)}</Typography.Text>;
  return <pre className="boai-json">{JSON.stringify(value, null, 2)}</pre>;
}

function VerifyResult({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      data-testid="verify-result"
      type={result.ok ? 'success' : 'error'}
      showIcon
      closable={{ onClose }}
      style={{ marginBottom: 12 }}
      title={t(result.ok ? m.verifyOk : m.verifyBad)}
      description={
        result.ok ? (
          t(m.verifyOkText, { checked: result.checked, head: result.headSeq })
        ) : (
          <>
            {t(m.verifyBadText, { checked: result.checked, count: result.problems.length })}
            <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
              {result.problems.slice(0, 20).map((p) => (
                <li key={`${p.seq}-${p.problem}`}>
                  #{p.seq}: {p.problem}
                </li>
              ))}
            </ul>
          </>
        )
      }
    />
  );
}

/** 审计日志: who did what, when, from where; newest first, filters in the address bar. */
export function AuditPage() {
  const { t, lang } = useI18n();
  const report = useReportError();
  const can = useHasPermission();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const log = useAuditLog(filters);
  const verify = useVerifyChain();
  const exporter = useExportAudit();
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null);
  const [form] = Form.useForm<SearchForm>();
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  const actionLabel = (code: string) => (auditActionLabels[code] ? t(auditActionLabels[code]) : code);

  const apply = (v: SearchForm) => {
    const next = new URLSearchParams();
    const [from, to] = v.range ?? [];
    if (from) next.set('from', from.format('YYYY-MM-DD'));
    if (to) next.set('to', to.format('YYYY-MM-DD'));
    if (v.actor?.trim()) next.set('actor', v.actor.trim().toLowerCase());
    if (v.action?.trim()) next.set('action', v.action.trim());
    if (v.entityType?.trim()) next.set('entityType', v.entityType.trim());
    if (v.result) next.set('result', v.result);
    setParams(next);
  };

  const initial: SearchForm = {
    range: filters.from || filters.to ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] : null,
    actor: filters.actor,
    action: filters.action,
    entityType: filters.entityType,
    result: filters.result,
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t(m.time), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v, lang) },
    {
      title: t(m.user),
      dataIndex: 'actorUsername',
      width: 180,
      render: (v: string | null) => (v === null || v === 'system' ? <Tag>{t(m.system)}</Tag> : <span className="boai-mono">{v}</span>),
    },
    { title: t(m.unit), dataIndex: 'unitName', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t(m.action),
      dataIndex: 'action',
      width: 150,
      render: (v: string) => (
        <Tooltip title={v}>
          <span>{actionLabel(v)}</span>
        </Tooltip>
      ),
    },
    {
      title: t(m.object),
      key: 'object',
      render: (_v, e) =>
        e.entityType ? (
          <Space size={4}>
            <span>{entityLabels[e.entityType] ? t(entityLabels[e.entityType]!) : e.entityType}</span>
            {e.entityId && (
              <Typography.Text type="secondary" className="boai-mono" style={{ fontSize: 12 }} copyable={{ text: e.entityId }}>
                {e.entityId.length > 13 ? `${e.entityId.slice(0, 8)}…` : e.entityId}
              </Typography.Text>
            )}
          </Space>
        ) : (
          '—'
        ),
    },
    { title: t(m.result), dataIndex: 'result', width: 90, render: (r: AuditEntry['result']) => <Tag color={resultColor[r]}>{t(m[r])}</Tag> },
    { title: t(m.ip), dataIndex: 'ip', width: 130, render: (v: string | null) => <span className="boai-mono">{v ?? '—'}</span> },
  ];

  const actionOptions = Object.entries(auditActionLabels).map(([code, label]) => ({ value: code, label: withNote(t(label), code, lang) }));

  return (
    <Space orientation="vertical" size="middle" className="boai-block">
      <Card className="boai-search-card" size="small">
        <Form<SearchForm> form={form} layout="vertical" initialValues={initial} key={params.toString()} onFinish={apply}>
          <Row gutter={16} align="bottom">
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="range" label={t(m.dateRange)}>
                <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} placeholder={[t(m.from), t(m.to)]} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={4}>
              <Form.Item name="actor" label={t(m.actor)}>
                <Input allowClear maxLength={40} placeholder={t(m.actorPlaceholder)} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={4}>
              <Form.Item name="action" label={t(m.action)}>
                <AutoComplete
                  allowClear
                  options={actionOptions}
                  placeholder={t(m.actionPlaceholder)}
                  showSearch={{
                    filterOption: (input, option) =>
                      !!option && (String(option.value).includes(input) || String(option.label).includes(input)),
                  }}
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8} xl={3}>
              <Form.Item name="entityType" label={t(m.entityType)}>
                <AutoComplete allowClear placeholder={t(common.all)} options={Object.entries(entityLabels).map(([v, l]) => ({ value: v, label: withNote(t(l), v, lang) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} xl={3}>
              <Form.Item name="result" label={t(m.result)}>
                <Select allowClear placeholder={t(common.all)} options={AUDIT_RESULTS.map((r) => ({ value: r, label: t(m[r]) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={10} xl={4}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t(common.search)}
                  </Button>
                  <Button onClick={() => setParams(new URLSearchParams())}>{t(common.reset)}</Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card size="small">
        <div className="boai-toolbar">
          <span className="boai-toolbar-title">{t(m.title)}</span>
          <Space wrap>
            <Tooltip title={t(common.refresh)}>
              <Button icon={<ReloadOutlined />} onClick={() => void log.refetch()} loading={log.isRefetching} aria-label={t(common.refresh)} />
            </Tooltip>
            <Button
              icon={<SafetyCertificateOutlined />}
              loading={verify.isPending}
              onClick={() => verify.mutate(undefined, { onSuccess: setVerified, onError: (e) => report(e) })}
            >
              {t(m.verify)}
            </Button>
            {can('audit.export') && (
              <Tooltip title={t(m.exportHint)}>
                <Button
                  type="primary"
                  icon={<DownloadOutlined />}
                  loading={exporter.isPending}
                  onClick={() => exporter.mutate(filters, { onError: (e) => report(e), onSuccess: () => void log.refetch() })}
                >
                  {t(m.exportXlsx)}
                </Button>
              </Tooltip>
            )}
          </Space>
        </div>
        {verified && <VerifyResult result={verified} onClose={() => setVerified(null)} />}
        {log.isError && <Alert type="error" showIcon title={log.error.message} style={{ marginBottom: 12 }} />}
        <Table<AuditEntry>
          rowKey="seq"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={log.isPending || (log.isFetching && !log.isFetchingNextPage)}
          pagination={false}
          scroll={{ x: 1100 }}
          expandable={{
            expandedRowRender: (e) => (
              <Space orientation="vertical" className="boai-block">
                <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                  <Descriptions.Item label={t(m.seq)}>{e.seq}</Descriptions.Item>
                  <Descriptions.Item label={t(m.action)}>
                    <span className="boai-mono">{e.action}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t(m.requestId)}>
                    <span className="boai-mono">{e.requestId ?? '—'}</span>
                  </Descriptions.Item>
                </Descriptions>
                <Row gutter={12}>
                  <Col xs={24} lg={8}>
                    <Typography.Text strong>{t(m.before)}</Typography.Text>
                    <Json value={e.before} />
                  </Col>
                  <Col xs={24} lg={8}>
                    <Typography.Text strong>{t(m.after)}</Typography.Text>
                    <Json value={e.after} />
                  </Col>
                  <Col xs={24} lg={8}>
                    <Typography.Text strong>{t(m.details)}</Typography.Text>
                    <Json value={e.details} />
                  </Col>
                </Row>
              </Space>
            ),
          }}
        />
        <div className="boai-load-more">
          <Typography.Text type="secondary">
            {log.hasNextPage ? t(common.loaded, { count: rows.length }) : t(common.allLoaded, { count: rows.length })}
          </Typography.Text>
          {log.hasNextPage && (
            <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
              {t(common.loadMore)}
            </Button>
          )}
        </div>
      </Card>
    </Space>
  );
}
