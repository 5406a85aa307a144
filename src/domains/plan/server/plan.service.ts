import crypto from 'node:crypto';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { listAttachments } from '../../attachments/server/attachments.service.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { childrenOf, populationsOf, unitBrief, unitByRef } from '../../orgs/server/orgs.service.ts';
import {
  DEFAULT_THRESHOLDS,
  evaluationKindLabels,
  statusLabels,
  targetBasisLabels,
  type ActualEntry,
  type BreakdownInput,
  type Bulletin,
  type BulletinSummary,
  type Comparison,
  type CreateBulletin,
  type CreateEvaluation,
  type CreateIndicator,
  type CreatePlan,
  type EnterActual,
  type Evaluation,
  type EvaluationDetail,
  type EvaluationSnapshot,
  type Indicator,
  type IndicatorTable,
  type Plan,
  type PlanDetail,
  type ProgressItem,
  type ProgressQuery,
  type ProgressResult,
  type SaveTarget,
  type Target,
  type TargetBasis,
  type UpdateEvaluation,
  type UpdateIndicator,
  type UpdatePlan,
  type Warning,
} from '../plan.contract.ts';
import { computeItem, type IndicatorDef, type PlanFrame, type TargetRow, type UnitInputs, type YearFigure } from './plan.compute.ts';
import { indicatorProvider, type IndicatorFigure } from './plan.providers.ts';
import * as repo from './plan.repository.ts';

type PlanRow = NonNullable<Awaited<ReturnType<typeof repo.getPlan>>>;
type UnitRef = { id: string; name: string; code: string | null; kind: string; path: string; depth: number };

function toPlan(r: PlanRow): Plan {
  return {
    id: r.id,
    name: r.name,
    document: r.document,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    baseYear: r.base_year,
    ownerUnitId: r.org_unit_id,
    ownerUnitName: r.owner_name,
    thresholds: r.thresholds,
    notes: r.notes,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

function frameOf(p: PlanRow): PlanFrame {
  return { periodStart: p.period_start, periodEnd: p.period_end, baseYear: p.base_year, thresholds: p.thresholds };
}

function defOf(i: Indicator): IndicatorDef {
  return {
    code: i.code,
    nameZh: i.nameZh,
    nameEn: i.nameEn,
    category: i.category,
    unit: i.unit,
    numeratorUnit: i.numeratorUnit,
    kind: i.kind,
    direction: i.direction,
    target: i.target,
    targetScope: i.targetScope,
    denominator: i.denominator,
    scale: i.scale,
    rankTarget: i.rankTarget,
  };
}

async function loadPlan(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getPlan(trx, id));
  if (!row) throw new DomainError('plan.not_found');
  return row;
}

/** Changes are made by the unit that owns the plan (or a unit above it). */
async function requireOwner(ctx: Ctx, p: PlanRow) {
  if (ctx.actor.kind === 'system') return;
  if (!(await unitBrief(ctx, p.org_unit_id))) throw new DomainError('plan.not_owner', { unit: p.owner_name });
}

async function loadIndicators(ctx: Ctx, planId: string) {
  const rows = await ctx.run((trx) => repo.listIndicators(trx, planId));
  return rows.map((r) => repo.toIndicator(r, Boolean(indicatorProvider(r.code))));
}

async function findIndicator(ctx: Ctx, planId: string, code: string) {
  const ind = (await loadIndicators(ctx, planId)).find((i) => i.code === code);
  if (!ind) throw new DomainError('plan.indicator_not_found', { code }, [{ field: 'indicatorCode', code: 'not_found', message: code }]);
  return ind;
}

function checkYear(p: PlanRow, year: number | null, field: string, allowBase = false) {
  if (year === null) return;
  const start = allowBase ? p.base_year : p.period_start;
  if (year < start || year > p.period_end) {
    throw new DomainError('plan.year_outside_period', { year, start, end: p.period_end }, [{ field, code: 'outside_period', message: `${start}–${p.period_end}` }]);
  }
}

// ---------------------------------------------------------------- plans, indicators, targets

export async function listPlans(ctx: Ctx) {
  requirePermission(ctx, 'plan.read');
  const rows = await ctx.run((trx) => repo.listPlans(trx));
  return rows.map(toPlan);
}

export async function getPlanDetail(ctx: Ctx, id: string): Promise<PlanDetail> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, id);
    const indicators = await loadIndicators(ctx, id);
    const targets = (await repo.listTargets(trx, id)).map(repo.toTarget);
    const baseline = (await repo.listBaseline(trx, id)).map(repo.toBaseline);
    const editable = ctx.actor.kind === 'system' || Boolean(await unitBrief(ctx, p.org_unit_id));
    return { ...toPlan(p), indicators, targets: await visibleTargets(ctx, p, targets), baseline, editable };
  });
}

/** A county sees the plan-wide rows and its own subtree's, not its neighbours'. */
async function visibleTargets(ctx: Ctx, p: PlanRow, targets: Target[]) {
  if (ctx.actor.kind === 'system') return targets;
  const seen = new Map<string, boolean>();
  const out: Target[] = [];
  for (const t of targets) {
    if (!seen.has(t.unitId)) seen.set(t.unitId, t.unitId === p.org_unit_id || Boolean(await unitBrief(ctx, t.unitId)));
    if (seen.get(t.unitId)) out.push(t);
  }
  return out;
}

