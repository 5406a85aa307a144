import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import type { StockDocument } from '../warehouses.contract.ts';
import { docKindLabels, sourceLabels, writeOffReasonLabels } from '../warehouses.contract.ts';
import { common } from '../../../web/messages.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { download, newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { useDocument, usePost, useWarehouses } from './warehouses.api.ts';
import { whMessages as m } from './warehouses.messages.ts';
import { ItemSelect, StatusTag, itemText, todayShanghai, yuan } from './warehouses.shared.tsx';

type Counts = Record<string, { countedQty?: number | null; reason?: string }>;

function CountSheet({ d }: { d: StockDocument }) {
  const { message } = App.useApp();
  const { t } = useI18n();
  const report = useReportError();
  const can = useHasPermission();
  const post = usePost<StockDocument>();
  const [counts, setCounts] = useState<Counts>(() => Object.fromEntries(d.stocktakeLines.map((l) => [l.id, { countedQty: l.countedQty, reason: l.reason ?? '' }])));
  const [found, setFound] = useState<{ itemId?: string; countedQty?: number; unitValue?: number; reason?: string }>({});
  const save = () => {
    const list = [
      ...d.stocktakeLines.filter((l) => counts[l.id]?.countedQty != null).map((l) => ({ lineId: l.id, countedQty: counts[l.id]!.countedQty!, reason: counts[l.id]!.reason || null })),
      ...(found.itemId && found.countedQty != null ? [{ itemId: found.itemId, countedQty: found.countedQty, unitValueFen: Math.round((found.unitValue ?? 0) * 100), reason: found.reason || null }] : []),
    ];
    post.mutate({ path: `/api/warehouses/stocktakes/${d.id}/counts`, body: { version: d.version, counts: list }, key: newIdempotencyKey() }, { onSuccess: () => { setFound({}); void message.success(t(m.countsSaved)); }, onError: (e) => report(e) });
  };
  const finalise = () =>
    Modal.confirm({
      title: t(m.finaliseTitle), content: t(m.finaliseContent), okText: t(m.finaliseOk), cancelText: t(common.cancel),
      onOk: () => post.mutateAsync({ path: `/api/warehouses/stocktakes/${d.id}/finalise`, body: { version: d.version }, key: newIdempotencyKey() }).then(() => void message.success(t(m.finalised)), (e) => report(e)),
    });
  const open = d.status === 'counting';
  return (
    <Card title={t(m.countSheet)} extra={open && <Space><Button onClick={save} loading={post.isPending} data-testid="save-counts">{t(m.saveCounts)}</Button>{can('warehouses.approve') && <Button type="primary" onClick={finalise} data-testid="finalise">{t(m.finaliseByManager)}</Button>}</Space>}>
      <Table rowKey="id" size="small" pagination={false} dataSource={d.stocktakeLines} data-testid="count-sheet" columns={[
        { title: t(m.lineNo), dataIndex: 'lineNo', width: 50 },
        { title: t(m.item), render: (_, l) => itemText(t, { name: l.itemName, spec: l.spec }) },
        { title: t(m.batch), dataIndex: 'batchNo', render: (v: string | null) => v ?? t(m.gainNew) },
        { title: t(m.bookQty), dataIndex: 'bookQty', align: 'right' },
        { title: t(m.countedQty), render: (_, l) => (open ? <InputNumber min={0} value={counts[l.id]?.countedQty ?? undefined} onChange={(v) => setCounts({ ...counts, [l.id]: { ...counts[l.id], countedQty: v } })} data-testid={`count-${l.lineNo}`} /> : l.countedQty) },
        { title: t(m.variance), render: (_, l) => { const c = open ? counts[l.id]?.countedQty : l.countedQty; return c == null ? '' : Number((c - l.bookQty).toFixed(3)); } },
        { title: t(m.reason), render: (_, l) => (open ? <Input value={counts[l.id]?.reason ?? ''} onChange={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], reason: e.target.value } })} data-testid={`reason-${l.lineNo}`} /> : l.reason) },
      ]} />
      {open && (
        <Space wrap style={{ marginTop: 12 }}>
          <Typography.Text>{t(m.foundGoods)}</Typography.Text>
          <ItemSelect value={found.itemId} onChange={(v) => setFound({ ...found, itemId: v })} />
          <InputNumber placeholder={t(m.countedQty)} min={0} value={found.countedQty} onChange={(v) => setFound({ ...found, countedQty: v ?? undefined })} />
          <InputNumber placeholder={t(m.unitPrice)} min={0} precision={2} value={found.unitValue} onChange={(v) => setFound({ ...found, unitValue: v ?? undefined })} />
          <Input placeholder={t(m.reason)} value={found.reason} onChange={(e) => setFound({ ...found, reason: e.target.value })} />
        </Space>
      )}
    </Card>
  );
}

