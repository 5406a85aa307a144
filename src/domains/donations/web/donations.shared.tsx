import { useEffect, useState, type ReactNode } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { DatePicker, Select, Space, Tag, Timeline, Typography } from 'antd';
import type { FormRule } from 'antd';
import { designationLabels, type Donation, type Donor, type Trace } from '../donations.contract.ts';
import type { Text } from '../../../platform/i18n.ts';
import { useI18n, type Translate } from '../../../web/i18n.tsx';
import { api } from '../../../web/api.ts';
import { useHasPermission, useMe } from '../../../web/auth.tsx';
import type { OrgUnitDetail } from '../../orgs/orgs.contract.ts';
import { orgsKeys } from '../../orgs/web/orgs.api.ts';
import { fetchProjects } from '../../projects/web/projects.api.ts';
import { useDonors, type DisbursementStatus } from './donations.api.ts';
import { donationsMessages as m } from './donations.messages.ts';
import { amountInWords, formatMoney, formatYuan, parseYuan, type YuanProblem } from './money.ts';
import './donations.css';

export function todayShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export type DonationState = 'draft' | 'confirmed' | 'reversed';
export function donationState(d: Pick<Donation, 'status'>, _trace?: Trace): DonationState {
  return d.status;
}

const STATE_TAG: Record<DonationState, { color: string; label: Text }> = {
  draft: { color: 'warning', label: m.statusDraft },
  confirmed: { color: 'success', label: m.statusConfirmed },
  reversed: { color: 'default', label: m.statusReversed },
};
export function DonationStatusTag({ state }: { state: DonationState }) {
  const { t } = useI18n();
  const s = STATE_TAG[state];
  return (
    <Tag color={s.color} data-testid="donation-status" data-status={state}>
      {t(s.label)}
    </Tag>
  );
}

const DISB_TAG: Record<DisbursementStatus, { color: string; label: Text }> = {
  submitted: { color: 'processing', label: m.statusSubmitted },
  approved: { color: 'success', label: m.statusApproved },
  rejected: { color: 'error', label: m.statusRejected },
};
export function DisbursementStatusTag({ status }: { status: DisbursementStatus }) {
  const { t } = useI18n();
  const s = DISB_TAG[status];
  return (
    <Tag color={s.color} data-testid="disbursement-status" data-status={status}>
      {t(s.label)}
    </Tag>
  );
}
export const disbursementStatusLabel = (s: DisbursementStatus) => DISB_TAG[s].label;

/** `定向项目：XX`, `定向受益人：张三`, `非定向`. */
export function designationText(t: Translate, d: Pick<Donation, 'designation' | 'projectName' | 'beneficiary'>): string {
  if (d.designation === 'project') return t(m.designationProject, { name: d.projectName ?? '—' });
  if (d.designation === 'beneficiary') return t(m.designationBeneficiary, { name: d.beneficiary ?? '—' });
  return t(designationLabels.unrestricted);
}

export function receiptText(t: Translate, d: Pick<Donation, 'receiptNo' | 'receiptWaiver'>): string {
  if (d.receiptNo) return d.receiptNo;
  if (d.receiptWaiver === 'anonymous') return t(m.waiverAnonymous);
  if (d.receiptWaiver === 'declined') return t(m.waiverDeclined);
  return t(m.receiptPending);
}

export function donorKindLabel(kind: Donor['kind']): Text {
  return kind === 'person' ? m.kindPerson : kind === 'organisation' ? m.kindOrganisation : m.kindAnonymous;
}

export function Money({ fen, strong, testId }: { fen: number; strong?: boolean; testId?: string }) {
  return (
    <Typography.Text className="don-money" strong={strong} data-testid={testId}>
      {formatMoney(fen)}
    </Typography.Text>
  );
}

const YUAN_PROBLEM: Record<YuanProblem, Text> = {
  empty: m.amountRequired,
  format: m.amountFormat,
  decimals: m.amountDecimals,
  zero: m.amountZero,
  too_large: m.amountTooLarge,
};

