import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App, Button, Card, Descriptions, Input, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import type { StockDocument } from '../warehouses.contract.ts';
import { docKindLabels, sourceLabels, writeOffReasonLabels } from '../warehouses.contract.ts';
import { download, newIdempotencyKey } from '../../../web/api.ts';
import { useHasPermission } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { AttachmentsCard } from '../../attachments/web/AttachmentsCard.tsx';
import { useDocument, usePost, useWarehouses } from './warehouses.api.ts';
import { ItemSelect, StatusTag, todayShanghai, yuan } from './warehouses.shared.tsx';

type Counts = Record<string, { countedQty?: number | null; reason?: string }>;

function CountSheet({ d }: { d: StockDocument }) {
  const { message } = App.useApp();
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
    post.mutate({ path: `/api/warehouses/stocktakes/${d.id}/counts`, body: { version: d.version, counts: list }, key: newIdempotencyKey() }, { onSuccess: () => { setFound({}); void message.success('实盘数已保存'); }, onError: (e) => report(e) });
  };
  const finalise = () =>
    Modal.confirm({
      title: '定稿盘点？', content: '定稿后盘点表不能再修改，盘盈盘亏将生成库存调整。', okText: '定稿', cancelText: '取消',
      onOk: () => post.mutateAsync({ path: `/api/warehouses/stocktakes/${d.id}/finalise`, body: { version: d.version }, key: newIdempotencyKey() }).then(() => void message.success('盘点已定稿'), (e) => report(e)),
    });
  const open = d.status === 'counting';
  return (
    <Card title="盘点表" extra={open && <Space><Button onClick={save} loading={post.isPending} data-testid="save-counts">保存实盘数</Button>{can('warehouses.approve') && <Button type="primary" onClick={finalise} data-testid="finalise">负责人定稿</Button>}</Space>}>
      <Table rowKey="id" size="small" pagination={false} dataSource={d.stocktakeLines} data-testid="count-sheet" columns={[
        { title: '行', dataIndex: 'lineNo', width: 50 },
        { title: '物资', render: (_, l) => `${l.itemName}${l.spec ? `（${l.spec}）` : ''}` },
        { title: '批次', dataIndex: 'batchNo', render: (v: string | null) => v ?? '盘盈新增' },
        { title: '账面数', dataIndex: 'bookQty', align: 'right' },
        { title: '实盘数', render: (_, l) => (open ? <InputNumber min={0} value={counts[l.id]?.countedQty ?? undefined} onChange={(v) => setCounts({ ...counts, [l.id]: { ...counts[l.id], countedQty: v } })} data-testid={`count-${l.lineNo}`} /> : l.countedQty) },
        { title: '差异', render: (_, l) => { const c = open ? counts[l.id]?.countedQty : l.countedQty; return c == null ? '' : Number((c - l.bookQty).toFixed(3)); } },
        { title: '原因', render: (_, l) => (open ? <Input value={counts[l.id]?.reason ?? ''} onChange={(e) => setCounts({ ...counts, [l.id]: { ...counts[l.id], reason: e.target.value } })} data-testid={`reason-${l.lineNo}`} /> : l.reason) },
      ]} />
      {open && (
        <Space wrap style={{ marginTop: 12 }}>
          <Typography.Text>盘盈（账外）物资：</Typography.Text>
          <ItemSelect value={found.itemId} onChange={(v) => setFound({ ...found, itemId: v })} />
          <InputNumber placeholder="实盘数" min={0} value={found.countedQty} onChange={(v) => setFound({ ...found, countedQty: v ?? undefined })} />
          <InputNumber placeholder="单价（元）" min={0} precision={2} value={found.unitValue} onChange={(v) => setFound({ ...found, unitValue: v ?? undefined })} />
          <Input placeholder="原因" value={found.reason} onChange={(e) => setFound({ ...found, reason: e.target.value })} />
        </Space>
      )}
    </Card>
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
  // Read when the dialog is confirmed: the dialog's content does not re-render with this page.
  const reason = useRef('');
  // Only the receiving warehouse's unit receives (a county sending up to the city does not see the city's warehouse).
  const warehouses = useWarehouses();
  if (!q.data) return <QueryFallback q={q} back={{ to: '/warehouses', label: '返回仓库列表' }} />;
  const d = q.data;
  const act = (path: string, body: unknown, done: string) => post.mutate({ path, body, key: newIdempotencyKey() }, { onSuccess: (r) => { void message.success(done); if (r.id !== d.id) void navigate(`/warehouses/documents/${r.id}`); }, onError: (e) => report(e) });
  const reversible = !d.reverses && !d.reversedBy && ((d.kind !== 'write_off' && d.kind !== 'transfer' && d.kind !== 'stocktake' && d.status === 'posted') || (d.kind === 'write_off' && d.status === 'approved'));
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={<Space>{docKindLabels[d.kind].zh} <span data-testid="doc-number">{d.number}</span> <StatusTag status={d.status} /></Space>}
        extra={
          <Space wrap>
            {d.kind === 'transfer' && d.status === 'shipped' && !warehouses.data?.some((w) => w.id === d.toWarehouseId) && <Typography.Text type="secondary" data-testid="awaiting-receiver">在途，待调入仓库所属单位确认收货</Typography.Text>}
            {d.kind === 'transfer' && d.status === 'shipped' && can('warehouses.write') && warehouses.data?.some((w) => w.id === d.toWarehouseId) && <Button type="primary" onClick={() => act(`/api/warehouses/transfers/${d.id}/receive`, { receivedOn: todayShanghai() }, '已确认收货')} data-testid="receive-transfer">确认收货</Button>}
            {d.kind === 'write_off' && d.status === 'requested' && can('warehouses.approve') && (
              <>
                <Button type="primary" onClick={() => act(`/api/warehouses/write-offs/${d.id}/decision`, { version: d.version, decision: 'approve' }, '报损已审批')} data-testid="approve-write-off">审批通过</Button>
                <Button danger onClick={() => act(`/api/warehouses/write-offs/${d.id}/decision`, { version: d.version, decision: 'reject', rejectReason: '证明材料不足' }, '已驳回')}>驳回</Button>
              </>
            )}
            {reversible && can('warehouses.write') && (
              <Button danger onClick={() => Modal.confirm({ title: '红字冲销', content: <Input placeholder="冲销原因" onChange={(e) => (reason.current = e.target.value)} />, okText: '冲销', cancelText: '取消', onOk: () => act(`/api/warehouses/documents/${d.id}/reverse`, { reason: reason.current.trim() || '更正', occurredOn: todayShanghai() }, '已生成冲销单') })}>红字冲销</Button>
            )}
            <Link to={`/warehouses/documents/${d.id}/print`}><Button icon={<PrinterOutlined />} data-testid="print">打印</Button></Link>
            <Button icon={<DownloadOutlined />} onClick={() => download(`/api/warehouses/documents/${d.id}/xlsx`, undefined, `${d.number}.xlsx`).catch(report)}>导出 Excel</Button>
          </Space>
        }
      >
        <Descriptions size="small" column={3} items={[
          { key: 'wh', label: '仓库', children: `${d.unitName} · ${d.warehouseName}` },
          { key: 'date', label: '业务日期', children: d.occurredOn },
          { key: 'by', label: '制单人', children: d.createdByName },
          ...(d.sourceType ? [{ key: 'src', label: '来源', children: `${sourceLabels[d.sourceType as 'purchase']?.zh ?? d.sourceType}${d.supplier ? ` · ${d.supplier}` : ''}${d.sourceRef ? ` · ${d.sourceRef}` : ''}` }] : []),
          ...(d.toWarehouseName || d.toName ? [{ key: 'to', label: d.kind === 'transfer' ? '调入仓库' : '接收单位', children: d.toWarehouseName ?? d.toName }] : []),
          ...(d.eventName ? [{ key: 'ev', label: '灾害事件', children: d.eventName }] : []),
          ...(d.reason ? [{ key: 'reason', label: '报损原因', children: `${writeOffReasonLabels[d.reason].zh}：${d.note ?? ''}` }] : []),
          ...(d.requestedByName ? [{ key: 'rq', label: '申请人', children: d.requestedByName }] : []),
          ...(d.approvedByName ? [{ key: 'ap', label: d.kind === 'stocktake' ? '定稿人' : '审批人', children: d.approvedByName }] : []),
          ...(d.receivedOn ? [{ key: 'rc', label: '收货', children: `${d.receivedOn} ${d.receivedByName ?? ''}` }] : []),
          ...(d.reverses ? [{ key: 'rv', label: '冲销原单', children: <Link to={`/warehouses/documents/${d.reverses.id}`}>{d.reverses.number}</Link> }] : []),
          ...(d.reversedBy ? [{ key: 'rb', label: '已被冲销', children: <Link to={`/warehouses/documents/${d.reversedBy.id}`}>{d.reversedBy.number}</Link> }] : []),
          { key: 'value', label: '金额', children: `${yuan(d.totalValueFen)} 元` },
        ]} />
      </Card>
      {d.kind === 'stocktake' && <CountSheet key={d.version} d={d} />}
      {d.lines.length > 0 && (
        <Card title={d.kind === 'stocktake' ? '盘点调整' : '明细'}>
          <Table rowKey="lineNo" size="small" pagination={false} dataSource={d.lines} data-testid="doc-lines" columns={[
            { title: '行', dataIndex: 'lineNo', width: 50 },
            { title: '物资', render: (_, l) => `${l.itemName}${l.spec ? `（${l.spec}）` : ''}` },
            { title: '批次', dataIndex: 'batchNo' },
            { title: '有效期至', dataIndex: 'expiryDate' },
            { title: '数量', align: 'right', render: (_, l) => `${l.quantity} ${l.unit}` },
            { title: '单价（元）', align: 'right', render: (_, l) => yuan(l.unitValueFen) },
            { title: '金额（元）', align: 'right', render: (_, l) => yuan(l.quantity * l.unitValueFen) },
          ]} />
        </Card>
      )}
      {d.recipients.length > 0 && (
        <Card title={`发放名单（${d.recipients.length} 户）`}>
          <Table rowKey="id" size="small" pagination={false} dataSource={d.recipients} data-testid="recipients"
            expandable={{ expandedRowRender: (r) => <AttachmentsCard ownerType="distribution_recipient" ownerId={r.id} writable={can('warehouses.write')} />, rowExpandable: () => true }}
            columns={[
              { title: '序号', dataIndex: 'seq', width: 60 },
              { title: '户主 / 单位', dataIndex: 'name' },
              { title: '证件号', dataIndex: 'idNumberMasked' },
              { title: '家庭人数', dataIndex: 'householdSize' },
              { title: '物资', render: (_, r) => r.items.map((x) => `${x.itemName} ${x.quantity}${x.unit}`).join('；') },
              { title: '签收凭证', dataIndex: 'evidenceCount', render: (n: number) => (n ? `已上传 ${n} 份` : '待上传（展开本行上传签名照片或扫描件）') },
            ]} />
        </Card>
      )}
      {(d.kind === 'write_off' || d.kind === 'issue') && <AttachmentsCard ownerType="stock_document" ownerId={d.id} writable={can('warehouses.write') && d.status !== 'approved'} />}
    </Space>
  );
}