export async function createPlan(ctx: Ctx, input: CreatePlan) {
  requirePermission(ctx, 'plan.write');
  const ownerId = input.ownerUnitId ?? ctx.actor.unitId;
  if (!ownerId || !(await unitBrief(ctx, ownerId))) throw new DomainError('plan.unit_not_found', undefined, [{ field: 'ownerUnitId', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
  const now = ctx.deps.clock.now();
  return ctx.run(async (trx) => {
    const row = await repo.insertPlan(trx, {
      id: crypto.randomUUID(),
      org_unit_id: ownerId,
      name: input.name,
      document: input.document ?? null,
      period_start: input.periodStart,
      period_end: input.periodEnd,
      base_year: input.baseYear,
      thresholds: JSON.stringify(input.thresholds ?? DEFAULT_THRESHOLDS),
      notes: input.notes ?? null,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(ctx, { action: 'plan.created', entityType: 'plan', entityId: row.id, unitId: ownerId, after: { name: input.name, period: `${input.periodStart}-${input.periodEnd}` } });
    return toPlan((await repo.getPlan(trx, row.id))!);
  });
}

export async function updatePlan(ctx: Ctx, id: string, input: UpdatePlan) {
  requirePermission(ctx, 'plan.write');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, id);
    await requireOwner(ctx, p);
    if (input.thresholds && input.thresholds.severe > input.thresholds.lagging) {
      throw new DomainError('validation_failed', undefined, [{ field: 'thresholds.severe', code: 'custom', message: '严重滞后阈值不能高于滞后阈值' }]);
    }
    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.document !== undefined ? { document: input.document } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.thresholds ? { thresholds: JSON.stringify(input.thresholds) } : {}),
      updated_at: ctx.deps.clock.now(),
    };
    const row = await repo.updatePlan(trx, id, input.version, patch);
    if (!row) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'plan.updated', entityType: 'plan', entityId: id, unitId: p.org_unit_id, before: { name: p.name, document: p.document, thresholds: p.thresholds }, after: { name: row.name, document: row.document, thresholds: row.thresholds } });
    return toPlan((await repo.getPlan(trx, id))!);
  });
}

function indicatorColumns(v: Partial<CreateIndicator>) {
  const map: Record<string, string> = {
    nameZh: 'name_zh', nameEn: 'name_en', category: 'category', unit: 'unit', numeratorUnit: 'numerator_unit', kind: 'kind', direction: 'direction',
    target: 'target', targetScope: 'target_scope', denominator: 'denominator', scale: 'scale', rankTarget: 'rank_target', sourceDomain: 'source_domain',
    responsibleUnitId: 'responsible_unit_id', description: 'description', sortOrder: 'sort_order',
  };
  const out: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(map)) if ((v as Record<string, unknown>)[k] !== undefined) out[col] = (v as Record<string, unknown>)[k];
  return out;
}

export async function createIndicator(ctx: Ctx, planId: string, input: CreateIndicator) {
  requirePermission(ctx, 'plan.write');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    await requireOwner(ctx, p);
    if ((await loadIndicators(ctx, planId)).some((i) => i.code === input.code)) {
      throw new DomainError('plan.indicator_code_taken', { code: input.code }, [{ field: 'code', code: 'taken', message: input.code }]);
    }
    const { id } = await repo.insertIndicator(trx, { id: crypto.randomUUID(), plan_id: planId, code: input.code, ...(indicatorColumns(input) as object) } as never);
    await recordAudit(ctx, { action: 'plan.indicator_created', entityType: 'plan', entityId: planId, unitId: p.org_unit_id, after: input });
    return (await loadIndicators(ctx, planId)).find((i) => i.id === id)!;
  });
}

export async function updateIndicator(ctx: Ctx, planId: string, code: string, input: UpdateIndicator) {
  requirePermission(ctx, 'plan.write');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    await requireOwner(ctx, p);
    const before = await findIndicator(ctx, planId, code);
    const { version, ...rest } = input;
    const merged = { ...before, ...rest };
    if (merged.denominator === 'none' && merged.scale !== 'count') throw new DomainError('validation_failed', undefined, [{ field: 'scale', code: 'custom', message: '没有分母的指标只能按数量计' }]);
    if (merged.denominator !== 'none' && merged.scale === 'count') throw new DomainError('validation_failed', undefined, [{ field: 'scale', code: 'custom', message: '有分母的指标应选比值、百分比、每万人或每百万人' }]);
    const ok = await repo.updateIndicator(trx, before.id, version, indicatorColumns(rest) as never);
    if (!ok) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'plan.indicator_updated', entityType: 'plan', entityId: planId, unitId: p.org_unit_id, before, after: rest });
    return (await loadIndicators(ctx, planId)).find((i) => i.id === before.id)!;
  });
}

export async function saveTarget(ctx: Ctx, planId: string, input: SaveTarget) {
  requirePermission(ctx, 'plan.write');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    await requireOwner(ctx, p);
    const ind = await findIndicator(ctx, planId, input.indicatorCode);
    checkYear(p, input.year, 'year', input.basis === 'baseline');
    if (!(await unitBrief(ctx, input.unitId))) throw new DomainError('plan.unit_not_found', undefined, [{ field: 'unitId', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
    const row = await repo.upsertTarget(trx, {
      id: crypto.randomUUID(),
      plan_id: planId,
      indicator_id: ind.id,
      unit_id: input.unitId,
      year: input.year,
      basis: input.basis,
      value: input.value,
      stated_total: input.statedTotal,
      source: input.source ?? null,
      note: input.note ?? null,
      updated_at: ctx.deps.clock.now(),
    });
    await recordAudit(ctx, { action: 'plan.target_saved', entityType: 'plan', entityId: planId, unitId: p.org_unit_id, after: input });
    return repo.toTarget((await repo.listTargets(trx, planId)).find((t) => t.id === row.id)!);
  });
}

export async function deleteTarget(ctx: Ctx, planId: string, targetId: string) {
  requirePermission(ctx, 'plan.write');
  await ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    await requireOwner(ctx, p);
    const t = await repo.getTarget(trx, planId, targetId);
    if (!t) throw new DomainError('not_found');
    await repo.deleteTarget(trx, targetId);
    await recordAudit(ctx, { action: 'plan.target_deleted', entityType: 'plan', entityId: planId, unitId: p.org_unit_id, before: { unitId: t.unit_id, year: t.year, basis: t.basis, value: t.value } });
  });
}

/**
 * 逐年分解: the planned additions per year for a cumulative indicator and a unit. Every year of the
 * period is named; where the target is an absolute amount for this unit, the split must add up to it.
 */