/** The rules of a yuan amount field (a string, converted to fen on submit), optionally capped by a balance. */
export function yuanRules(t: Translate, maxFen?: number): FormRule[] {
  return [
    {
      required: true,
      validator: (_r, value: string | undefined) => {
        const r = parseYuan(value);
        if (!r.ok) return Promise.reject(new Error(t(YUAN_PROBLEM[r.problem])));
        if (maxFen !== undefined && r.fen > maxFen) return Promise.reject(new Error(t(m.amountOverBalance, { amount: formatYuan(maxFen) })));
        return Promise.resolve();
      },
    },
  ];
}

/** The amount in words under the field, once it parses. */
export function AmountWords({ value }: { value: string | undefined }) {
  const { t } = useI18n();
  const r = parseYuan(value);
  if (!r.ok) return null;
  return (
    <span className="don-words" data-testid="amount-words">
      {t(m.amountInWords, { words: amountInWords(r.fen) })}
    </span>
  );
}

export function fenOf(value: string | undefined): number {
  const r = parseYuan(value);
  if (!r.ok) throw new Error('amount not validated');
  return r.fen;
}

/** A date as `YYYY-MM-DD` in a form (a DatePicker speaks dayjs). */
export function DateInput({ value, onChange, id, placeholder, allowClear, testId }: { value?: string; onChange?: (v: string | undefined) => void; id?: string; placeholder?: string; allowClear?: boolean; testId?: string }) {
  return (
    <DatePicker
      id={id}
      value={value ? dayjs(value) : null}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)}
      style={{ width: '100%' }}
      placeholder={placeholder}
      allowClear={allowClear}
      disabledDate={(d) => d.format('YYYY-MM-DD') > todayShanghai()}
      data-testid={testId}
    />
  );
}

function useDebounced(v: string, ms = 300) {
  const [d, setD] = useState(v);
  useEffect(() => {
    const h = setTimeout(() => setD(v), ms);
    return () => clearTimeout(h);
  }, [v, ms]);
  return d;
}

/** A project of the library, found by name or code; only those raising money when `fundraisingOnly`. */
export function ProjectSelect({
  value,
  onChange,
  id,
  fundraisingOnly,
  placeholder,
  allowClear,
  testId,
}: {
  value?: string;
  onChange?: (v: string | undefined, name?: string) => void;
  id?: string;
  fundraisingOnly?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  testId?: string;
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim()).slice(0, 30);
  const list = useQuery({
    queryKey: ['projects', 'list', 'pick', q, !!fundraisingOnly],
    queryFn: ({ signal }) =>
      fetchProjects({ filters: { ...(q ? { q } : {}), ...(fundraisingOnly ? { status: 'fundraising' } : {}) }, sort: 'code', cursor: undefined, limit: 100, signal }).then((r) => r.items),
    staleTime: 30_000,
    placeholderData: (prev) => prev,
  });
  const options = (list.data ?? []).map((p) => ({ value: p.id, label: `${p.name}`, code: p.code }));
  return (
    <Select<string>
      id={id}
      value={value}
      allowClear={allowClear}
      placeholder={placeholder}
      options={options}
      optionRender={(o) => (
        <Space size={6}>
          <span>{o.label}</span>
          <Typography.Text type="secondary" className="boai-mono">
            {(o.data as { code: string }).code}
          </Typography.Text>
        </Space>
      )}
      onChange={(v) => onChange?.(v ?? undefined, options.find((o) => o.value === v)?.label)}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      loading={list.isFetching}
      style={{ width: '100%' }}
      data-testid={testId}
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
    />
  );
}

/** A donor: the recent ones, or organisations by name. A donor just created is kept as an option. */
export function DonorSelect({ value, onChange, id, extra, placeholder }: { value?: string; onChange?: (v: string | undefined) => void; id?: string; extra?: Donor; placeholder?: string }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim()).slice(0, 50);
  const list = useDonors(q);
  const donors = [...(extra && !(list.data ?? []).some((d) => d.id === extra.id) ? [extra] : []), ...(list.data ?? [])];
  return (
    <Select<string>
      id={id}
      value={value}
      allowClear
      placeholder={placeholder}
      options={donors.map((d) => ({ value: d.id, label: d.name, kind: d.kind, creditCode: d.creditCode }))}
      optionRender={(o) => {
        const d = o.data as { label: string; kind: Donor['kind']; creditCode: string | null };
        return (
          <Space size={6}>
            <Tag>{t(donorKindLabel(d.kind))}</Tag>
            <span>{d.label}</span>
            {d.creditCode && (
              <Typography.Text type="secondary" className="boai-mono">
                {d.creditCode}
              </Typography.Text>
            )}
          </Space>
        );
      }}
      onChange={(v) => onChange?.(v ?? undefined)}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      loading={list.isFetching}
      style={{ width: '100%' }}
      data-testid="donor-select"
      onOpenChange={(open) => {
        if (!open) setSearch('');
      }}
    />
  );
}

