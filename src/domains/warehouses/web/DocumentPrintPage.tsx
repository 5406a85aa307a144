import { Link, useParams } from 'react-router';
import { Button, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { sourceLabels, writeOffReasonLabels } from '../warehouses.contract.ts';
import { useMe } from '../../../web/auth.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { useDocument } from './warehouses.api.ts';
import { DOC_TITLE, todayShanghai, yuan } from './warehouses.shared.tsx';
import './warehouses.print.css';

/** Every document on A4: the unit's name as title, number and date, lines, recipients, signatures. */
export function DocumentPrintPage() {
  const { id = '' } = useParams();
  const q = useDocument(id);
  const me = useMe();
  if (!q.data) return <QueryFallback q={q} back={{ to: '/warehouses', label: '返回' }} />;
  const d = q.data;
  const total = d.lines.reduce((s, l) => s + l.quantity * l.unitValueFen, 0);
  return (
    <div>
      <Space className="wh-noprint" style={{ marginBottom: 12 }}>
        <Link to={`/warehouses/documents/${d.id}`}><Button icon={<ArrowLeftOutlined />}>返回单据</Button></Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>打印</Button>
      </Space>
      <article className="wh-paper" data-testid="print-sheet">
        <div className="wh-paper-org">{d.unitName}红十字会</div>
        <div className="wh-paper-title">{d.reverses ? `${DOC_TITLE[d.kind]}（红字冲销）` : DOC_TITLE[d.kind]}</div>
        <div className="wh-paper-meta">
          <span>单据号：{d.number}</span>
          <span>日期：{d.occurredOn}</span>
          <span>仓库：{d.warehouseName}</span>
        </div>
        <div className="wh-paper-meta">
          {d.sourceType && <span>来源：{sourceLabels[d.sourceType as 'purchase']?.zh}{d.supplier ? `（${d.supplier}）` : ''}</span>}
          {d.eventName && <span>灾害事件：{d.eventName}</span>}
          {(d.toWarehouseName || d.toName) && <span>{d.kind === 'transfer' ? '调入仓库' : '接收单位'}：{d.toWarehouseName ?? d.toName}</span>}
          {d.reason && <span>报损原因：{writeOffReasonLabels[d.reason].zh}（{d.note}）</span>}
          {d.reverses && <span>冲销原单：{d.reverses.number}</span>}
        </div>
        {d.kind === 'stocktake' ? (
          <table className="wh-table">
            <thead><tr><th>行</th><th>物资</th><th>规格型号</th><th>批次</th><th>账面数</th><th>实盘数</th><th>差异</th><th>原因</th></tr></thead>
            <tbody>{d.stocktakeLines.map((l) => <tr key={l.id}><td>{l.lineNo}</td><td>{l.itemName}</td><td>{l.spec}</td><td>{l.batchNo ?? '新增'}</td><td className="num">{l.bookQty}</td><td className="num">{l.countedQty ?? ''}</td><td className="num">{l.variance ?? ''}</td><td>{l.reason}</td></tr>)}</tbody>
          </table>
        ) : (
          <table className="wh-table">
            <thead><tr><th>行</th><th>物资</th><th>规格型号</th><th>单位</th><th>批次</th><th>有效期至</th><th>数量</th><th>单价（元）</th><th>金额（元）</th></tr></thead>
            <tbody>
              {d.lines.map((l) => <tr key={l.lineNo}><td>{l.lineNo}</td><td>{l.itemName}</td><td>{l.spec}</td><td>{l.unit}</td><td>{l.batchNo}</td><td>{l.expiryDate ?? ''}</td><td className="num">{l.quantity}</td><td className="num">{yuan(l.unitValueFen)}</td><td className="num">{yuan(l.quantity * l.unitValueFen)}</td></tr>)}
              <tr><td colSpan={8}>合计</td><td className="num">{yuan(total)}</td></tr>
            </tbody>
          </table>
        )}
        {d.recipients.length > 0 && (
          <>
            <div style={{ fontWeight: 700, marginTop: 8 }}>发放名单（受助人签收）</div>
            <table className="wh-table">
              <thead><tr><th>序号</th><th>户主 / 单位</th><th>证件号</th><th>家庭人数</th><th>物资及数量</th><th>签收</th></tr></thead>
              <tbody>{d.recipients.map((r) => <tr key={r.id}><td>{r.seq}</td><td>{r.name}</td><td>{r.idNumberMasked ?? ''}</td><td>{r.householdSize ?? ''}</td><td>{r.items.map((x) => `${x.itemName} ${x.quantity}${x.unit}`).join('；')}</td><td>{r.evidenceCount ? '已签（附照片）' : ''}</td></tr>)}</tbody>
            </table>
          </>
        )}
        <div className="wh-sign">
          <span>制单：{d.createdByName ?? ''}</span>
          <span>{d.kind === 'write_off' ? `审批：${d.approvedByName ?? ''}` : d.kind === 'transfer' ? `收货：${d.receivedByName ?? ''}` : '保管：'}</span>
          <span>{d.kind === 'issue' ? '领用：' : '复核：'}</span>
        </div>
        <div className="wh-foot">打印人：{me.user.displayName} · 打印日期：{todayShanghai()}</div>
      </article>
    </div>
  );
}