export async function saveBreakdown(ctx: Ctx, planId: string, code: string, input: BreakdownInput) {
  requirePermission(ctx, 'plan.write');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    await requireOwner(ctx, p);
    const ind = await findIndicator(ctx, planId, code);
    if (ind.kind !== 'cumulative') throw new DomainError('plan.breakdown_not_cumulative');
    const unit = await unitBrief(ctx, input.unitId);
    if (!unit) throw new DomainError('plan.unit_not_found', undefined, [{ field: 'unitId', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
    const years = new Map(input.years.map((y) => [y.year, y.value]));
    const details: { field: string; code: string; message: string }[] = [];
    for (let y = p.period_start; y <= p.period_end; y++) if (!years.has(y)) details.push({ field: `years.${y}`, code: 'missing', message: `缺少 ${y} 年` });
    input.years.forEach((y, i) => {
      if (y.year < p.period_start || y.year > p.period_end) details.push({ field: `years.${i}.year`, code: 'outside_period', message: `${p.period_start}–${p.period_end}` });
    });
    if (years.size !== input.years.length) details.push({ field: 'years', code: 'duplicate', message: '年份重复' });
    if (details.length) throw new DomainError('validation_failed', undefined, details);
    const targets = (await repo.listTargets(trx, planId)).map(repo.toTarget).filter((t) => t.indicatorCode === code && t.unitId === input.unitId);
    const own = targets.find((t) => t.basis === 'value' && (t.year === null || t.year === p.period_end))?.value ?? (unit.id === p.org_unit_id ? ind.target : null);
    const sum = input.years.reduce((s, y) => s + y.value, 0);
    if (ind.denominator === 'none' && own !== null && Math.abs(sum - own) > 1e-6) throw new DomainError('plan.breakdown_mismatch', { sum, target: own });
    await repo.deleteTargets(trx, ind.id, input.unitId, 'addition');
    const now = ctx.deps.clock.now();
    for (const y of input.years) {
      await repo.upsertTarget(trx, { id: crypto.randomUUID(), plan_id: planId, indicator_id: ind.id, unit_id: input.unitId, year: y.year, basis: 'addition', value: y.value, stated_total: false, source: '逐年分解（经确认）', note: input.note ?? null, updated_at: now });
    }
    await recordAudit(ctx, { action: 'plan.breakdown_confirmed', entityType: 'plan', entityId: planId, unitId: p.org_unit_id, after: { indicator: code, unitId: input.unitId, years: input.years } });
    return (await repo.listTargets(trx, planId)).map(repo.toTarget).filter((t) => t.indicatorCode === code && t.unitId === input.unitId && t.basis === 'addition');
  });
}

// ---------------------------------------------------------------- warnings

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6));

export async function planWarnings(ctx: Ctx, planId: string): Promise<Warning[]> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    const indicators = await loadIndicators(ctx, planId);
    const targets = (await repo.listTargets(trx, planId)).map(repo.toTarget);
    const warnings: Warning[] = [];
    const byCode = new Map(indicators.map((i) => [i.code, i]));
    // Stated totals against the rows beneath them: the tables are kept as given, the differences shown.
    const owner = await unitBrief(ctx, p.org_unit_id);
    const ownerChildren = owner ? await childrenOf(ctx, p.org_unit_id) : [];
    const childIds = new Set(ownerChildren.map((c) => c.id));
    const seenMissing = new Set<string>();
    for (const total of targets.filter((t) => t.statedTotal)) {
      const ind = byCode.get(total.indicatorCode)!;
      const rows = targets.filter((t) => !t.statedTotal && t.indicatorCode === total.indicatorCode && t.basis === total.basis && t.year === total.year && t.unitId !== total.unitId && (total.unitId !== p.org_unit_id || childIds.has(t.unitId) || !owner));
      const sum = rows.reduce((s, r) => s + r.value, 0);
      const where = `${total.source ?? ''}${total.year !== null ? ` ${total.year} 年` : ''}${targetBasisLabels[total.basis].zh}`;
      if (rows.length && Math.abs(sum - total.value) > 1e-6) {
        warnings.push({
          code: 'total_mismatch', indicatorCode: ind.code, source: total.source, unitId: total.unitId, unitName: total.unitName, year: total.year, basis: total.basis,
          stated: total.value, sum, missing: [],
          message: `${ind.nameZh}：${where}合计为 ${fmt(total.value)}${ind.numeratorUnit}，各行相加为 ${fmt(sum)}${ind.numeratorUnit}，相差 ${fmt(total.value - sum)}${ind.numeratorUnit}`,
        });
      }
      // Counties of the owner with no row where the table has rows for others.
      if (total.unitId === p.org_unit_id && owner && rows.length) {
        const have = new Set(rows.map((r) => r.unitId));
        const missing = ownerChildren.filter((c) => c.kind === 'county' && !have.has(c.id)).map((c) => c.name);
        const seenKey = `${ind.code}|${total.source}|${total.basis}|${missing.join(',')}`;
        if (missing.length && !seenMissing.has(seenKey)) {
          seenMissing.add(seenKey);
          warnings.push({
            code: 'missing_rows', indicatorCode: ind.code, source: total.source, unitId: total.unitId, unitName: total.unitName, year: total.year, basis: total.basis,
            stated: total.value, sum, missing,
            message: `${ind.nameZh}：${total.source ?? ''}没有${missing.join('、')}的数据行，可在目标表中补录`,
          });
        }
      }
    }
    // Ratios need populations of the right kind; say which units have none.
    if (owner) {
      const units = [owner, ...ownerChildren.filter((c) => c.kind === 'county')];
      const pops = await populationsOf(ctx, units.map((u) => u.id));
      for (const ind of indicators.filter((i) => i.denominator === 'registered' || i.denominator === 'resident')) {
        const missing = units.filter((u) => populationSeries(pops, u.id, ind.denominator).filter((x) => x.year <= p.period_end).length === 0).map((u) => u.name);
        if (missing.length) {
          warnings.push({
            code: 'population_missing', indicatorCode: ind.code, source: null, unitId: null, unitName: null, year: null, basis: null, stated: null, sum: null, missing,
            message: `${ind.nameZh}：${missing.join('、')}缺少${ind.denominator === 'registered' ? '户籍' : '常住'}人口数，无法计算比例（在“组织机构”中录入各年度人口数）`,
          });
        }
      }
      // Cumulative amounts for the whole city without a confirmed split per year.
      for (const ind of indicators.filter((i) => i.kind === 'cumulative' && i.denominator === 'none' && i.target !== null)) {
        if (!targets.some((t) => t.indicatorCode === ind.code && t.unitId === p.org_unit_id && t.basis === 'addition')) {
          warnings.push({
            code: 'breakdown_missing', indicatorCode: ind.code, source: null, unitId: p.org_unit_id, unitName: p.owner_name, year: null, basis: 'addition', stated: ind.target, sum: null, missing: [],
            message: `${ind.nameZh}：期间目标 ${fmt(ind.target!)}${ind.unit} 尚未确认逐年分解（可按平均分解确认）`,
          });
        }
      }
    }
    return warnings;
  });
}

