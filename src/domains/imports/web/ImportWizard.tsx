import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Popconfirm, Progress, Result, Row, Space, Spin, Steps, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloseCircleOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { importsErrors, importStatusLabels, type ImportJob, type ImportStatus } from '../imports.contract.ts';
import { platformErrors, type ErrorCatalog } from '../../../platform/errors.ts';
import { fill, type Text } from '../../../platform/i18n.ts';
import { ApiError } from '../../../web/api.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime, formatInteger } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { UnitTreeSelect } from '../../orgs/web/UnitTreeSelect.tsx';
import { downloadReport, downloadTemplate, importsKeys, isRunning, useCancelImport, useImportJob, useRecentJobs, useRegistryInfo, useStartImport } from './imports.api.ts';
import { importsMessages as m } from './imports.messages.ts';
import { countDataRows } from './xlsx-rows.ts';

/** The server's limit on an uploaded workbook (platform/xlsx-read.ts). */
const MAX_MB = 50;

const statusColor: Record<ImportStatus, string> = {
  queued: 'default',
  validating: 'processing',
  importing: 'processing',
  done: 'success',
  failed: 'error',
  cancelled: 'warning',
};

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const { t } = useI18n();
  return <Tag color={statusColor[status]}>{t(importStatusLabels[status])}</Tag>;
}

const jobErrors: ErrorCatalog = { ...platformErrors, ...importsErrors };

/** A failed job's message is an error code when the whole file was refused: show it as the catalogue words it. */
function fileProblem(message: string | null, params: Record<string, string | number> | null, t: (x: Text) => string): string | null {
  if (!message) return null;
  const spec = jobErrors[message];
  return spec ? fill(t(spec), params ?? undefined).replace(/[“"]?\{\w+\}[”"]?/g, '…') : message;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The moving part: status, a progress bar through validation and writing, and a cancel button. */
function JobProgress({
  job,
  estimate,
  updatedAt,
  onCancel,
  cancelling,
}: {
  job: ImportJob;
  estimate: number | null;
  /** When the server last answered a poll. */
  updatedAt: number;
  onCancel: () => void;
  cancelling: boolean;
}) {
  const { t, lang } = useI18n();
  const seenAt = useRef(Date.now());
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(h);
  }, []);

  const n = (x: number) => formatInteger(x, lang);
  let percent: number;
  let line: string;
  if (job.status === 'importing') {
    const total = job.totalRows ?? job.processedRows;
    percent = total ? Math.min(99, Math.floor((job.insertedCount / total) * 100)) : 0;
    line = job.insertedCount > 0 ? t(m.rowsWritten, { done: n(job.insertedCount), total: n(total) }) : t(m.writing, { total: n(total) });
  } else {
    const total = job.totalRows ?? estimate;
    percent = total ? Math.min(99, Math.floor((job.processedRows / total) * 100)) : 0;
    line = total
      ? t(m.rowsChecked, { done: n(job.processedRows), total: `${job.totalRows === null ? t(m.rowsEstimated) : ''}${n(total)}` })
      : t(m.rowsCheckedNoTotal, { done: n(job.processedRows) });
  }
  // The server may hold the progress answer back while it writes the whole file in one transaction
  // (the embedded database runs one transaction at a time): say so instead of looking frozen.
  const total = job.totalRows ?? estimate;
  const stalled = now - updatedAt > 4000;
  const note = !stalled ? null : job.status === 'importing' || (total && job.processedRows >= total * 0.95) ? t(m.writingWait) : t(m.serverBusy);

  return (
    <div className="boai-import-progress">
      <Space size="middle" wrap className="boai-import-file">
        <FileExcelOutlined className="boai-xlsx-icon" />
        <Typography.Text strong>{job.fileName}</Typography.Text>
        <ImportStatusTag status={job.status} />
        <Typography.Text type="secondary">{t(m.elapsed, { time: duration(now - seenAt.current) })}</Typography.Text>
      </Space>
      <div data-testid="import-progress" data-phase={job.status}>
        <Progress percent={percent} status="active" />
      </div>
      <div className="boai-import-line">
        <Typography.Text data-testid="import-progress-text">{line}</Typography.Text>
        {note && (
          <Typography.Text type="secondary" data-testid="import-progress-note">
            <Spin size="small" /> {note}
          </Typography.Text>
        )}
        {job.errorCount > 0 && <Typography.Text type="danger">{t(m.errorsSoFar, { count: n(job.errorCount) })}</Typography.Text>}
      </div>
      <div className="boai-import-actions">
        <Popconfirm title={t(m.cancelConfirm)} okText={t(common.confirm)} cancelText={t(common.cancel)} onConfirm={onCancel}>
          <Button danger icon={<CloseCircleOutlined />} loading={cancelling}>
            {t(m.cancel)}
          </Button>
        </Popconfirm>
      </div>
    </div>
  );
}