/** Asks for the reason a decision needs (a write-off's rejection, a reversal): required, kept on the document. */
function ReasonModal({ title, label, okText, danger, onCancel, onReason }: { title: string; label: string; okText: string; danger?: boolean; onCancel: () => void; onReason: (reason: string) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason?: string }>();
  return (
    <Modal open title={title} okText={okText} cancelText={t(common.cancel)} okButtonProps={{ danger }} onCancel={onCancel} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => onReason((v.reason ?? '').trim())}>
        <Form.Item name="reason" label={label} rules={[{ required: true, whitespace: true, message: t(m.reasonRequired, { what: label }) }]}>
          <Input.TextArea rows={3} maxLength={300} autoFocus data-testid="reason-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A document: its lines, its recipients and their signatures, its evidence, and the next step. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const q = useDocument(id);
  const can = useHasPermission();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useReportError();
  const post = usePost<StockDocument>();
  const { t } = useI18n();
  const [asking, setAsking] = useState<'reject' | 'reverse' | null>(null);
  // Only the receiving warehouse's unit receives (a county sending up to the city does not see the city's warehouse).
  const warehouses = useWarehouses();
  if (!q.data) return <QueryFallback q={q} back={{ to: '/warehouses', label: t(m.backToWarehouses) }} />;
  const d = q.data;
  const act = (path: string, body: unknown, done: string) => post.mutate({ path, body, key: newIdempotencyKey() }, { onSuccess: (r) => { void message.success(done); if (r.id !== d.id) void navigate(`/warehouses/documents/${r.id}`); }, onError: (e) => report(e) });
  const sourceOf = (s: string) => (s in sourceLabels ? t(sourceLabels[s as keyof typeof sourceLabels]) : s);
  const reversible = !d.reverses && !d.reversedBy && ((d.kind !== 'write_off' && d.kind !== 'transfer' && d.kind !== 'stocktake' && d.status === 'posted') || (d.kind === 'write_off' && d.status === 'approved'));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={<Space>{t(docKindLabels[d.kind])} <span data-testid="doc-number">{d.number}</span> <StatusTag status={d.status} /></Space>}
        extra={
          <Space wrap>
            {d.kind === 'transfer' && d.status === 'shipped' && !warehouses.data?.some((w) => w.id === d.toWarehouseId) && <Typography.Text type="secondary" data-testid="awaiting-receiver">{t(m.awaitingReceiver)}</Typography.Text>}
            {d.kind === 'transfer' && d.status === 'shipped' && can('warehouses.write') && warehouses.data?.some((w) => w.id === d.toWarehouseId) && <Button type="primary" onClick={() => act(`/api/warehouses/transfers/${d.id}/receive`, { receivedOn: todayShanghai() }, t(m.receiptConfirmed))} data-testid="receive-transfer">{t(m.confirmReceipt)}</Button>}
            {d.kind === 'write_off' && d.status === 'requested' && can('warehouses.approve') && (
              <>
                <Button type="primary" onClick={() => act(`/api/warehouses/write-offs/${d.id}/decision`, { version: d.version, decision: 'approve' }, t(m.writeOffApproved))} data-testid="approve-write-off">{t(m.approve)}</Button>
                <Button danger onClick={() => setAsking('reject')} data-testid="reject-write-off">{t(m.reject)}</Button>
              </>
            )}
            {reversible && can('warehouses.write') && (
              <Button danger onClick={() => setAsking('reverse')} data-testid="reverse-document">{t(m.reverse)}</Button>
            )}
            {asking === 'reject' && (
              <ReasonModal title={t(m.rejectTitle)} label={t(m.rejectReason)} okText={t(m.reject)} danger onCancel={() => setAsking(null)}
                onReason={(r) => { setAsking(null); act(`/api/warehouses/write-offs/${d.id}/decision`, { version: d.version, decision: 'reject', rejectReason: r }, t(m.rejectedDone)); }} />
            )}
            {asking === 'reverse' && (
              <ReasonModal title={t(m.reverseTitle)} label={t(m.reversalReason)} okText={t(m.reverseOk)} danger onCancel={() => setAsking(null)}
                onReason={(r) => { setAsking(null); act(`/api/warehouses/documents/${d.id}/reverse`, { reason: r, occurredOn: todayShanghai() }, t(m.reversalCreated)); }} />
            )}
            <Link to={`/warehouses/documents/${d.id}/print`}><Button icon={<PrinterOutlined />} data-testid="print">{t(m.print)}</Button></Link>
            <Button icon={<DownloadOutlined />} onClick={() => download(`/api/warehouses/documents/${d.id}/xlsx`, undefined, `${d.number}.xlsx`).catch(report)}>{t(m.exportXlsx)}</Button>
          </Space>
        }
      >
        <Descriptions size="small" column={3} items={[
          { key: 'wh', label: t(m.warehouse), children: `${d.unitName} · ${d.warehouseName}` },
          { key: 'date', label: t(m.occurredOn), children: d.occurredOn },
          { key: 'by', label: t(m.createdBy), children: d.createdByName },
          ...(d.sourceType ? [{ key: 'src', label: t(m.source), children: `${sourceOf(d.sourceType)}${d.supplier ? ` · ${d.supplier}` : ''}${d.sourceRef ? ` · ${d.sourceRef}` : ''}` }] : []),
          ...(d.toWarehouseName || d.toName ? [{ key: 'to', label: t(d.kind === 'transfer' ? m.toWarehouse : m.toOrg), children: d.toWarehouseName ?? d.toName }] : []),
          ...(d.eventName ? [{ key: 'ev', label: t(m.event), children: d.eventName }] : []),
          ...(d.reason ? [{ key: 'reason', label: t(m.writeOffReason), children: t(m.reasonWithNote, { reason: t(writeOffReasonLabels[d.reason]), note: d.note ?? '' }) }] : []),
          ...(d.requestedByName ? [{ key: 'rq', label: t(m.requestedBy), children: d.requestedByName }] : []),
          ...(d.approvedByName ? [{ key: 'ap', label: t(d.kind === 'stocktake' ? m.finalisedBy : m.approvedBy), children: d.approvedByName }] : []),
          ...(d.receivedOn ? [{ key: 'rc', label: t(m.receivedOn), children: `${d.receivedOn} ${d.receivedByName ?? ''}` }] : []),
          ...(d.reverses ? [{ key: 'rv', label: t(m.reverses), children: <Link to={`/warehouses/documents/${d.reverses.id}`}>{d.reverses.number}</Link> }] : []),
          ...(d.reversedBy ? [{ key: 'rb', label: t(m.reversedBy), children: <Link to={`/warehouses/documents/${d.reversedBy.id}`}>{d.reversedBy.number}</Link> }] : []),
          { key: 'value', label: t(m.value), children: t(m.yuanAmount, { amount: yuan(d.totalValueFen) }) },
        ]} />
      </Card>
      {d.kind === 'stocktake' && <CountSheet key={d.version} d={d} />}
      {d.lines.length > 0 && (
        <Card title={t(d.kind === 'stocktake' ? m.adjustments : m.lines)}>
          <Table rowKey="lineNo" size="small" pagination={false} dataSource={d.lines} data-testid="doc-lines" columns={[
            { title: t(m.lineNo), dataIndex: 'lineNo', width: 50 },
            { title: t(m.item), render: (_, l) => itemText(t, { name: l.itemName, spec: l.spec }) },
            { title: t(m.batch), dataIndex: 'batchNo' },
            { title: t(m.expiry), dataIndex: 'expiryDate' },
            { title: t(m.quantity), align: 'right', render: (_, l) => `${l.quantity} ${l.unit}` },
            { title: t(m.unitPrice), align: 'right', render: (_, l) => yuan(l.unitValueFen) },
            { title: t(m.valueYuan), align: 'right', render: (_, l) => yuan(l.quantity * l.unitValueFen) },
          ]} />
        </Card>
      )}
      {d.recipients.length > 0 && (
        <Card title={t(m.recipientsTitle, { count: d.recipients.length })}>
          <Table rowKey="id" size="small" pagination={false} dataSource={d.recipients} data-testid="recipients"
            expandable={{ expandedRowRender: (r) => <AttachmentsCard ownerType="distribution_recipient" ownerId={r.id} writable={can('warehouses.write')} />, rowExpandable: () => true }}
            columns={[
              { title: t(m.seq), dataIndex: 'seq', width: 60 },
              { title: t(m.headOrOrg), dataIndex: 'name' },
              { title: t(m.idNumber), dataIndex: 'idNumberMasked' },
              { title: t(m.householdSize), dataIndex: 'householdSize' },
              { title: t(m.item), render: (_, r) => r.items.map((x) => `${x.itemName} ${t(m.qtyUnit, { qty: x.quantity, unit: x.unit })}`).join(t(m.listSep)) },
              { title: t(m.evidence), dataIndex: 'evidenceCount', render: (n: number) => (n ? t(m.evidenceUploaded, { count: n }) : t(m.evidencePending)) },
            ]} />
        </Card>
      )}
      {(d.kind === 'write_off' || d.kind === 'issue') && <AttachmentsCard ownerType="stock_document" ownerId={d.id} writable={can('warehouses.write') && d.status !== 'approved'} />}
    </Space>
  );
}