// ---------------------------------------------------------------- progress

type Inputs = { frame: PlanFrame; defs: IndicatorDef[]; targetsByUnit: Map<string, Target[]>; owner: string };

/** Stocks reported by a unit hold until it reports again: one row per unit and year. */
function carryForward(rows: IndicatorFigure[], fromYear: number, toYear: number): IndicatorFigure[] {
  const byUnit = new Map<string, Map<number, IndicatorFigure>>();
  for (const r of rows) {
    const m = byUnit.get(r.unitPath) ?? new Map<number, IndicatorFigure>();
    const prev = m.get(r.year);
    m.set(r.year, prev ? { ...prev, numerator: prev.numerator + r.numerator } : r);
    byUnit.set(r.unitPath, m);
  }
  const out: IndicatorFigure[] = [];
  for (const [unitPath, m] of byUnit) {
    let last: IndicatorFigure | undefined;
    for (let y = fromYear; y <= toYear; y++) {
      last = m.get(y) ?? last;
      if (last) out.push({ ...last, unitPath, year: y });
    }
  }
  return out;
}

/** Figures per unit (the root's total and each child's subtree) per indicator per year. */
async function gatherFigures(ctx: Ctx, p: PlanRow, indicators: Indicator[], root: UnitRef, children: UnitRef[], toYear: number) {
  const codes = indicators.map((i) => i.code);
  const ownLen = 1 + 37 * (root.depth + 1);
  const stockCodes = indicators.filter((i) => i.kind === 'end_of_period').map((i) => i.code);
  const manual = await ctx.run((trx) => repo.manualFigures(trx, { rootId: root.id, rootPath: root.path, rootDepth: root.depth, codes, stockCodes, fromYear: p.base_year, toYear }));
  type Cell = { manual?: { n: number; d: number | null; rank: number | null }; computed?: { n: number; d: number | null } };
  const cells = new Map<string, Cell>(); // code|year|bucket
  const key = (code: string, year: number, bucket: string) => `${code}|${year}|${bucket}`;
  for (const m of manual) cells.set(key(m.code, m.year, m.bucket), { manual: { n: m.numerator, d: m.denominator, rank: m.rank } });
  const withProvider = new Set<string>();
  for (const ind of indicators) {
    const provider = indicatorProvider(ind.code);
    if (!provider) continue;
    withProvider.add(ind.code);
    let rows = await provider.compute(ctx, { fromYear: p.base_year, toYear, scopePath: root.path });
    if (ind.kind === 'end_of_period') rows = carryForward(rows, p.base_year, toYear);
    for (const r of rows) {
      if (!r.unitPath.startsWith(root.path)) continue;
      const k = key(ind.code, r.year, r.unitPath.length <= ownLen ? root.id : r.unitPath.slice(ownLen, ownLen + 36));
      const c = cells.get(k) ?? {};
      c.computed = { n: (c.computed?.n ?? 0) + r.numerator, d: r.denominator == null ? (c.computed?.d ?? null) : (c.computed?.d ?? 0) + r.denominator };
      cells.set(k, c);
    }
  }
  // Records win; hand-entered figures fill the years and units the records do not cover.
  const pick = (c: Cell | undefined, code: string): YearFigure | null => {
    if (c?.computed && c.computed.n !== 0) return { numerator: c.computed.n, denominator: c.computed.d, rank: c.manual?.rank ?? null, source: 'computed' };
    if (c?.manual) return { numerator: c.manual.n, denominator: c.manual.d, rank: c.manual.rank, source: 'manual' };
    if (withProvider.has(code)) return { numerator: 0, denominator: c?.computed?.d ?? null, rank: null, source: 'computed' };
    return null;
  };
  // Every bucket counts towards the root's total, whether or not its unit is listed as a child here.
  const buckets = [...new Set([root.id, ...children.map((c) => c.id), ...[...cells.keys()].map((k) => k.split('|')[2]!)])];
  const childById = new Map(children.map((c) => [c.id, c]));
  const perUnit = new Map<string, Map<string, Map<number, YearFigure>>>(); // unitId → code → year → figure
  for (const u of [root, ...children]) perUnit.set(u.id, new Map(codes.map((c) => [c, new Map()])));
  for (const code of codes) {
    for (let y = p.base_year; y <= toYear; y++) {
      let total: YearFigure | null = null;
      for (const b of buckets) {
        const f = pick(cells.get(key(code, y, b)), code);
        if (!f) continue;
        const child = b === root.id ? null : (childById.get(b) ?? undefined);
        if (child) perUnit.get(child.id)!.get(code)!.set(y, f);
        total = total
          ? { numerator: total.numerator + f.numerator, denominator: f.denominator === null ? total.denominator : (total.denominator ?? 0) + f.denominator, rank: total.rank, source: total.source === 'manual' || f.source === 'manual' ? 'manual' : 'computed' }
          : { ...f, rank: null };
        if (child === null) total.rank = f.rank;
      }
      if (total) perUnit.get(root.id)!.get(code)!.set(y, total);
    }
  }
  return perUnit;
}

async function loadInputs(ctx: Ctx, p: PlanRow): Promise<Inputs & { indicators: Indicator[] }> {
  const indicators = await loadIndicators(ctx, p.id);
  const targets = await ctx.run(async (trx) => (await repo.listTargets(trx, p.id)).map(repo.toTarget));
  const targetsByUnit = new Map<string, Target[]>();
  for (const t of targets) targetsByUnit.set(t.unitId, [...(targetsByUnit.get(t.unitId) ?? []), t]);
  return { frame: frameOf(p), defs: indicators.map(defOf), targetsByUnit, owner: p.org_unit_id, indicators };
}