function JobResult({ job, listPath, onAgain }: { job: ImportJob; listPath: string; onAgain: () => void }) {
  const { t, lang } = useI18n();
  const report = useReportError();
  const [downloading, setDownloading] = useState(false);
  const n = (x: number) => formatInteger(x, lang);
  const tookMs = job.finishedAt ? new Date(job.finishedAt).getTime() - new Date(job.createdAt).getTime() : 0;
  const took = tookMs >= 1000 ? duration(tookMs) : null;
  const again = (
    <Button key="again" icon={<ReloadOutlined />} onClick={onAgain}>
      {job.status === 'done' ? t(m.importAnother) : t(m.retry)}
    </Button>
  );

  if (job.status === 'done') {
    return (
      <Result
        status="success"
        title={t(m.successTitle)}
        subTitle={
          <span data-testid="import-success">
            {t(m.successText, { file: job.fileName, count: n(job.insertedCount) })}
            {took && ` ${t(m.elapsed, { time: took })}`}
          </span>
        }
        extra={[
          <Link key="list" to={listPath}>
            <Button type="primary">{t(m.viewList)}</Button>
          </Link>,
          again,
        ]}
      />
    );
  }
  if (job.status === 'cancelled') {
    return <Result status="info" title={t(m.cancelled)} extra={[again]} />;
  }
  if (job.hasReport) {
    return (
      <Result
        status="error"
        title={t(m.failedTitle)}
        subTitle={
          <span data-testid="import-failed">
            {t(m.failedText, { file: job.fileName, total: n(job.totalRows ?? job.processedRows), count: n(job.errorCount) })}
          </span>
        }
        extra={[
          <Button
            key="report"
            type="primary"
            icon={<DownloadOutlined />}
            loading={downloading}
            onClick={() => {
              setDownloading(true);
              downloadReport(job)
                .catch((e: unknown) => report(e))
                .finally(() => setDownloading(false));
            }}
          >
            {t(m.downloadReport)}
          </Button>,
          again,
        ]}
      />
    );
  }
  return (
    <Result
      status="error"
      title={t(m.failedFile)}
      subTitle={<span data-testid="import-failed">{fileProblem(job.message, job.messageParams, t) ?? t(m.failedTitle)}</span>}
      extra={[again]}
    />
  );
}

/**
 * Excel import of one registry, step by step: the template, the file (sent as it is, only in the
 * upload request), progress polled every half second with a cancel button, then the result —
 * success, or the error report to download and the way back to import the corrected file. The job
 * being watched is in the address bar, so a reload or a shared link shows it again.
 */
