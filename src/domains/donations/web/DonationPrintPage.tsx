import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Segmented, Space, Typography } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { channelLabels, type Donation } from '../donations.contract.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { api } from '../../../web/api.ts';
import { fetchLookupCode, useDonation } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { designationText, receiptText, todayShanghai } from './donations.shared.tsx';
import { amountInWords, formatYuan } from './money.ts';
import './donations.print.css';
import { QueryFallback } from '../../../web/shell/QueryFallback.tsx';

type Doc = 'receipt' | 'thanks' | 'certificate';
const DOCS: Doc[] = ['receipt', 'thanks', 'certificate'];

/** Where the donor checks the code: this app's public page. */
export function traceUrl(): string {
  return `${window.location.origin}/trace`;
}

function society(t: Translate, d: Donation) {
  return t(m.orgOf, { unit: d.unitName });
}

function docText(t: Translate, d: Donation) {
  const use =
    d.designation === 'project'
      ? t(m.thanksUseProject, { name: d.projectName ?? '—' })
      : d.designation === 'beneficiary'
        ? t(m.thanksUseBeneficiary, { name: d.beneficiary ?? '—' })
        : t(m.thanksUseUnrestricted);
  return { use, words: amountInWords(d.amountFen), figures: formatYuan(d.amountFen), unit: society(t, d) };
}

type LedgerRef = { index: number | null; leafHash: string | null; party: { salt: string; id: string } | null };

function Receipt({ d, code, ledger }: { d: Donation; code: string | null; ledger: LedgerRef | undefined }) {
  const { t } = useI18n();
  const me = useMe();
  return (
    <article className="don-paper" data-testid="doc-receipt">
      <div className="don-paper-org">{society(t, d)}</div>
      <div className="don-paper-title">{t(m.receiptTitle)}</div>
      <div className="don-paper-meta">
        <span>{t(m.receiptNumber, { number: d.number })}</span>
        <span>{t(m.receivedOn)}：{d.receivedOn}</span>
      </div>
      <table className="don-print-table">
        <tbody>
          <tr>
            <th>{t(m.donor)}</th>
            <td colSpan={3} data-testid="receipt-donor">
              {d.donorName}
            </td>
          </tr>
          <tr>
            <th>{t(m.amountWords)}</th>
            <td colSpan={3} className="don-words-cell" data-testid="receipt-words">
              {t(m.rmbWords, { words: amountInWords(d.amountFen) })}
            </td>
          </tr>
          <tr>
            <th>{t(m.amountFigures)}</th>
            <td className="don-figures-cell" data-testid="receipt-figures">
              ¥{formatYuan(d.amountFen)}
            </td>
            <th>{t(m.channel)}</th>
            <td>{t(channelLabels[d.channel])}</td>
          </tr>
          {d.goods.length > 0 && (
            <tr>
              <th>{t(m.goodsTitle)}</th>
              <td colSpan={3} data-testid="receipt-goods">
                {d.goods.map((l) => `${l.itemName}（${l.spec || '—'}）×${l.quantity}${l.unit}`).join('；')}
                {t(m.receiptGoodsValue, { amount: formatYuan(d.goodsValueFen) })}
              </td>
            </tr>
          )}
          <tr>
            <th>{t(m.receiptUse)}</th>
            <td colSpan={3}>
              {designationText(t, d)}
              {d.purpose ? `（${d.purpose}）` : ''}
            </td>
          </tr>
          <tr>
            <th>{t(m.receiptTicket)}</th>
            <td colSpan={3}>{receiptText(t, d)}</td>
          </tr>
        </tbody>
      </table>
      <div className="don-lookup-box" data-testid="receipt-lookup">
        <div className="don-lookup-label">{t(m.receiptLookup)}</div>
        <div className="don-lookup-code">{code ?? t(m.lookupUnavailable)}</div>
        <div className="don-lookup-where">{t(m.receiptLookupWhere, { url: traceUrl() })}</div>
        {ledger?.index !== null && ledger?.index !== undefined && (
          <div className="don-lookup-where" data-testid="receipt-ledger">
            {t(m.receiptLedger, { index: ledger.index })}
            {ledger.party && (
              <>
                <br />
                {t(m.receiptLedgerSalt)}
                <span className="boai-mono">
                  {ledger.party.salt} · {ledger.party.id}
                </span>
              </>
            )}
          </div>
        )}
      </div>
      <div className="don-paper-foot">
        <span>{t(m.handler, { name: me.user.displayName })}</span>
        <span className="don-seal">
          {society(t, d)}
          {t(m.seal)}
          <br />
          {todayShanghai()}
        </span>
      </div>
      <div className="don-paper-note">{t(m.receiptFootnote)}</div>
    </article>
  );
}

