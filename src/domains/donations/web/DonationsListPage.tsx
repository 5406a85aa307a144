import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { App, Button, Tooltip } from 'antd';
import { DownloadOutlined, PlusOutlined, PrinterOutlined } from '@ant-design/icons';
import { channelLabels, type Donation } from '../donations.contract.ts';
import { useMe } from '../../../web/auth.tsx';
import { useReportError } from '../../../web/feedback.ts';
import { formatDateTime } from '../../../web/format.ts';
import { useI18n } from '../../../web/i18n.tsx';
import { common } from '../../../web/messages.ts';
import { RecordList, type RecordFilter, type RecordListDeclaration } from '../../../web/records/RecordList.tsx';
import { download } from '../../../web/api.ts';
import { donationsKeys, fetchDonations } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { DateInput, designationText, DonationStatusTag, Money, ProjectSelect, receiptText, todayShanghai } from './donations.shared.tsx';
import { DonationFormDrawer } from './DonationFormDrawer.tsx';
import './donations.print.css';

/** 捐赠登记: the gifts of the caller's jurisdiction, newest first, filters in the address bar. */
export function DonationsListPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const navigate = useNavigate();
  const me = useMe();
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(params.get('new') === '1');
  const [exporting, setExporting] = useState(false);

  const filters: RecordFilter[] = [
    {
      kind: 'select',
      name: 'status',
      label: m.status,
      options: [
        { value: 'draft', label: m.statusDraft },
        { value: 'confirmed', label: m.statusConfirmed },
      ],
    },
    { kind: 'custom', name: 'projectId', label: m.project, input: <ProjectSelect allowClear placeholder={t(common.all)} /> },
    { kind: 'custom', name: 'from', label: m.from, input: <DateInput allowClear /> },
    { kind: 'custom', name: 'to', label: m.to, input: <DateInput allowClear /> },
  ];

  // The server streams the workbook (any number of rows) under the caller's jurisdiction and records the export.
  const exportRows = (view: { filters: Record<string, string> }) => {
    setExporting(true);
    download('/api/donations/export.xlsx', view.filters, `${t(m.listTitle)}-${todayShanghai()}.xlsx`)
      .then(() => void message.success(t(m.exportedFile)))
      .catch((e: unknown) => report(e))
      .finally(() => setExporting(false));
  };

  const decl: RecordListDeclaration<Donation> = {
    queryKey: donationsKeys.list,
    title: m.listTitle,
    testId: 'donations-list',
    formName: 'donation-filters',
    rowKey: (d) => d.id,
    filters,
    primaryFilters: 3,
    pageSize: 50,
    fetch: fetchDonations,
    scrollX: 1345,
    emptyText: m.empty,
    columns: [
      {
        key: 'number',
        title: m.number,
        width: 215,
        fixed: 'left',
        pinned: true,
        render: (d) => (
          <Link to={`/donations/${d.id}`} className="boai-mono don-nowrap">
            {d.number}
          </Link>
        ),
      },
      { key: 'receivedOn', title: m.receivedOn, width: 110, render: (d) => d.receivedOn },
      { key: 'donor', title: m.donor, width: 200, render: (d) => d.donorName },
      { key: 'amount', title: m.amount, width: 140, align: 'right', render: (d) => <Money fen={d.amountFen} /> },
      { key: 'channel', title: m.channel, width: 110, render: (d) => t(channelLabels[d.channel]) },
      { key: 'designation', title: m.designation, width: 220, render: (d) => designationText(t, d) },
      { key: 'receipt', title: m.receipt, width: 150, render: (d) => receiptText(t, d) },
      { key: 'status', title: m.status, width: 90, render: (d) => <DonationStatusTag state={d.status} /> },
      { key: 'unit', title: m.unit, width: 120, render: (d) => d.unitName },
      { key: 'createdAt', title: m.createdAt, width: 170, render: (d) => formatDateTime(d.createdAt, lang) },
      {
        key: 'actions',
        title: common.actions,
        width: 70,
        fixed: 'right',
        pinned: true,
        render: (d) => (
          <Button type="link" size="small" onClick={() => void navigate(`/donations/${d.id}`)}>
            {t(common.view)}
          </Button>
        ),
      },
    ],
    toolbar: (view) => [
      {
        key: 'create',
        permission: 'donations.write',
        node: (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-donation">
            {t(m.newDonation)}
          </Button>
        ),
      },
      {
        key: 'export',
        node: (
          <Tooltip title={t(m.exportHint)}>
            <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => exportRows(view)} data-testid="donations-export">
              {t(m.exportCsv)}
            </Button>
          </Tooltip>
        ),
      },
      {
        key: 'print',
        node: (
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t(m.print)}
          </Button>
        ),
      },
    ],
  };

  return (
    <div className="don-list-print">
      <div className="don-print-only don-list-print-title">
        {t(m.listPrintTitle, { unit: me.user.unitName })}
        <span>{t(m.printedAt, { date: todayShanghai() })}</span>
      </div>
      <RecordList decl={decl} />
      {creating && <DonationFormDrawer onClose={() => setCreating(false)} onSaved={(d) => void navigate(`/donations/${d.id}`)} />}
    </div>
  );
}
