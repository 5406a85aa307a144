import { Link, useParams } from 'react-router';
import { Button, Space } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { sourceLabels, writeOffReasonLabels } from '../warehouses.contract.ts';
import { useMe } from '../../../web/auth.tsx';
import { useI18n } from '../../../web/i18n.tsx';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';
import { useDocument } from './warehouses.api.ts';
import { docPrintTitles, whMessages as m } from './warehouses.messages.ts';
import { todayShanghai, yuan } from './warehouses.shared.tsx';
import './warehouses.print.css';

/** Every document on A4: the unit's name as title, number and date, lines, recipients, signatures. */
export function DocumentPrintPage() {
  const { id = '' } = useParams();
  const q = useDocument(id);
  const me = useMe();
  const { t } = useI18n();
  if (!q.data) return <QueryFallback q={q} back={{ to: '/warehouses', label: t(m.back) }} />;
  const d = q.data;
  const total = d.lines.reduce((s, l) => s + l.quantity * l.unitValueFen, 0);
  const title = t(docPrintTitles[d.kind]);
  const source = d.sourceType ? (d.sourceType in sourceLabels ? t(sourceLabels[d.sourceType as keyof typeof sourceLabels]) : d.sourceType) : '';
  return (
    <div>
      <Space className="wh-noprint" style={{ marginBottom: 12 }}>
        <Link to={`/warehouses/documents/${d.id}`}><Button icon={<ArrowLeftOutlined />}>{t(m.backToDocument)}</Button></Link>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t(m.print)}</Button>
      </Space>
      <article className="wh-paper" data-testid="print-sheet">
        <div className="wh-paper-org">{t(m.printOrg, { unit: d.unitName })}</div>
        <div className="wh-paper-title">{d.reverses ? t(m.printReversal, { title }) : title}</div>
        <div className="wh-paper-meta">
          <span>{t(m.printNumber, { number: d.number })}</span>
          <span>{t(m.printDate, { date: d.occurredOn })}</span>
          <span>{t(m.printWarehouse, { name: d.warehouseName })}</span>
        </div>
        <div className="wh-paper-meta">
          {d.sourceType && <span>{t(m.printSource, { source: d.supplier ? t(m.withNote, { main: source, note: d.supplier }) : source })}</span>}
          {d.eventName && <span>{t(m.printEvent, { name: d.eventName })}</span>}
          {(d.toWarehouseName || d.toName) && <span>{t(d.kind === 'transfer' ? m.printToWarehouse : m.printToOrg, { name: d.toWarehouseName ?? d.toName })}</span>}
          {d.reason && <span>{t(m.printReason, { reason: t(writeOffReasonLabels[d.reason]), note: d.note ?? '' })}</span>}
          {d.reverses && <span>{t(m.printReverses, { number: d.reverses.number })}</span>}
        </div>
        {d.kind === 'stocktake' ? (
          <table className="wh-table">
            <thead><tr><th>{t(m.lineNo)}</th><th>{t(m.item)}</th><th>{t(m.spec)}</th><th>{t(m.batch)}</th><th>{t(m.bookQty)}</th><th>{t(m.countedQty)}</th><th>{t(m.variance)}</th><th>{t(m.reason)}</th></tr></thead>
            <tbody>{d.stocktakeLines.map((l) => <tr key={l.id}><td>{l.lineNo}</td><td>{l.itemName}</td><td>{l.spec}</td><td>{l.batchNo ?? t(m.printNew)}</td><td className="num">{l.bookQty}</td><td className="num">{l.countedQty ?? ''}</td><td className="num">{l.variance ?? ''}</td><td>{l.reason}</td></tr>)}</tbody>
          </table>
        ) : (
          <table className="wh-table">
            <thead><tr><th>{t(m.lineNo)}</th><th>{t(m.item)}</th><th>{t(m.spec)}</th><th>{t(m.uom)}</th><th>{t(m.batch)}</th><th>{t(m.expiry)}</th><th>{t(m.quantity)}</th><th>{t(m.unitPrice)}</th><th>{t(m.valueYuan)}</th></tr></thead>
            <tbody>
              {d.lines.map((l) => <tr key={l.lineNo}><td>{l.lineNo}</td><td>{l.itemName}</td><td>{l.spec}</td><td>{l.unit}</td><td>{l.batchNo}</td><td>{l.expiryDate ?? ''}</td><td className="num">{l.quantity}</td><td className="num">{yuan(l.unitValueFen)}</td><td className="num">{yuan(l.quantity * l.unitValueFen)}</td></tr>)}
              <tr><td colSpan={8}>{t(m.printTotal)}</td><td className="num">{yuan(total)}</td></tr>
            </tbody>
          </table>
        )}
        {d.recipients.length > 0 && (
          <>
            <div style={{ fontWeight: 700, marginTop: 8 }}>{t(m.printRecipients)}</div>
            <table className="wh-table">
              <thead><tr><th>{t(m.seq)}</th><th>{t(m.headOrOrg)}</th><th>{t(m.idNumber)}</th><th>{t(m.householdSize)}</th><th>{t(m.printItemsQty)}</th><th>{t(m.printSignature)}</th></tr></thead>
              <tbody>{d.recipients.map((r) => <tr key={r.id}><td>{r.seq}</td><td>{r.name}</td><td>{r.idNumberMasked ?? ''}</td><td>{r.householdSize ?? ''}</td><td>{r.items.map((x) => `${x.itemName} ${t(m.qtyUnit, { qty: x.quantity, unit: x.unit })}`).join(t(m.listSep))}</td><td>{r.evidenceCount ? t(m.printSigned) : ''}</td></tr>)}</tbody>
            </table>
          </>
        )}
        <div className="wh-sign">
          <span>{t(m.signPreparedBy, { name: d.createdByName ?? '' })}</span>
          <span>{d.kind === 'write_off' ? t(m.signApprovedBy, { name: d.approvedByName ?? '' }) : d.kind === 'transfer' ? t(m.signReceivedBy, { name: d.receivedByName ?? '' }) : t(m.signStorekeeper)}</span>
          <span>{t(d.kind === 'issue' ? m.signCollectedBy : m.signCheckedBy)}</span>
        </div>
        <div className="wh-foot">{t(m.printFoot, { name: me.user.displayName, date: todayShanghai() })}</div>
      </article>
    </div>
  );
}