const STEP_COLOR: Record<Trace['steps'][number]['kind'], string> = { receipt: 'green', allocation: 'blue', disbursement: 'red', reversal: 'gray' };
const STEP_LABEL: Record<Trace['steps'][number]['kind'], Text> = { receipt: m.traceReceipt, allocation: m.traceAllocation, disbursement: m.traceDisbursement, reversal: m.traceReversal };

/** 爱心轨迹: where each part of the gift is or went, oldest first, with the totals spent and unspent. */
export function TraceTimeline({ trace, large }: { trace: Trace; large?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={large ? 'don-trace don-trace-large' : 'don-trace'} data-testid="trace">
      <div className="don-trace-totals">
        <div>
          <div className="don-trace-label">{t(m.traceTotal)}</div>
          <div className="don-trace-figure">{formatMoney(trace.donation.amountFen)}</div>
        </div>
        <div>
          <div className="don-trace-label">{t(m.traceSpent)}</div>
          <div className="don-trace-figure don-spent" data-testid="trace-spent">
            {formatMoney(trace.spentFen)}
          </div>
        </div>
        <div>
          <div className="don-trace-label">{t(m.traceUnspent)}</div>
          <div className="don-trace-figure" data-testid="trace-unspent">
            {formatMoney(trace.unspentFen)}
          </div>
        </div>
      </div>
      <Timeline
        items={trace.steps.map((s, i) => ({
          key: `${s.refId}-${i}`,
          color: STEP_COLOR[s.kind],
          content: (
            <div className="don-step" data-kind={s.kind} data-testid="trace-step">
              <div className="don-step-head">
                <Tag color={STEP_COLOR[s.kind]}>{t(STEP_LABEL[s.kind])}</Tag>
                <span className="don-step-date">{s.date}</span>
                <span className="don-money don-step-amount">{formatMoney(s.amountFen)}</span>
              </div>
              <div className="don-step-to">{t(m.traceTo, { to: s.to })}</div>
              {s.purpose && <div className="don-step-purpose">{s.purpose}</div>}
            </div>
          ),
        }))}
      />
    </div>
  );
}

/** A CSV that Excel and WPS open with its Chinese intact (UTF-8 with BOM). */
export function downloadCsv(fileName: string, header: string[], rows: (string | number)[][]) {
  const cell = (v: string | number) => {
    const s = String(v);
    // A leading = + - @ would run as a formula in Excel: quote it as text.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const text = '\uFEFF' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export function Section({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <div className="don-section">
      <div className="don-section-title">{title}</div>
      {children}
    </div>
  );
}

/**
 * Names of the units funds belong to (a city user sees the funds of every unit below it; the fund
 * itself carries only the unit's id). The caller's own unit is known without asking.
 */
export function useUnitNames(ids: readonly string[]): Map<string, string> {
  const me = useMe();
  const can = useHasPermission();
  const wanted = [...new Set(ids)].filter((id) => id !== me.user.unitId);
  const results = useQueries({
    queries: wanted.map((id) => ({
      queryKey: orgsKeys.detail(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => api<OrgUnitDetail>(`/api/orgs/${id}`, { signal }),
      enabled: can('orgs.read'),
      staleTime: 300_000,
    })),
  });
  const names = new Map<string, string>();
  if (me.user.unitId) names.set(me.user.unitId, me.user.unitName);
  wanted.forEach((id, i) => names.set(id, results[i]?.data?.name ?? '…'));
  return names;
}