export function ImportWizard({ registry, listPath, invalidates }: { registry: string; listPath: string; invalidates?: readonly unknown[] }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const can = useHasPermission();
  const report = useReportError();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const info = useRegistryInfo(registry);
  const recent = useRecentJobs(registry);
  const job = useImportJob(jobId);
  const start = useStartImport(registry);
  const cancel = useCancelImport(registry);
  const [unitId, setUnitId] = useState<string | undefined>(me.user.unitId ?? undefined);
  const [refusal, setRefusal] = useState<{ message: string; jobId?: string } | null>(null);
  const [estimate, setEstimate] = useState<{ jobId: string; rows: number | null } | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [downloadingTemplate, setDownloadingTemplate] = useState(false);

  const current = job.data?.id === jobId ? job.data : undefined;
  const running = isRunning(current);
  const finished = !!current && !running;

  // The recent list shows a job's end as soon as it ends.
  const status = current?.status;
  useEffect(() => {
    if (status) void qc.invalidateQueries({ queryKey: importsKeys.jobs(registry) });
    // Rows just imported belong in the registry's lists at once.
    if (status === 'done' && invalidates) void qc.invalidateQueries({ queryKey: invalidates });
  }, [status, qc, registry, invalidates]);

  const showJob = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set('job', id);
      else next.delete('job');
      return next;
    });

  const begin = (file: File) => {
    setRefusal(null);
    if (!/\.xlsx$/i.test(file.name)) {
      setRefusal({ message: t(m.notXlsx) });
      return;
    }
    if (file.size > MAX_MB * 1024 * 1024) {
      setRefusal({ message: t(m.tooLarge, { mb: MAX_MB }) });
      return;
    }
    setUploading(file.name);
    const counting = countDataRows(file);
    start.mutate(
      { file, unitId: can('orgs.read') ? unitId : undefined },
      {
        onSuccess: (j) => {
          showJob(j.id);
          void counting.then((rows) => setEstimate({ jobId: j.id, rows }));
        },
        onError: (e) => {
          if (e instanceof ApiError && e.status !== 401) {
            const prior = (e.details as { jobId?: string } | undefined)?.jobId;
            setRefusal({ message: e.message, ...(e.code === 'import.already_imported' && prior ? { jobId: prior } : {}) });
          } else report(e);
        },
        onSettled: () => setUploading(null),
      },
    );
  };

  const title = info.data?.title ?? '';
  const step = finished ? 3 : running || uploading ? 2 : 1;

  const columnRows = info.data?.columns ?? [];
  const recentColumns: TableColumnsType<ImportJob> = [
    {
      title: t(m.file),
      dataIndex: 'fileName',
      render: (v: string, j) => (
        <Space size={6}>
          <FileExcelOutlined className="boai-xlsx-icon" />
          <Typography.Link onClick={() => showJob(j.id)}>{v}</Typography.Link>
        </Space>
      ),
    },
    { title: t(m.status), dataIndex: 'status', width: 140, render: (s: ImportStatus) => <ImportStatusTag status={s} /> },
    { title: t(m.rows), key: 'rows', width: 100, align: 'right', render: (_v, j) => formatInteger(j.totalRows ?? j.processedRows, lang) },
    { title: t(m.errors), dataIndex: 'errorCount', width: 80, align: 'right', render: (v: number) => (v ? <Typography.Text type="danger">{formatInteger(v, lang)}</Typography.Text> : 0) },
    { title: t(m.inserted), dataIndex: 'insertedCount', width: 100, align: 'right', render: (v: number) => formatInteger(v, lang) },
    { title: t(m.startedAt), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
    {
      title: t(common.actions),
      key: 'actions',
      width: 150,
      render: (_v, j) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => showJob(j.id)}>
            {t(m.view)}
          </Button>
          {j.hasReport && (
            <Button type="link" size="small" onClick={() => void downloadReport(j).catch((e: unknown) => report(e))}>
              {t(m.report)}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="import-wizard">
      <Card title={t(m.title, { registry: title })}>
        <Steps
          className="boai-import-steps"
          current={step}
          status={finished && current.status !== 'done' ? 'error' : undefined}
          items={[{ title: t(m.stepTemplate) }, { title: t(m.stepFile) }, { title: t(m.stepProgress) }, { title: t(m.stepResult) }]}
        />
        {refusal && (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setRefusal(null) }}
            title={refusal.message}
            style={{ marginBottom: 16 }}
            data-testid="import-refused"
            action={
              refusal.jobId && (
                <Button size="small" onClick={() => showJob(refusal.jobId!)}>
                  {t(m.alreadyImported)}
                </Button>
              )
            }
          />
        )}
        {jobId && job.isError && <Alert type="error" showIcon title={job.error.message} style={{ marginBottom: 16 }} />}
        {jobId && current && running && (
          <JobProgress
            job={current}
            estimate={estimate?.jobId === current.id ? estimate.rows : null}
            updatedAt={job.dataUpdatedAt}
            cancelling={cancel.isPending}
            onCancel={() => cancel.mutate(current.id, { onError: (e) => report(e), onSuccess: () => void message.info(t(m.cancelled)) })}
          />
        )}
        {jobId && current && finished && (
          <JobResult
            job={current}
            listPath={listPath}
            onAgain={() => {
              setEstimate(null);
              showJob(null);
            }}
          />
        )}
        {jobId && !current && !job.isError && <Spin />}
        {!jobId && (
          <Row gutter={[24, 16]} align="top">
            <Col xs={24} xl={12}>
              <Typography.Title level={5}>1. {t(m.stepTemplate)}</Typography.Title>
              <Typography.Paragraph type="secondary">{t(m.templateText, { max: formatInteger(info.data?.maxRows ?? 200_000, lang) })}</Typography.Paragraph>
              <Button
                icon={<DownloadOutlined />}
                loading={downloadingTemplate}
                onClick={() => {
                  setDownloadingTemplate(true);
                  downloadTemplate(registry, title)
                    .catch((e: unknown) => report(e))
                    .finally(() => setDownloadingTemplate(false));
                }}
                data-testid="download-template"
              >
                {t(m.downloadTemplate)}
              </Button>
              <Table
                className="boai-template-columns"
                rowKey="key"
                size="small"
                pagination={false}
                loading={info.isPending}
                dataSource={columnRows}
                columns={[
                  {
                    title: t(m.column),
                    dataIndex: 'header',
                    width: 150,
                    render: (v: string, c) => (
                      <Space size={4}>
                        <span>{v}</span>
                        {c.required && <Tag color="red">{t(m.required)}</Tag>}
                      </Space>
                    ),
                  },
                  { title: t(m.example), dataIndex: 'example', width: 170, render: (v: string | null) => <span className="boai-mono">{v ?? ''}</span> },
                  { title: t(m.note), dataIndex: 'note', render: (v: string | null) => <Typography.Text type="secondary">{v ?? ''}</Typography.Text> },
                ]}
              />
            </Col>
            <Col xs={24} xl={12}>
              <Typography.Title level={5}>2. {t(m.stepFile)}</Typography.Title>
              {can('orgs.read') && (
                <Descriptions size="small" column={1} className="boai-import-unit">
                  <Descriptions.Item label={t(m.unit)}>
                    <Tooltip title={t(m.unitHelp)}>
                      <div style={{ width: '100%' }}>
                        <UnitTreeSelect value={unitId} onChange={setUnitId} label={me.user.unitName} />
                      </div>
                    </Tooltip>
                  </Descriptions.Item>
                </Descriptions>
              )}
              <div data-testid="import-upload">
                <Upload.Dragger
                  className="boai-import-drop"
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  multiple={false}
                  showUploadList={false}
                  disabled={!!uploading}
                  // The page sends the file itself (raw body, its name in a header); the component only picks it.
                  beforeUpload={(f) => {
                    begin(f);
                    return false;
                  }}
                >
                  {uploading ? (
                    <div className="boai-upload-busy">
                      <Spin />
                      <p className="ant-upload-text">{t(m.uploading, { name: uploading })}</p>
                  </div>
                ) : (
                  <>
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">{t(m.dragHint)}</p>
                    <p className="ant-upload-hint">{t(m.dragSub)}</p>
                  </>
                )}
              </Upload.Dragger>
              </div>
            </Col>
          </Row>
        )}
      </Card>

      <Card
        title={t(m.recent)}
        size="small"
        data-testid="recent-imports"
        extra={
          <Tooltip title={t(common.refresh)}>
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void recent.refetch()} loading={recent.isRefetching} aria-label={t(common.refresh)} />
          </Tooltip>
        }
      >
        {recent.isError && <Alert type="error" showIcon title={recent.error.message} style={{ marginBottom: 12 }} />}
        <Table<ImportJob>
          rowKey="id"
          size="small"
          columns={recentColumns}
          // The job being watched is shown as its latest poll says, not as the list last said.
          dataSource={(recent.data ?? []).map((j) => (current && j.id === current.id ? current : j))}
          loading={recent.isPending}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t(m.noRecent) }}
        />
      </Card>
    </Space>
  );
}