function unitInputs(inp: Inputs, unitId: string, code: string, figures: Map<string, Map<number, YearFigure>> | undefined, pops: { unitId: string; year: number; kind: string; value: number }[], denominator: string): UnitInputs {
  const targets: TargetRow[] = (inp.targetsByUnit.get(unitId) ?? []).filter((t) => t.indicatorCode === code).map((t) => ({ year: t.year, basis: t.basis as TargetBasis, value: t.value }));
  return {
    figures: figures?.get(code) ?? new Map(),
    populations: populationSeries(pops, unitId, denominator),
    targets,
    isOwner: unitId === inp.owner,
  };
}

/** A census counts the resident population: it stands in for 常住 in years without a resident figure. */
function populationSeries(pops: { unitId: string; year: number; kind: string; value: number }[], unitId: string, kind: string) {
  const own = pops.filter((x) => x.unitId === unitId && x.kind === kind).map((x) => ({ year: x.year, value: x.value }));
  if (kind !== 'resident') return own;
  const census = pops.filter((x) => x.unitId === unitId && x.kind === 'census' && !own.some((o) => o.year === x.year));
  return [...own, ...census.map((x) => ({ year: x.year, value: x.value }))];
}

async function resolveUnit(ctx: Ctx, p: PlanRow, ref: string | undefined): Promise<UnitRef> {
  const wanted = ref ?? ctx.actor.unitId ?? p.org_unit_id;
  const u = await unitByRef(ctx, wanted);
  if (!u) throw new DomainError('plan.unit_not_found', undefined, [{ field: 'unit', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
  return u;
}

function defaultYear(ctx: Ctx, p: PlanRow) {
  const now = Number(shanghaiDate(ctx.deps.clock.now()).slice(0, 4));
  return Math.min(p.period_end, Math.max(p.period_start, now));
}

function defaultAsOf(ctx: Ctx, year: number) {
  const today = shanghaiDate(ctx.deps.clock.now());
  return Number(today.slice(0, 4)) === year ? today : `${year}-12-31`;
}

async function progressFor(ctx: Ctx, p: PlanRow, unit: UnitRef, year: number, asOf: string, opts: { children: boolean; series?: boolean; inputs?: Awaited<ReturnType<typeof loadInputs>> }) {
  checkYear(p, year, 'year', true);
  const inp = opts.inputs ?? (await loadInputs(ctx, p));
  const children = opts.children ? await childrenOf(ctx, unit.id) : [];
  const perUnit = await gatherFigures(ctx, p, inp.indicators, unit, children, year);
  const pops = await populationsOf(ctx, [unit.id, ...children.map((c) => c.id)]);
  const itemsFor = (u: UnitRef, y: number, at: string) =>
    inp.defs.map((d) => computeItem(d, inp.frame, unitInputs(inp, u.id, d.code, perUnit.get(u.id), pops, d.denominator), y, at));
  return { inp, children, items: itemsFor(unit, year, asOf), itemsFor };
}

export async function progress(ctx: Ctx, planId: string, q: ProgressQuery): Promise<ProgressResult> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async () => {
    const p = await loadPlan(ctx, planId);
    const unit = await resolveUnit(ctx, p, q.unit);
    const year = q.year ?? (q.asOf ? Number(q.asOf.slice(0, 4)) : defaultYear(ctx, p));
    const asOf = q.asOf ?? defaultAsOf(ctx, year);
    const r = await progressFor(ctx, p, unit, year, asOf, { children: false });
    return { planId, year, asOf, unit: { id: unit.id, name: unit.name, code: unit.code }, items: r.items };
  });
}

/** One indicator for a unit and each of its children, with the yearly series for the chart. */
export async function indicatorTable(ctx: Ctx, planId: string, code: string, q: { year?: number | undefined; unit?: string | undefined }): Promise<IndicatorTable> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async () => {
    const p = await loadPlan(ctx, planId);
    const unit = await resolveUnit(ctx, p, q.unit);
    const year = q.year ?? defaultYear(ctx, p);
    const inputs = await loadInputs(ctx, p);
    const idx = inputs.defs.findIndex((d) => d.code === code);
    if (idx < 0) throw new DomainError('plan.indicator_not_found', { code });
    const r = await progressFor(ctx, p, unit, year, defaultAsOf(ctx, year), { children: true, inputs });
    const rows = [unit, ...r.children].map((u) => {
      const series = [];
      for (let y = p.period_start; y <= year; y++) {
        const it = r.itemsFor(u, y, `${y}-12-31`)[idx]!;
        series.push({ year: y, actual: it.actual, target: it.target });
      }
      return { unitId: u.id, unitName: u.name, unitCode: u.code, isTotal: u.id === unit.id, item: r.itemsFor(u, year, defaultAsOf(ctx, year))[idx]!, series };
    });
    return { indicatorCode: code, year, unit: { id: unit.id, name: unit.name, code: unit.code }, rows };
  });
}

// ---------------------------------------------------------------- manual actuals