function Thanks({ d, code }: { d: Donation; code: string | null }) {
  const { t } = useI18n();
  const { use, words, figures, unit } = docText(t, d);
  return (
    <article className="don-paper don-letter" data-testid="doc-thanks">
      <div className="don-paper-org">{society(t, d)}</div>
      <div className="don-paper-title">{t(m.thanksTitle)}</div>
      <p className="don-letter-dear">{t(m.thanksDear, { donor: d.donorName })}</p>
      <p className="don-letter-body">{t(m.thanksBody, { date: d.receivedOn, unit, words, figures, use })}</p>
      {code && <p className="don-letter-body">{t(m.thanksTrace, { code, url: traceUrl() })}</p>}
      <p className="don-letter-close">{t(m.thanksClose)}</p>
      <div className="don-paper-sign">
        <div>{unit}</div>
        <div>{todayShanghai()}</div>
      </div>
      <div className="don-paper-note">{t(m.receiptNumber, { number: d.number })}</div>
    </article>
  );
}

function Certificate({ d, code }: { d: Donation; code: string | null }) {
  const { t } = useI18n();
  const { use, words, figures, unit } = docText(t, d);
  return (
    <article className="don-paper don-cert" data-testid="doc-certificate">
      <div className="don-cert-frame">
        <div className="don-cert-title">{t(m.certTitle)}</div>
        <p className="don-cert-body">{t(m.certBody, { donor: d.donorName, date: d.receivedOn, unit, words, figures, use })}</p>
        <div className="don-paper-sign">
          <div>{unit}</div>
          <div>{todayShanghai()}</div>
        </div>
        <div className="don-cert-foot">
          <span>{t(m.certNumber, { number: d.number })}</span>
          {code && (
            <span>
              {t(m.receiptLookup)}：{code}
            </span>
          )}
        </div>
      </div>
    </article>
  );
}

/** 捐赠收据 / 感谢信 / 捐赠证书 on A4: the number, the donor, the amount in figures and in words, the lookup code. */
export function DonationPrintPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useI18n();
  const can = useHasPermission();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const doc: Doc = DOCS.find((x) => x === params.get('doc')) ?? 'receipt';
  const q = useDonation(id);
  const passed = (location.state as { code?: string } | null)?.code ?? null;
  const [code, setCode] = useState<string | null>(passed);
  const [codeError, setCodeError] = useState<string | null>(null);
  const confirmed = q.data?.status === 'confirmed';
  const writable = can('donations.write');
  const ledger = useQuery({ queryKey: ['donations', 'ledger', id], queryFn: ({ signal }) => api<LedgerRef>(`/api/donations/${id}/ledger`, { signal }), enabled: confirmed && writable && !!id });

  // Not handed over from the confirmation: fetched again for the reprint (the server records it).
  useEffect(() => {
    if (code || !confirmed || !writable || !id) return;
    let live = true;
    fetchLookupCode(id).then(
      (c) => live && setCode(c),
      (e: unknown) => live && setCodeError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [code, confirmed, writable, id]);

  if (!q.isSuccess) return <QueryFallback q={q} notFoundTitle={t(m.notFound)} />;
  const d = q.data;
  const docLabel = { receipt: m.docReceipt, thanks: m.docThanks, certificate: m.docCertificate };

  return (
    <Space orientation="vertical" size="middle" className="boai-block don-print" data-testid="donation-print">
      <Card size="small" className="don-no-print">
        <div className="boai-toolbar" style={{ marginBottom: 0 }}>
          <Space wrap>
            <Link to={`/donations/${d.id}`}>
              <Button icon={<ArrowLeftOutlined />}>{t(m.printBack)}</Button>
            </Link>
            <Segmented<Doc>
              value={doc}
              onChange={(v) => setParams({ doc: v }, { replace: true, state: location.state })}
              options={DOCS.map((x) => ({ value: x, label: t(docLabel[x]) }))}
              data-testid="doc-switch"
            />
            <Typography.Text className="boai-mono">{d.number}</Typography.Text>
          </Space>
          <Button type="primary" icon={<PrinterOutlined />} disabled={!confirmed} onClick={() => window.print()} data-testid="print-button">
            {t(m.print)}
          </Button>
        </div>
      </Card>
      {!confirmed && <Alert type="warning" showIcon title={t(m.printNotConfirmed)} className="don-no-print" />}
      {codeError && <Alert type="error" showIcon title={codeError} className="don-no-print" />}
      {confirmed && (doc === 'receipt' ? <Receipt d={d} code={code} ledger={ledger.data} /> : doc === 'thanks' ? <Thanks d={d} code={code} /> : <Certificate d={d} code={code} />)}
    </Space>
  );
}
