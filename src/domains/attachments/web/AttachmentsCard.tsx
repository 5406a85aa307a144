import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, DownloadOutlined, FileImageOutlined, FilePdfOutlined, InboxOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { ATTACHMENT_MAX_BYTES, type Attachment } from '../attachments.contract.ts';
import { useReportError } from '../../../web/feedback.ts';
import { formatBytes, formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { downloadAttachment, useAttachments, useRemoveAttachment, useUploadAttachment } from './attachments.api.ts';
import { attachmentsMessages as m } from './attachments.messages.ts';

const MB = ATTACHMENT_MAX_BYTES / 1024 / 1024;
const ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf';

function UploadModal({ ownerType, ownerId, onClose }: { ownerType: string; ownerId: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const send = useUploadAttachment(ownerType, ownerId);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState('');

  const submit = () => {
    if (!file) {
      setProblem(t(m.chooseFile));
      return;
    }
    send.mutate(
      { file, note: note.trim() || undefined },
      {
        onSuccess: () => {
          void message.success(t(m.uploaded));
          onClose();
        },
        onError: (e) => report(e),
      },
    );
  };

  return (
    <Modal
      open
      title={t(m.addTitle)}
      okText={t(m.upload)}
      cancelText={t(common.cancel)}
      onOk={submit}
      confirmLoading={send.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="attachment-upload">
        <Upload.Dragger
          accept={ACCEPT}
          multiple={false}
          showUploadList={false}
          // The file is sent by this page (raw body, its name in a header), not by the Upload component.
          beforeUpload={(f) => {
            if (f.size > ATTACHMENT_MAX_BYTES) {
              setProblem(t(m.tooLarge, { mb: MB }));
              setFile(null);
            } else {
              setProblem(null);
              setFile(f);
            }
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? file.name : t(m.dragHint)}</p>
          <p className="ant-upload-hint">{file ? formatBytes(file.size) : t(m.typesHint, { mb: MB })}</p>
        </Upload.Dragger>
      </div>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginTop: 12 }} />}
      <Form layout="vertical" style={{ marginTop: 16 }}>
        <Form.Item label={t(m.note)}>
          <Input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t(m.notePlaceholder)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 附件 of a record: list, download, and (with the owner's write permission) upload and remove. */
export function AttachmentsCard({ ownerType, ownerId, writable }: { ownerType: string; ownerId: string; writable: boolean }) {
  const { t, lang } = useI18n();
  const { modal, message } = App.useApp();
  const report = useReportError();
  const list = useAttachments(ownerType, ownerId);
  const remove = useRemoveAttachment(ownerType, ownerId);
  const [adding, setAdding] = useState(false);
  const [downloading, setDownloading] = useState<string | null>(null);

  const columns: TableColumnsType<Attachment> = [
    {
      title: t(m.fileName),
      dataIndex: 'fileName',
      render: (v: string, a) => (
        <Space size={6}>
          {a.contentType === 'application/pdf' ? <FilePdfOutlined /> : <FileImageOutlined />}
          <Typography.Link
            onClick={() => {
              setDownloading(a.id);
              downloadAttachment(a)
                .catch((e: unknown) => report(e))
                .finally(() => setDownloading(null));
            }}
          >
            {v}
          </Typography.Link>
          {a.note && <Typography.Text type="secondary">{a.note}</Typography.Text>}
        </Space>
      ),
    },
    { title: t(m.type), dataIndex: 'contentType', width: 90, render: (v: string) => <Tag>{v === 'application/pdf' ? 'PDF' : v.replace('image/', '').toUpperCase()}</Tag> },
    { title: t(m.size), dataIndex: 'size', width: 90, align: 'right', render: (v: number) => formatBytes(v) },
    { title: t(m.uploadedBy), dataIndex: 'createdByName', width: 140, render: (v: string | null) => v ?? '—' },
    { title: t(m.uploadedAt), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
    {
      title: t(common.actions),
      key: 'actions',
      width: writable ? 140 : 80,
      render: (_v, a) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            icon={<DownloadOutlined />}
            loading={downloading === a.id}
            onClick={() => {
              setDownloading(a.id);
              downloadAttachment(a)
                .catch((e: unknown) => report(e))
                .finally(() => setDownloading(null));
            }}
          >
            {t(m.download)}
          </Button>
          {writable && (
            <Button
              type="link"
              size="small"
              danger
              icon={<DeleteOutlined />}
              onClick={() =>
                modal.confirm({
                  title: t(m.removeTitle, { name: a.fileName }),
                  content: t(m.removeText),
                  okText: t(m.remove),
                  okButtonProps: { danger: true },
                  cancelText: t(common.cancel),
                  onOk: () =>
                    remove.mutateAsync(a.id).then(
                      () => void message.success(t(m.removed)),
                      (e: unknown) => report(e),
                    ),
                })
              }
            >
              {t(m.remove)}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={
        <Space size={6}>
          <PaperClipOutlined />
          {t(m.title)}
          {list.data && list.data.length > 0 && <Tag>{list.data.length}</Tag>}
        </Space>
      }
      extra={
        writable && (
          <Button icon={<UploadOutlined />} onClick={() => setAdding(true)}>
            {t(m.add)}
          </Button>
        )
      }
      data-testid="attachments"
    >
      {list.isError && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
      <Table<Attachment>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t(m.empty) }}
      />
      {adding && <UploadModal ownerType={ownerType} ownerId={ownerId} onClose={() => setAdding(false)} />}
    </Card>
  );
}
