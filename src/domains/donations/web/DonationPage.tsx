import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Radio, Row, Skeleton, Space, Statistic, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, EyeOutlined, PrinterOutlined, RollbackOutlined } from '@ant-design/icons';
import { channelLabels, type Donation } from '../donations.contract.ts';
import { newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { useAttachments } from '../../attachments/web/attachments.api.ts';
import { fetchLookupCode, useConfirmDonation, useDonation, useReverseDonation, useTrace } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { designationText, donationState, DonationStatusTag, Money, receiptText, TraceTimeline } from './donations.shared.tsx';
import { GoodsTable, GoodsTraceTimeline } from './DonationGoods.tsx';
import { amountInWords, formatYuan } from './money.ts';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

type ConfirmForm = { mode: 'issued' | 'anonymous' | 'declined'; receiptNo?: string; waiverNote?: string };

function ConfirmModal({ d, onClose, onConfirmed }: { d: Donation; onClose: () => void; onConfirmed: (code: string) => void }) {
  const { t } = useI18n();
  const report = useReportError();
  const confirm = useConfirmDonation();
  const [form] = Form.useForm<ConfirmForm>();
  const [key] = useState(newIdempotencyKey);
  const mode: ConfirmForm['mode'] = Form.useWatch('mode', form) ?? (d.receiptWaiver ?? 'issued');

  const submit = (v: ConfirmForm) => {
    const body =
      v.mode === 'issued'
        ? { version: d.version, receiptNo: v.receiptNo!.trim() }
        : { version: d.version, receiptWaiver: v.mode, waiverNote: v.waiverNote?.trim() ? v.waiverNote.trim() : null };
    confirm.mutate(
      { id: d.id, body, key },
      {
        // A replayed confirmation carries no code: the receipt's reprint fetches it (audited).
        onSuccess: (r) => onConfirmed(r.lookupCode ?? ''),
        onError: (e) => report(e, form),
      },
    );
  };

  return (
    <Modal
      open
      width={560}
      title={t(m.confirmTitle, { number: d.number })}
      okText={t(m.confirm)}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={confirm.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="confirm-modal"
    >
      <Alert type="info" showIcon title={t(m.confirmText)} style={{ marginBottom: 16 }} />
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t(m.donor)}>{d.donorName}</Descriptions.Item>
        {(d.amountFen > 0 || d.goods.length === 0) && (
          <Descriptions.Item label={t(m.amountShort)}>
            <Money fen={d.amountFen} strong /> <Typography.Text type="secondary">{amountInWords(d.amountFen)}</Typography.Text>
          </Descriptions.Item>
        )}
        {d.goods.length > 0 && (
          <Descriptions.Item label={t(m.goodsTitle)}>
            {d.goods.map((l) => `${l.itemName}（${l.spec || '—'}）×${l.quantity}${l.unit}`).join('；')}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t(m.designation)}>{designationText(t, d)}</Descriptions.Item>
      </Descriptions>
      <Form<ConfirmForm> form={form} layout="vertical" name="confirm" initialValues={{ mode: d.receiptWaiver ?? 'issued', receiptNo: d.receiptNo ?? '' }} onFinish={submit}>
        <Form.Item name="mode" label={t(m.receiptMode)}>
          <Radio.Group
            options={[
              { value: 'issued', label: t(m.receiptModeIssued) },
              { value: 'anonymous', label: t(m.receiptModeAnonymous) },
              { value: 'declined', label: t(m.receiptModeDeclined) },
            ]}
          />
        </Form.Item>
        {mode === 'issued' ? (
          <Form.Item name="receiptNo" label={t(m.receiptNo)} validateTrigger={['onChange', 'onBlur']} rules={[{ required: true, whitespace: true, message: t(m.receiptNoRequired) }, { max: 40 }]}>
            <Input maxLength={40} className="boai-mono" data-testid="confirm-receipt-no" />
          </Form.Item>
        ) : (
          <Form.Item name="waiverNote" label={t(m.waiverNote)} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ReverseModal({ d, onClose }: { d: Donation; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const reverse = useReverseDonation();
  const [form] = Form.useForm<{ reason: string }>();
  const [key] = useState(newIdempotencyKey);
  return (
    <Modal
      open
      title={t(m.reverseTitle, { number: d.number })}
      okText={t(m.reverse)}
      okButtonProps={{ danger: true }}
      cancelText={t(common.cancel)}
      onOk={() => form.submit()}
      confirmLoading={reverse.isPending}
      onCancel={onClose}
      destroyOnHidden
      data-testid="reverse-modal"
    >
      <Alert type="warning" showIcon title={t(m.reverseText)} description={t(common.irreversible)} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        name="reverse"
        onFinish={(v: { reason: string }) =>
          reverse.mutate(
            { id: d.id, reason: v.reason.trim(), key },
            {
              onSuccess: () => {
                void message.success(t(m.reversed));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item name="reason" label={t(m.reverseReason)} rules={[{ required: true, whitespace: true, message: t(m.reverseReasonRequired) }, { max: 300 }]}>
          <Input.TextArea rows={3} maxLength={300} showCount data-testid="reverse-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The lookup code, shown big: once right after confirming, or again on request for a reprint. */
export function LookupCode({ code }: { code: string }) {
  return (
    <Typography.Text copyable={{ text: code }} className="don-code" data-testid="lookup-code">
      {code}
    </Typography.Text>
  );
}

/** 捐赠详情: the gift, its confirmation (receipt or waiver), letters, where the money went, and its papers. */
export function DonationPage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const report = useReportError();
  const navigate = useNavigate();
  const can = useHasPermission();
  const q = useDonation(id);
  const trace = useTrace(id, q.data?.status === 'confirmed');
  const letters = useAttachments('donation', id ?? '');
  const [dialog, setDialog] = useState<'confirm' | 'reverse' | null>(null);
  const [code, setCode] = useState<{ value: string; fresh: boolean } | null>(null);
  const [loadingCode, setLoadingCode] = useState(false);

  if (!q.isSuccess) return <QueryFallback q={q} notFoundTitle={t(m.notFound)} back={{ to: "/donations", label: t(m.backToList) }} />;
  const d = q.data;
  const state = donationState(d, trace.data);
  const writable = can('donations.write');
  const needsLetter = d.designation === 'beneficiary' && d.status === 'draft' && letters.data !== undefined && letters.data.length === 0;
  // Goods in stock are corrected in the warehouse (a reversing 入库单), not by reversing the whole gift.
  const reversible = state === 'confirmed' && d.unspentFen === d.amountFen && d.goods.length === 0;

  const showCode = () => {
    setLoadingCode(true);
    fetchLookupCode(d.id)
      .then((c) => setCode({ value: c, fresh: false }))
      .catch((e: unknown) => report(e))
      .finally(() => setLoadingCode(false));
  };
  const toPrint = () => void navigate(`/donations/${d.id}/print`, { state: code ? { code: code.value } : undefined });

  return (
    <Space orientation="vertical" size="middle" className="boai-block" data-testid="donation-page">
      <Card>
        <div className="boai-toolbar" style={{ marginBottom: 0 }}>
          <Space wrap align="center">
            <Link to="/donations">
              <Button icon={<ArrowLeftOutlined />}>{t(m.backToList)}</Button>
            </Link>
            <Typography.Title level={4} style={{ margin: 0 }} className="boai-mono" data-testid="donation-number">
              {d.number}
            </Typography.Title>
            <DonationStatusTag state={state} />
          </Space>
          <Space wrap>
            {writable && d.status === 'draft' && (
              <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setDialog('confirm')} data-testid="confirm-donation">
                {t(m.confirm)}
              </Button>
            )}
            {state !== 'draft' && (
              <Button type={state === 'confirmed' ? 'primary' : 'default'} icon={<PrinterOutlined />} onClick={toPrint} data-testid="print-docs">
                {t(m.printDocs)}
              </Button>
            )}
            {writable && state === 'confirmed' && (
              <Tooltip title={reversible ? undefined : t(m.reverseBlocked)}>
                <Button danger icon={<RollbackOutlined />} disabled={!reversible} onClick={() => setDialog('reverse')} data-testid="reverse-donation">
                  {t(m.reverse)}
                </Button>
              </Tooltip>
            )}
          </Space>
        </div>
      </Card>

      {code?.fresh && (
        <Alert
          type="success"
          showIcon
          className="don-code-alert"
          data-testid="lookup-code-alert"
          title={t(m.confirmed)}
          description={
            <Space orientation="vertical" size={8}>
              <span>{t(m.lookupCodeTitle)}</span>
              <LookupCode code={code.value} />
              <span>{t(m.lookupCodeOnce)}</span>
              <Button type="primary" icon={<PrinterOutlined />} onClick={toPrint} data-testid="print-receipt-now">
                {t(m.printReceipt)}
              </Button>
            </Space>
          }
        />
      )}
      {needsLetter && <Alert type="warning" showIcon title={t(m.letterMissing)} data-testid="letter-missing" />}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t(m.sectionDetails)}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered data-testid="donation-details">
              <Descriptions.Item label={t(m.donor)}>{d.donorName}</Descriptions.Item>
              <Descriptions.Item label={t(m.receivedOn)}>{d.receivedOn}</Descriptions.Item>
              {(d.amountFen > 0 || d.goods.length === 0) && (
              <Descriptions.Item label={t(m.amountShort)} span={2}>
                <Space wrap>
                  <Money fen={d.amountFen} strong testId="donation-amount-figures" />
                  <Typography.Text type="secondary" data-testid="donation-amount-words">
                    {t(m.rmbWords, { words: amountInWords(d.amountFen) })}
                  </Typography.Text>
                </Space>
              </Descriptions.Item>
              )}
              {d.goods.length > 0 && (
                <Descriptions.Item label={t(m.goodsValue)} span={2}>
                  <Money fen={d.goodsValueFen} strong testId="donation-goods-value" />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t(m.channel)}>{t(channelLabels[d.channel])}</Descriptions.Item>
              <Descriptions.Item label={t(m.designation)}>{designationText(t, d)}</Descriptions.Item>
              <Descriptions.Item label={t(m.purpose)}>{d.purpose ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t(m.receipt)}>{receiptText(t, d)}</Descriptions.Item>
              <Descriptions.Item label={t(m.unit)}>{d.unitName}</Descriptions.Item>
              {d.amountFen > 0 && (
                <Descriptions.Item label={t(m.unspent)}>
                  <Money fen={d.unspentFen} />
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t(m.createdAt)}>{formatDateTime(d.createdAt, lang)}</Descriptions.Item>
              <Descriptions.Item label={t(m.confirmedAt)}>{formatDateTime(d.confirmedAt, lang)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t(m.lookupCodeTitle)} data-testid="lookup-card">
            {d.status === 'draft' ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(m.traceEmpty)} />
            ) : code ? (
              <LookupCode code={code.value} />
            ) : writable ? (
              <Space orientation="vertical">
                <Button icon={<EyeOutlined />} loading={loadingCode} onClick={showCode} data-testid="show-lookup-code">
                  {t(m.lookupCodeShow)}
                </Button>
                <Typography.Text type="secondary">{t(m.lookupCodeAudited)}</Typography.Text>
              </Space>
            ) : (
              <Typography.Text type="secondary">{t(m.lookupUnavailable)}</Typography.Text>
            )}
            {trace.data && d.amountFen > 0 && (
              <Row gutter={16} style={{ marginTop: 16 }}>
                <Col span={12}>
                  <Statistic title={t(m.traceSpent)} value={formatYuan(trace.data.spentFen)} prefix="¥" />
                </Col>
                <Col span={12}>
                  <Statistic title={t(m.traceUnspent)} value={formatYuan(trace.data.unspentFen)} prefix="¥" />
                </Col>
              </Row>
            )}
          </Card>
        </Col>
      </Row>

      {d.goods.length > 0 && (
        <Card title={t(m.goodsTitle)}>
          <GoodsTable goods={d.goods} documentId={d.goodsDocumentId} />
        </Card>
      )}

      <Card title={t(m.sectionTrace)}>
        {d.status === 'draft' ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(m.traceEmpty)} />
        ) : trace.isError ? (
          <Alert type="error" showIcon title={trace.error.message} />
        ) : trace.data ? (
          <>
            {(trace.data.steps.length > 0 || d.goods.length === 0) && <TraceTimeline trace={trace.data} />}
            {d.goods.length > 0 && (
              <>
                <Typography.Title level={5}>{t(m.goodsTraceTitle)}</Typography.Title>
                {trace.data.goodsTrace ? <GoodsTraceTimeline trace={trace.data.goodsTrace} /> : <Typography.Text type="secondary">{t(m.goodsTraceHidden)}</Typography.Text>}
              </>
            )}
          </>
        ) : (
          <Skeleton active />
        )}
      </Card>

      <AttachmentsCard ownerType="donation" ownerId={d.id} writable={writable} />

      {dialog === 'confirm' && (
        <ConfirmModal
          d={d}
          onClose={() => setDialog(null)}
          onConfirmed={(c) => {
            setDialog(null);
            setCode({ value: c, fresh: true });
          }}
        />
      )}
      {dialog === 'reverse' && <ReverseModal d={d} onClose={() => setDialog(null)} />}
    </Space>
  );
}