export async function enterActual(ctx: Ctx, planId: string, input: EnterActual): Promise<ActualEntry> {
  requirePermission(ctx, 'plan.actuals');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    const ind = await findIndicator(ctx, planId, input.indicatorCode);
    checkYear(p, input.year, 'year', true);
    const unit = await unitBrief(ctx, input.unitId);
    if (!unit) throw new DomainError('plan.unit_not_found', undefined, [{ field: 'unitId', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
    if (ind.denominator === 'entered' && !input.denominator) throw new DomainError('plan.denominator_required', { label: ind.description ?? ind.nameZh }, [{ field: 'denominator', code: 'required', message: '请填写分母' }]);
    if (input.rank != null && ind.rankTarget === null) throw new DomainError('plan.rank_not_applicable', undefined, [{ field: 'rank', code: 'not_applicable', message: 'rank' }]);
    const now = ctx.deps.clock.now();
    const previous = await repo.currentEntry(trx, ind.code, unit.id, input.year);
    const id = crypto.randomUUID();
    if (previous) await repo.supersede(trx, previous.id, now, id);
    await repo.insertEntry(trx, {
      id,
      org_unit_id: unit.id,
      indicator_code: ind.code,
      year: input.year,
      numerator: input.numerator,
      denominator: ind.denominator === 'entered' ? (input.denominator ?? null) : null,
      rank: input.rank ?? null,
      source_document: input.sourceDocument,
      note: input.note ?? null,
      entered_by: ctx.actor.userId,
      entered_by_name: ctx.actor.displayName ?? ctx.actor.username,
      entered_at: now,
      superseded_at: null,
      superseded_by: null,
    });
    await recordAudit(ctx, {
      action: 'plan.actual_entered', entityType: 'plan_actual', entityId: id, unitId: unit.id,
      before: previous ? { numerator: previous.numerator, denominator: previous.denominator, rank: previous.rank, sourceDocument: previous.source_document } : undefined,
      after: { indicator: ind.code, year: input.year, numerator: input.numerator, denominator: input.denominator ?? null, rank: input.rank ?? null, sourceDocument: input.sourceDocument },
    });
    return repo.toEntry((await repo.getEntry(trx, id))!, Boolean(indicatorProvider(ind.code)));
  });
}

export async function listActuals(ctx: Ctx, planId: string, q: { indicatorCode?: string | undefined; unitId?: string | undefined; year?: number | undefined; history?: 'true' | 'false' | undefined }) {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async (trx) => {
    await loadPlan(ctx, planId);
    const codes = (await loadIndicators(ctx, planId)).map((i) => i.code).filter((c) => !q.indicatorCode || c === q.indicatorCode);
    const rows = await repo.listEntries(trx, { codes, unitId: q.unitId, year: q.year, history: q.history === 'true' });
    return rows.map((r) => repo.toEntry(r, Boolean(indicatorProvider(r.indicator_code))));
  });
}

/** The unit of a manual entry the caller can see (attachments: the evidence behind a figure). */
export async function actualEntryUnit(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getEntry(trx, id));
  return row?.org_unit_id ?? null;
}

// ---------------------------------------------------------------- bulletins

function periodEnd(kind: 'quarter' | 'half' | 'year', year: number, part: number) {
  const month = kind === 'quarter' ? part * 3 : kind === 'half' ? part * 6 : 12;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
}

function periodTitle(kind: 'quarter' | 'half' | 'year', year: number, part: number) {
  if (kind === 'quarter') return `${year} 年第${'一二三四'[part - 1]}季度`;
  if (kind === 'half') return `${year} 年${part === 1 ? '上半年' : '全年（下半年）'}`;
  return `${year} 年度`;
}

type BulletinRow = NonNullable<Awaited<ReturnType<typeof getBulletinRow>>>;
async function getBulletinRow(ctx: Ctx, id: string) {
  return ctx.run((trx) => trx.selectFrom('plan_bulletin').selectAll().select((eb) => eb.fn<string>('boai_unit_name', ['org_unit_id']).as('unit_name')).where('id', '=', id).executeTakeFirst());
}

function toBulletinSummary(r: BulletinRow): BulletinSummary {
  return {
    id: r.id, planId: r.plan_id, unitId: r.org_unit_id, unitName: r.unit_name, periodKind: r.period_kind as BulletinSummary['periodKind'], year: r.year, part: r.part,
    title: r.title, asOf: r.as_of, remarks: r.remarks, createdByName: r.created_by_name, createdAt: r.created_at.toISOString(), version: r.version,
  };
}

export async function createBulletin(ctx: Ctx, planId: string, input: CreateBulletin) {
  requirePermission(ctx, 'plan.report');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    const unit = await resolveUnit(ctx, p, input.unitId);
    checkYear(p, input.year, 'year');
    const asOf = periodEnd(input.periodKind, input.year, input.part);
    const id = crypto.randomUUID();
    const now = ctx.deps.clock.now();
    const existing = await trx.selectFrom('plan_bulletin').select('id').where('plan_id', '=', planId).where('org_unit_id', '=', unit.id).where('period_kind', '=', input.periodKind).where('year', '=', input.year).where('part', '=', input.part).executeTakeFirst();
    if (existing) return getBulletin(ctx, existing.id);
    await trx.insertInto('plan_bulletin').values({
      id, plan_id: planId, org_unit_id: unit.id, period_kind: input.periodKind, year: input.year, part: input.part,
      title: `${unit.name}红十字事业发展规划${periodTitle(input.periodKind, input.year, input.part)}工作进度通报`,
      as_of: asOf, remarks: input.remarks ?? null, created_by: ctx.actor.userId, created_by_name: ctx.actor.displayName ?? ctx.actor.username, created_at: now, updated_at: now,
    }).execute();
    await recordAudit(ctx, { action: 'plan.bulletin_created', entityType: 'plan_bulletin', entityId: id, unitId: unit.id, after: { periodKind: input.periodKind, year: input.year, part: input.part } });
    return getBulletin(ctx, id);
  });
}

export async function listBulletins(ctx: Ctx, planId: string) {
  requirePermission(ctx, 'plan.read');
  const rows = await ctx.run((trx) =>
    trx.selectFrom('plan_bulletin').selectAll().select((eb) => eb.fn<string>('boai_unit_name', ['org_unit_id']).as('unit_name')).where('plan_id', '=', planId).orderBy('as_of', 'desc').orderBy('created_at', 'desc').limit(500).execute(),
  );
  return rows.map(toBulletinSummary);
}

export async function updateBulletin(ctx: Ctx, id: string, input: { version: number; remarks?: string | null | undefined }) {
  requirePermission(ctx, 'plan.report');
  return ctx.run(async (trx) => {
    const row = await getBulletinRow(ctx, id);
    if (!row) throw new DomainError('plan.bulletin_not_found');
    const ok = await trx.updateTable('plan_bulletin').set({ remarks: input.remarks ?? null, updated_at: ctx.deps.clock.now(), version: input.version + 1 }).where('id', '=', id).where('version', '=', input.version).returning('id').executeTakeFirst();
    if (!ok) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'plan.bulletin_updated', entityType: 'plan_bulletin', entityId: id, unitId: row.org_unit_id, before: { remarks: row.remarks }, after: { remarks: input.remarks ?? null } });
    return getBulletin(ctx, id);
  });
}

