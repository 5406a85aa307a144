import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Select, Tag, Tooltip } from 'antd';
import { statusLabels, type Plan, type ProgressItem, type Status } from '../plan.contract.ts';
import type { Lang } from '../../../platform/i18n.ts';
import { useMe } from '../../../web/auth.tsx';
import { useI18n } from '../../../web/i18n.tsx';
import { childrenQuery } from '../../orgs/web/orgs.api.ts';
import { usePlans } from './plan.api.ts';
import { planMessages as m } from './plan.messages.ts';
import './plan.css';

export const STATUS_COLORS: Record<Status, string> = {
  achieved: 'success',
  on_track: 'processing',
  lagging: 'warning',
  severely_lagging: 'error',
  no_target: 'default',
  no_data: 'default',
};
/** The same colours as plain values, for charts and progress bars. */
export const STATUS_HEX: Record<Status, string> = {
  achieved: '#52c41a',
  on_track: '#1677ff',
  lagging: '#fa8c16',
  severely_lagging: '#f5222d',
  no_target: '#bfbfbf',
  no_data: '#bfbfbf',
};

export function isLagging(s: Status) {
  return s === 'lagging' || s === 'severely_lagging';
}

export function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status} className="plan-status">
      {t(statusLabels[status])}
    </Tag>
  );
}

export function ManualTag() {
  const { t } = useI18n();
  return (
    <Tag color="purple" className="plan-manual">
      {t(m.manualTag)}
    </Tag>
  );
}

/** Figures as staff read them: thousands separated, fewer decimals the larger the number. */
export function fmtNum(v: number | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: digits });
}

/** A figure with its unit of measure (`1.5 台/万人`, `3 %` as `3%`). */
export function fmtValue(v: number | null | undefined, unit: string, lang: Lang): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const n = fmtNum(v, lang);
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/** A share (0.42) as a percentage (42.0%). */
export function fmtPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

export function nameOf(item: Pick<ProgressItem, 'name' | 'nameEn'>, lang: Lang) {
  return lang === 'en' ? item.nameEn : item.name;
}

/** The years of the plan's period, for pickers. */
export function periodYears(p: Pick<Plan, 'periodStart' | 'periodEnd'>): number[] {
  const out: number[] = [];
  for (let y = p.periodStart; y <= p.periodEnd; y++) out.push(y);
  return out;
}

/** This year, within the plan's period. */
export function defaultYear(p: Pick<Plan, 'periodStart' | 'periodEnd'>): number {
  const now = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
  return Math.min(p.periodEnd, Math.max(p.periodStart, now));
}

export function todayShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/**
 * The plan the page shows: `?plan=` in the address (so a view is a link), else the first plan.
 * Other view parameters (year, unit…) live in the address too, through `param`/`setParams`.
 */
export function usePlanChoice() {
  const plans = usePlans();
  const [params, setSearch] = useSearchParams();
  const wanted = params.get('plan');
  const plan = plans.data ? (plans.data.find((p) => p.id === wanted) ?? (wanted ? undefined : plans.data[0])) : undefined;
  const setParams = useCallback(
    (patch: Record<string, string | number | null | undefined>, opts?: { replace?: boolean }) => {
      setSearch(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === undefined || v === '') next.delete(k);
            else next.set(k, String(v));
          }
          return next;
        },
        { replace: opts?.replace ?? false },
      );
    },
    [setSearch],
  );
  const param = useCallback((k: string) => params.get(k) ?? undefined, [params]);
  /** Keeps the chosen plan in links to the other plan pages. */
  const link = useCallback(
    (path: string, extra?: Record<string, string | number | null | undefined>) => {
      const qs = new URLSearchParams();
      if (plan) qs.set('plan', plan.id);
      for (const [k, v] of Object.entries(extra ?? {})) if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
      const s = qs.toString();
      return s ? `${path}?${s}` : path;
    },
    [plan],
  );
  return { plans, plan, wantedMissing: !!wanted && !!plans.data && !plan, param, setParams, link };
}

export function PlanSelect({ plans, value, onChange }: { plans: Plan[]; value: string | undefined; onChange: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <Select
      aria-label={t(m.plan)}
      value={value}
      onChange={onChange}
      style={{ minWidth: 260, maxWidth: 420 }}
      options={plans.map((p) => ({ value: p.id, label: p.name }))}
      data-testid="plan-select"
    />
  );
}

export function YearSelect({ plan, value, onChange, allowClear, placeholder }: { plan: Plan; value: number | undefined; onChange: (y: number | undefined) => void; allowClear?: boolean; placeholder?: string }) {
  const { t } = useI18n();
  return (
    <Select<number>
      aria-label={t(m.year)}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      allowClear={allowClear}
      placeholder={placeholder}
      style={{ width: 120 }}
      options={periodYears(plan).map((y) => ({ value: y, label: t(m.yearValue, { year: y }) }))}
      data-testid="year-select"
    />
  );
}

/**
 * The units a user compares: their own (the whole jurisdiction) and its direct children (a city
 * user's counties), plus the unit on screen when it lies deeper (a township drilled into).
 */
export function useUnitOptions(current?: { id: string; name: string } | null) {
  const me = useMe();
  const { t } = useI18n();
  const ownId = me.user.unitId;
  const children = useQuery({ ...childrenQuery(ownId ?? null), enabled: !!ownId });
  return useMemo(() => {
    const opts: { value: string; label: string }[] = [];
    if (ownId) opts.push({ value: ownId, label: t(m.ownUnit, { unit: me.user.unitName }) });
    for (const c of children.data ?? []) opts.push({ value: c.id, label: c.name });
    if (current && !opts.some((o) => o.value === current.id)) opts.push({ value: current.id, label: current.name });
    return opts;
  }, [ownId, me.user.unitName, children.data, current, t]);
}

export function UnitSelect({ value, onChange, current, allowClear, placeholder, width = 220 }: { value: string | undefined; onChange: (id: string | undefined) => void; current?: { id: string; name: string } | null; allowClear?: boolean; placeholder?: string; width?: number }) {
  const { t } = useI18n();
  const options = useUnitOptions(current);
  return (
    <Select
      aria-label={t(m.unit)}
      value={value}
      onChange={(v: string | undefined) => onChange(v ?? undefined)}
      allowClear={allowClear}
      placeholder={placeholder}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width }}
      options={options}
      data-testid="unit-select"
    />
  );
}

/** A percentage in a small tooltip-explained header. */
export function HintTitle({ title, hint }: { title: string; hint: string }) {
  return (
    <Tooltip title={hint}>
      <span className="plan-hint-title">{title}</span>
    </Tooltip>
  );
}
