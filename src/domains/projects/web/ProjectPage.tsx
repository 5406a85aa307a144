import { useState } from 'react';
import { useParams } from 'react-router';
import { App, Button, Card, Col, Descriptions, Form, Input, Modal, Row, Space, Tag, Timeline, Typography } from 'antd';
import { EditOutlined, RocketOutlined, StopOutlined } from '@ant-design/icons';
import { projectCategoryLabels, projectKindLabels, type HistoryEntry, type ProjectDetail } from '../projects.contract.ts';
import { auditActionLabels } from '../../audit/audit.contract.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDate, formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { useCloseProject, useProject, useUpdateProject } from './projects.api.ts';
import { projectsMessages as m } from './projects.messages.ts';
import { ProjectFormDrawer } from './ProjectFormDrawer.tsx';
import { ProjectStatusTag, RaisedCell } from './ProjectTags.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

const FIELD_LABELS: Record<string, keyof typeof m> = {
  name: 'name',
  category: 'category',
  summary: 'summary',
  periodStart: 'periodStart',
  periodEnd: 'periodEnd',
  affectedArea: 'affectedArea',
  goalFen: 'goalShort',
  status: 'status',
  beneficiaryGroups: 'beneficiaryGroups',
  brandProject: 'brandProject',
  publicText: 'publicText',
  publicImageId: 'publicImage',
  internalNotes: 'internalNotes',
};

function CloseModal({ project, onClose }: { project: ProjectDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const close = useCloseProject();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open
      title={t(m.closeTitle, { name: project.name })}
      okText={t(m.close)}
      okButtonProps={{ danger: true, loading: close.isPending }}
      cancelText={t(common.cancel)}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="warning">{t(m.closeText)}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          close.mutate(
            { id: project.id, body: { version: project.version, reason: v.reason.trim() } },
            {
              onSuccess: () => {
                void message.success(t(m.closedDone));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item name="reason" label={t(m.closedReason)} rules={[{ required: true, whitespace: true, message: t(m.closeReasonRequired) }, { max: 200 }]}>
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function historyText(h: HistoryEntry, t: (x: { zh: string; en: string }, p?: Record<string, unknown>) => string) {
  const details = h.details as { changed?: string[]; reason?: string; fileName?: string } | null;
  if (details?.changed?.length) return t(m.changedFields, { fields: details.changed.map((f) => (FIELD_LABELS[f] ? t(m[FIELD_LABELS[f]]) : f)).join('、') });
  if (details?.reason) return details.reason;
  if (details?.fileName) return details.fileName;
  return '';
}

/** 项目详情: the project, raised against goal, its attachments (the public image among them) and its history. */
export function ProjectPage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const can = useHasPermission();
  const q = useProject(id);
  const update = useUpdateProject();
  const [dialog, setDialog] = useState<'edit' | 'close' | null>(null);

  if (!q.isSuccess) return <QueryFallback q={q} notFoundTitle={t(m.notFound)} back={{ to: "/projects", label: t(m.backToList) }} />;
  const p = q.data;
  const writable = can('projects.write');
  const open = p.status !== 'closed';

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="project-page">
      <Card>
        <div className="boai-person-head">
          <Space orientation="vertical" size={4}>
            <Space size={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="project-name">
                {p.name}
              </Typography.Title>
              <ProjectStatusTag status={p.status} />
              {p.kind === 'appeal' && <Tag color="red">{t(projectKindLabels.appeal)}</Tag>}
              {p.brandProject && <Tag color="gold">{t(m.brandProject)}</Tag>}
            </Space>
            <Typography.Text type="secondary">
              <span className="boai-mono">{p.code}</span> · {t(m.ownerUnit)} {p.ownerUnitName} · {t(m.createdAt)} {formatDateTime(p.createdAt, lang)}
            </Typography.Text>
          </Space>
          {writable && (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="project-edit">
                {t(common.edit)}
              </Button>
              {p.status === 'draft' && (
                <Button
                  type="primary"
                  icon={<RocketOutlined />}
                  loading={update.isPending}
                  onClick={() =>
                    update.mutate({ id: p.id, body: { version: p.version, status: 'fundraising' } }, { onSuccess: () => void message.success(t(m.published)), onError: (e) => report(e) })
                  }
                >
                  {t(m.publish)}
                </Button>
              )}
              {open && (
                <Button danger icon={<StopOutlined />} onClick={() => setDialog('close')} data-testid="project-close">
                  {t(m.close)}
                </Button>
              )}
            </Space>
          )}
        </div>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Space orientation="vertical" size="middle" className="boai-block">
            <Card title={t(m.basicInfo)}>
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t(m.code)}>{p.code}</Descriptions.Item>
                <Descriptions.Item label={t(m.kind)}>{t(projectKindLabels[p.kind])}</Descriptions.Item>
                <Descriptions.Item label={t(m.category)}>{t(projectCategoryLabels[p.category])}</Descriptions.Item>
                <Descriptions.Item label={t(m.ownerUnit)}>{p.ownerUnitName}</Descriptions.Item>
                <Descriptions.Item label={p.kind === 'appeal' ? t(m.appealStart) : t(m.periodStart)}>{formatDate(p.periodStart, lang)}</Descriptions.Item>
                <Descriptions.Item label={t(m.periodEnd)}>{formatDate(p.periodEnd, lang)}</Descriptions.Item>
                {p.kind === 'appeal' && (
                  <Descriptions.Item label={t(m.affectedArea)} span={2}>
                    {p.affectedArea}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t(m.progress)} span={2}>
                  <div style={{ maxWidth: 360 }} data-testid="project-raised">
                    <RaisedCell project={p} />
                  </div>
                </Descriptions.Item>
                <Descriptions.Item label={t(m.beneficiaryGroups)} span={2}>
                  {p.beneficiaryGroups.length ? p.beneficiaryGroups.map((g) => <Tag key={g}>{g}</Tag>) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t(m.summary)} span={2}>
                  {p.summary ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t(m.publicText)} span={2}>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{p.publicText ?? '—'}</Typography.Paragraph>
                </Descriptions.Item>
                <Descriptions.Item label={t(m.internalNotes)} span={2}>
                  {p.internalNotes ?? '—'}
                </Descriptions.Item>
                {p.status === 'closed' && (
                  <>
                    <Descriptions.Item label={t(m.closedAt)}>{formatDateTime(p.closedAt, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t(m.closedReason)}>{p.closedReason}</Descriptions.Item>
                  </>
                )}
              </Descriptions>
            </Card>
            {id && <AttachmentsCard ownerType="project" ownerId={id} writable={writable} />}
          </Space>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t(m.history)} size="small" data-testid="project-history">
            {p.history.length === 0 ? (
              <Typography.Text type="secondary">{t(m.historyEmpty)}</Typography.Text>
            ) : (
              <Timeline
                items={[...p.history].reverse().map((h, i) => ({
                  key: i,
                  content: (
                    <Space orientation="vertical" size={0}>
                      <span>
                        <strong>{auditActionLabels[h.action] ? t(auditActionLabels[h.action]!) : h.action}</strong> · {h.by ?? '—'}
                      </span>
                      <Typography.Text type="secondary">{formatDateTime(h.at, lang)}</Typography.Text>
                      <Typography.Text type="secondary">{historyText(h, t)}</Typography.Text>
                    </Space>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>

      {dialog === 'edit' && <ProjectFormDrawer project={p} onClose={() => setDialog(null)} />}
      {dialog === 'close' && <CloseModal project={p} onClose={() => setDialog(null)} />}
    </Space>
  );
}