const SCORE_CAP = 1.5;

/** The score of a unit: mean of progress against where it should be, over the indicators with a target. */
function scoreOf(items: ProgressItem[]) {
  const parts = items.filter((i) => i.category === 'headline' && i.progress !== null && i.expected !== null && i.expected > 0).map((i) => Math.min(SCORE_CAP, i.progress! / i.expected!));
  return parts.length ? parts.reduce((s, v) => s + v, 0) / parts.length : null;
}

export async function getBulletin(ctx: Ctx, id: string): Promise<Bulletin> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async () => {
    const row = await getBulletinRow(ctx, id);
    if (!row) throw new DomainError('plan.bulletin_not_found');
    const p = await loadPlan(ctx, row.plan_id);
    const unit = await unitByRef(ctx, row.org_unit_id);
    if (!unit) throw new DomainError('plan.bulletin_not_found');
    const r = await progressFor(ctx, p, unit, row.year, row.as_of, { children: true });
    const byUnit = r.children.map((c) => ({ unitId: c.id, unitName: c.name, items: r.itemsFor(c, row.year, row.as_of) }));
    const scored = byUnit.map((u) => ({
      unitId: u.unitId,
      unitName: u.unitName,
      score: scoreOf(u.items),
      lagging: u.items.filter((i) => i.status === 'lagging' || i.status === 'severely_lagging').map((i) => `${i.name}（${statusLabels[i.status].zh}）`),
    }));
    const ranked = scored.filter((s) => s.score !== null).sort((a, b) => b.score! - a.score!);
    const ranking = [...ranked.map((s, i) => ({ ...s, score: Math.round(s.score! * 10_000) / 10_000, rank: i + 1 })), ...scored.filter((s) => s.score === null).map((s) => ({ ...s, rank: null }))];
    return {
      ...toBulletinSummary(row),
      progress: { planId: p.id, year: row.year, asOf: row.as_of, unit: { id: unit.id, name: unit.name, code: unit.code }, items: r.items },
      ranking,
      byUnit,
    };
  });
}

// ---------------------------------------------------------------- evaluations

type EvalRow = NonNullable<Awaited<ReturnType<typeof getEvalRow>>>;
async function getEvalRow(ctx: Ctx, id: string) {
  return ctx.run((trx) => trx.selectFrom('plan_evaluation').selectAll().where('id', '=', id).executeTakeFirst());
}

function toEvaluation(r: EvalRow): Evaluation {
  return {
    id: r.id, planId: r.plan_id, unitId: r.org_unit_id, kind: r.kind as Evaluation['kind'], title: r.title, asOf: r.as_of, narrative: r.narrative,
    status: r.status as Evaluation['status'], contentHash: r.content_hash, publishedAt: r.published_at?.toISOString() ?? null, publishedByName: r.published_by_name,
    createdAt: r.created_at.toISOString(), version: r.version,
  };
}

export async function createEvaluation(ctx: Ctx, planId: string, input: CreateEvaluation) {
  requirePermission(ctx, 'plan.report');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    const unit = await resolveUnit(ctx, p, undefined);
    const asOf = input.asOf ?? (input.kind === 'midterm' ? `${Math.min(p.period_end, p.period_start + 2)}-12-31` : input.kind === 'final' ? `${p.period_end}-12-31` : shanghaiDate(ctx.deps.clock.now()));
    checkYear(p, Number(asOf.slice(0, 4)), 'asOf');
    const id = crypto.randomUUID();
    const now = ctx.deps.clock.now();
    const title = input.title ?? `${p.name}${evaluationKindLabels[input.kind].zh}报告（${unit.name}）`;
    await trx.insertInto('plan_evaluation').values({
      id, plan_id: planId, org_unit_id: unit.id, kind: input.kind, title, as_of: asOf, narrative: input.narrative ?? null, status: 'draft',
      snapshot: null, snapshot_text: null, content_hash: null, published_at: null, published_by: null, published_by_name: null,
      created_by: ctx.actor.userId, created_at: now, updated_at: now,
    }).execute();
    await recordAudit(ctx, { action: 'plan.evaluation_created', entityType: 'plan_evaluation', entityId: id, unitId: unit.id, after: { kind: input.kind, asOf, title } });
    return getEvaluation(ctx, id);
  });
}

export async function listEvaluations(ctx: Ctx, planId: string) {
  requirePermission(ctx, 'plan.read');
  const rows = await ctx.run((trx) => trx.selectFrom('plan_evaluation').selectAll().where('plan_id', '=', planId).orderBy('as_of').orderBy('created_at').execute());
  return rows.map(toEvaluation);
}

async function loadEvaluation(ctx: Ctx, id: string) {
  const row = await getEvalRow(ctx, id);
  if (!row) throw new DomainError('plan.evaluation_not_found');
  return row;
}

function refusePublished(r: EvalRow) {
  if (r.status === 'published') throw new DomainError('plan.evaluation_published', { at: shanghaiDate(r.published_at!) });
}

export async function updateEvaluation(ctx: Ctx, id: string, input: UpdateEvaluation) {
  requirePermission(ctx, 'plan.report');
  return ctx.run(async (trx) => {
    const row = await loadEvaluation(ctx, id);
    refusePublished(row);
    if (input.asOf) checkYear(await loadPlan(ctx, row.plan_id), Number(input.asOf.slice(0, 4)), 'asOf');
    const ok = await trx
      .updateTable('plan_evaluation')
      .set({ ...(input.title !== undefined ? { title: input.title } : {}), ...(input.asOf ? { as_of: input.asOf } : {}), ...(input.narrative !== undefined ? { narrative: input.narrative } : {}), updated_at: ctx.deps.clock.now(), version: input.version + 1 })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!ok) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'plan.evaluation_updated', entityType: 'plan_evaluation', entityId: id, unitId: row.org_unit_id, before: { title: row.title, asOf: row.as_of }, after: { title: input.title, asOf: input.asOf, narrativeChanged: input.narrative !== undefined } });
    return getEvaluation(ctx, id);
  });
}

async function buildSnapshot(ctx: Ctx, row: EvalRow, publishedAt: Date, publishedBy: string | null): Promise<EvaluationSnapshot> {
  const p = await loadPlan(ctx, row.plan_id);
  const unit = await unitByRef(ctx, row.org_unit_id);
  if (!unit) throw new DomainError('plan.evaluation_not_found');
  const year = Number(row.as_of.slice(0, 4));
  const r = await progressFor(ctx, p, unit, year, row.as_of, { children: true });
  const baseline = await ctx.run(async (trx) => (await repo.listBaseline(trx, p.id)).map(repo.toBaseline));
  const attachments = (await listAttachments(ctx, 'plan_evaluation', row.id)).map((a) => ({ id: a.id, fileName: a.fileName, sha256: a.sha256, size: a.size }));
  return {
    plan: { id: p.id, name: p.name, document: p.document, periodStart: p.period_start, periodEnd: p.period_end, baseYear: p.base_year },
    kind: row.kind as EvaluationSnapshot['kind'],
    title: row.title,
    asOf: row.as_of,
    narrative: row.narrative,
    units: [unit, ...r.children].map((u) => ({ unitId: u.id, unitName: u.name, unitCode: u.code, items: u.id === unit.id ? r.items : r.itemsFor(u, year, row.as_of) })),
    baseline,
    attachments,
    publishedAt: publishedAt.toISOString(),
    publishedBy,
  };
}

export async function getEvaluation(ctx: Ctx, id: string): Promise<EvaluationDetail> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async () => {
    const row = await loadEvaluation(ctx, id);
    const content = row.status === 'published' ? (JSON.parse(row.snapshot_text!) as EvaluationSnapshot) : await buildSnapshot(ctx, row, ctx.deps.clock.now(), null);
    return { ...toEvaluation(row), content };
  });
}

/**
 * Freezes every value, target and source at the evaluation date, with the narrative and the
 * evidence files' hashes, as canonical JSON (RFC 8785); its SHA-256 is printed on the report. The
 * row can then no longer change — the service says so, and a trigger refuses it for anyone.
 */
export async function publishEvaluation(ctx: Ctx, id: string, version: number) {
  requirePermission(ctx, 'plan.report');
  return ctx.run(async (trx) => {
    const row = await loadEvaluation(ctx, id);
    refusePublished(row);
    if (row.version !== version) throw new DomainError('conflict');
    const now = ctx.deps.clock.now();
    const by = ctx.actor.displayName ?? ctx.actor.username;
    const snapshot = await buildSnapshot(ctx, row, now, by);
    const text = canonicalJson(snapshot);
    const hash = crypto.createHash('sha256').update(text, 'utf8').digest('hex');
    const ok = await trx
      .updateTable('plan_evaluation')
      .set({ status: 'published', snapshot: text, snapshot_text: text, content_hash: hash, published_at: now, published_by: ctx.actor.userId, published_by_name: by, updated_at: now, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!ok) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'plan.evaluation_published', entityType: 'plan_evaluation', entityId: id, unitId: row.org_unit_id, after: { contentHash: hash, asOf: row.as_of, kind: row.kind } });
    return getEvaluation(ctx, id);
  });
}

export async function verifyEvaluation(ctx: Ctx, id: string) {
  requirePermission(ctx, 'plan.read');
  const row = await loadEvaluation(ctx, id);
  if (row.status !== 'published') throw new DomainError('plan.evaluation_not_found');
  const recomputed = crypto.createHash('sha256').update(row.snapshot_text!, 'utf8').digest('hex');
  // The stored text must also be the canonical form of what it says (no second encoding hidden in it).
  const canonical = canonicalJson(JSON.parse(row.snapshot_text!)) === row.snapshot_text;
  return { contentHash: row.content_hash!, recomputed, ok: canonical && recomputed === row.content_hash };
}

export async function deleteEvaluation(ctx: Ctx, id: string) {
  requirePermission(ctx, 'plan.report');
  await ctx.run(async (trx) => {
    const row = await loadEvaluation(ctx, id);
    refusePublished(row);
    await trx.deleteFrom('plan_evaluation').where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'plan.evaluation_deleted', entityType: 'plan_evaluation', entityId: id, unitId: row.org_unit_id, before: { title: row.title, kind: row.kind } });
  });
}

/** Published evaluations can no longer gain or lose evidence. */
export async function evaluationFrozen(ctx: Ctx, id: string) {
  const row = await getEvalRow(ctx, id);
  return row?.status === 'published';
}

export async function evaluationUnit(ctx: Ctx, id: string) {
  const row = await getEvalRow(ctx, id);
  return row?.org_unit_id ?? null;
}

/** Base period (表1) against the latest published mid-term and final evaluations of the caller's unit. */
export async function comparison(ctx: Ctx, planId: string): Promise<Comparison> {
  requirePermission(ctx, 'plan.read');
  return ctx.run(async (trx) => {
    const p = await loadPlan(ctx, planId);
    const indicators = await loadIndicators(ctx, planId);
    const baseline = (await repo.listBaseline(trx, planId)).map(repo.toBaseline);
    const unitId = ctx.actor.unitId ?? p.org_unit_id;
    const evals = await trx.selectFrom('plan_evaluation').selectAll().where('plan_id', '=', planId).where('status', '=', 'published').where('org_unit_id', '=', unitId).orderBy('published_at', 'desc').execute();
    const latest = (kind: string) => evals.find((e) => e.kind === kind);
    const read = (e: EvalRow | undefined, code: string) => {
      if (!e) return null;
      const snap = JSON.parse(e.snapshot_text!) as EvaluationSnapshot;
      const item = snap.units.find((u) => u.unitId === e.org_unit_id)?.items.find((i) => i.code === code);
      return { evaluationId: e.id, actual: item?.actual ?? null, status: item?.status ?? 'no_data' };
    };
    return {
      rows: indicators.map((i) => {
        const b = baseline.find((x) => x.indicatorCode === i.code);
        return {
          indicatorCode: i.code, name: i.nameZh, unit: i.unit, target: i.target,
          baseline: b ? { previousTarget: b.previousTarget, result: b.result, value: b.resultValue } : null,
          midterm: read(latest('midterm'), i.code),
          final: read(latest('final'), i.code),
        };
      }),
    };
  });
}
