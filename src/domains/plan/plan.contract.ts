import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';

/**
 * The development plan as data (DESIGN.md §6): plans, indicators, targets per unit and year, the
 * base-period table, manual actuals, progress, bulletins and frozen evaluations. Browser-safe.
 */
export const planPermissions = definePermissions({
  'plan.read': { zh: '查看规划、进度、通报与评估', en: 'View plans, progress, bulletins and evaluations', category: 'business' },
  'plan.write': { zh: '编制规划：指标、目标与逐年分解', en: 'Edit plans: indicators, targets and annual breakdown', category: 'business' },
  'plan.actuals': { zh: '人工填报指标完成数', en: 'Enter indicator actuals by hand', category: 'business' },
  'plan.report': { zh: '编写进度通报与期中、期末评估', en: 'Write progress bulletins and mid-term and final evaluations', category: 'business' },
});

export const planRoleGrants: RoleGrants = {
  staff: ['plan.read', 'plan.write', 'plan.actuals', 'plan.report'],
  leader: ['plan.read'],
  supervisor: ['plan.read'],
};

export const planErrors = {
  'plan.not_found': { status: 404, zh: '规划不存在或不在您的管辖范围内', en: 'Plan not found, or outside your jurisdiction' },
  'plan.not_owner': { status: 403, zh: '该规划由{unit}编制，只有编制单位可以修改', en: 'This plan belongs to {unit}; only that unit may change it' },
  'plan.indicator_not_found': { status: 404, zh: '指标“{code}”不存在', en: 'Indicator "{code}" not found' },
  'plan.indicator_code_taken': { status: 409, zh: '指标代码“{code}”已存在', en: 'Indicator code "{code}" already exists' },
  'plan.unit_not_found': { status: 404, zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found, or outside your jurisdiction' },
  'plan.year_outside_period': { status: 422, zh: '年份 {year} 不在规划期 {start}–{end} 内', en: 'Year {year} is outside the plan period {start}–{end}' },
  'plan.period_invalid': { status: 422, zh: '规划期应为 开始年 ≤ 结束年，基期年早于开始年', en: 'The period must start no later than it ends, and the base year must precede it' },
  'plan.denominator_required': { status: 422, zh: '该指标的分母需要人工填写（{label}）', en: 'This indicator needs its denominator entered ({label})' },
  'plan.rank_not_applicable': { status: 422, zh: '该指标不填报全省排名', en: 'This indicator takes no provincial rank' },
  'plan.breakdown_mismatch': { status: 422, zh: '逐年分解合计 {sum} 与目标 {target} 不一致', en: 'The annual split adds up to {sum}, not the target {target}' },
  'plan.breakdown_not_cumulative': { status: 422, zh: '只有累计数指标需要逐年分解', en: 'Only cumulative indicators take an annual split' },
  'plan.entry_not_found': { status: 404, zh: '填报记录不存在', en: 'Entry not found' },
  'plan.bulletin_not_found': { status: 404, zh: '通报不存在', en: 'Bulletin not found' },
  'plan.evaluation_not_found': { status: 404, zh: '评估报告不存在', en: 'Evaluation not found' },
  'plan.evaluation_published': { status: 409, zh: '评估报告已于 {at} 发布，内容已冻结，不能修改', en: 'The evaluation was published on {at}; it is frozen and cannot change' },
  'plan.import_invalid': { status: 422, zh: '规划文件有误：{reason}', en: 'The plan workbook is invalid: {reason}' },
} satisfies ErrorCatalog;

export const INDICATOR_KINDS = ['cumulative', 'end_of_period', 'annual'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export const indicatorKindLabels: Record<IndicatorKind, { zh: string; en: string }> = {
  cumulative: { zh: '期间累计数', en: 'Cumulative over the period' },
  end_of_period: { zh: '期末数', en: 'End-of-period value' },
  annual: { zh: '年度数', en: 'Annual value' },
};
export const DIRECTIONS = ['at_least', 'at_most'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const directionLabels: Record<Direction, { zh: string; en: string }> = {
  at_least: { zh: '不低于', en: 'at least' },
  at_most: { zh: '不高于', en: 'at most' },
};
/** What the numerator is divided by: none, a population of the unit, or a figure entered with it. */
export const DENOMINATORS = ['none', 'registered', 'resident', 'entered'] as const;
export type Denominator = (typeof DENOMINATORS)[number];
export const denominatorLabels: Record<Denominator, { zh: string; en: string }> = {
  none: { zh: '无', en: 'None' },
  registered: { zh: '户籍人口', en: 'Registered population' },
  resident: { zh: '常住人口', en: 'Resident population' },
  entered: { zh: '随填报录入', en: 'Entered with the figure' },
};
export const SCALES = ['count', 'ratio', 'percent', 'per_10k', 'per_million'] as const;
export type Scale = (typeof SCALES)[number];
export const SCALE_FACTOR: Record<Scale, number> = { count: 1, ratio: 1, percent: 100, per_10k: 10_000, per_million: 1_000_000 };
export const CATEGORIES = ['headline', 'secondary'] as const;
/** `each_unit`: the target holds for every unit (ratios); `whole`: only for the plan's owner unit unless a unit row says otherwise. */
export const TARGET_SCOPES = ['whole', 'each_unit'] as const;

/**
 * Per-unit figures as the plan's tables give them: `value` in the indicator's own unit, `count` the
 * numerator at the end of `year` (表4 members, 表3 "1.5 per 10,000" in units), `addition` the
 * numerator added in `year` (表3 planned additions, an annual split), `baseline` the numerator in
 * the base year (表3 installed).
 */
export const TARGET_BASES = ['value', 'count', 'addition', 'baseline'] as const;
export type TargetBasis = (typeof TARGET_BASES)[number];
export const targetBasisLabels: Record<TargetBasis, { zh: string; en: string }> = {
  value: { zh: '目标值', en: 'Target value' },
  count: { zh: '年末目标数', en: 'Year-end count' },
  addition: { zh: '当年计划增加数', en: 'Planned addition in the year' },
  baseline: { zh: '基期数', en: 'Base-year count' },
};

export const STATUSES = ['achieved', 'on_track', 'lagging', 'severely_lagging', 'no_target', 'no_data'] as const;
export type Status = (typeof STATUSES)[number];
export const statusLabels: Record<Status, { zh: string; en: string }> = {
  achieved: { zh: '达标', en: 'Achieved' },
  on_track: { zh: '正常', en: 'On track' },
  lagging: { zh: '滞后', en: 'Lagging' },
  severely_lagging: { zh: '严重滞后', en: 'Severely lagging' },
  no_target: { zh: '无分解目标', en: 'No target' },
  no_data: { zh: '无数据', en: 'No data' },
};

const year = z.number().int().min(2000, { error: '年份应在 2000–2100 之间' }).max(2100, { error: '年份应在 2000–2100 之间' });
const text = (max: number, label: string) => z.string().trim().min(1, { error: `请填写${label}` }).max(max, { error: `${label}不超过 ${max} 个字` });
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const finite = z.number({ error: '应为数字' }).finite();

export const thresholds = z.strictObject({
  /** Actual/expected at or above this is 正常 (below: 滞后). */
  lagging: z.number().min(0).max(1),
  /** Below this is 严重滞后. */
  severe: z.number().min(0).max(1),
});
export type Thresholds = z.infer<typeof thresholds>;
export const DEFAULT_THRESHOLDS: Thresholds = { lagging: 0.9, severe: 0.7 };

export const plan = z.object({
  id: uuid,
  name: z.string(),
  document: z.string().nullable(),
  periodStart: z.number().int(),
  periodEnd: z.number().int(),
  baseYear: z.number().int(),
  ownerUnitId: uuid,
  ownerUnitName: z.string(),
  thresholds,
  notes: z.string().nullable(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type Plan = z.infer<typeof plan>;

export const createPlan = z
  .strictObject({
    name: text(100, '规划名称'),
    document: optionalText(100),
    periodStart: year,
    periodEnd: year,
    baseYear: year,
    ownerUnitId: uuid.optional(),
    thresholds: thresholds.optional(),
    notes: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.periodEnd < v.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: '结束年不能早于开始年' });
    if (v.baseYear >= v.periodStart) ctx.addIssue({ code: 'custom', path: ['baseYear'], message: '基期年应早于规划开始年' });
    if (v.thresholds && v.thresholds.severe > v.thresholds.lagging) ctx.addIssue({ code: 'custom', path: ['thresholds', 'severe'], message: '严重滞后阈值不能高于滞后阈值' });
  });
export type CreatePlan = z.infer<typeof createPlan>;

export const updatePlan = z.strictObject({
  version,
  name: text(100, '规划名称').optional(),
  document: optionalText(100),
  thresholds: thresholds.optional(),
  notes: optionalText(2000),
});
export type UpdatePlan = z.infer<typeof updatePlan>;

export const indicatorCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, { error: '指标代码为 2–40 位小写字母、数字或下划线，以字母开头' });

const indicatorFields = {
  code: indicatorCode,
  nameZh: text(60, '指标名称'),
  nameEn: text(120, '英文名称'),
  category: z.enum(CATEGORIES),
  unit: text(20, '计量单位'),
  numeratorUnit: text(20, '填报单位'),
  kind: z.enum(INDICATOR_KINDS),
  direction: z.enum(DIRECTIONS),
  target: finite.nullable(),
  targetScope: z.enum(TARGET_SCOPES),
  denominator: z.enum(DENOMINATORS),
  scale: z.enum(SCALES),
  rankTarget: z.number().int().min(1).max(100).nullable(),
  sourceDomain: z.string().trim().max(40).nullable(),
  responsibleUnitId: uuid.nullable(),
  description: optionalText(500),
  sortOrder: z.number().int().min(0).max(10_000),
};

export const indicator = z.object({
  id: uuid,
  planId: uuid,
  ...indicatorFields,
  description: z.string().nullable(),
  responsibleUnitName: z.string().nullable(),
  /** A domain computes this indicator from its records (its `*.indicators.ts` is registered). */
  computed: z.boolean(),
  version: z.number().int(),
});
export type Indicator = z.infer<typeof indicator>;

export const createIndicator = z.strictObject(indicatorFields).superRefine((v, ctx) => {
  if (v.denominator === 'none' && v.scale !== 'count') ctx.addIssue({ code: 'custom', path: ['scale'], message: '没有分母的指标只能按数量计' });
  if (v.denominator !== 'none' && v.scale === 'count') ctx.addIssue({ code: 'custom', path: ['scale'], message: '有分母的指标应选比值、百分比、每万人或每百万人' });
});
export type CreateIndicator = z.infer<typeof createIndicator>;
export const updateIndicator = z.strictObject({
  version,
  ...(Object.fromEntries(Object.entries(indicatorFields).filter(([k]) => k !== 'code').map(([k, v]) => [k, v.optional()])) as {
    [K in Exclude<keyof typeof indicatorFields, 'code'>]: z.ZodOptional<(typeof indicatorFields)[K]>;
  }),
});
export type UpdateIndicator = z.infer<typeof updateIndicator>;

export const target = z.object({
  id: uuid,
  indicatorCode: z.string(),
  unitId: uuid,
  unitName: z.string(),
  unitCode: z.string().nullable(),
  year: z.number().int().nullable(),
  basis: z.enum(TARGET_BASES),
  value: z.number(),
  /** The row is a table's stated total for the unit (e.g. 表3 总数), checked against its children. */
  statedTotal: z.boolean(),
  source: z.string().nullable(),
  note: z.string().nullable(),
});
export type Target = z.infer<typeof target>;

export const saveTarget = z.strictObject({
  indicatorCode,
  unitId: uuid,
  year: year.nullable(),
  basis: z.enum(TARGET_BASES),
  value: finite,
  statedTotal: z.boolean().default(false),
  source: optionalText(100),
  note: optionalText(500),
});
export type SaveTarget = z.infer<typeof saveTarget>;

export const breakdownInput = z.strictObject({
  unitId: uuid,
  /** Planned additions per year of the period, in the numerator's unit. */
  years: z.array(z.strictObject({ year, value: finite.min(0, { error: '分解数不能为负' }) })).min(1).max(20),
  note: optionalText(500),
});
export type BreakdownInput = z.infer<typeof breakdownInput>;

export const baselineRow = z.object({
  id: uuid,
  item: z.string(),
  previousTarget: z.string(),
  result: z.string(),
  indicatorCode: z.string().nullable(),
  resultValue: z.number().nullable(),
  sortOrder: z.number().int(),
});
export type BaselineRow = z.infer<typeof baselineRow>;

export const planDetail = plan.extend({
  indicators: z.array(indicator),
  targets: z.array(target),
  baseline: z.array(baselineRow),
  /** The plan's owner unit lies in the caller's jurisdiction: the caller may edit it. */
  editable: z.boolean(),
});
export type PlanDetail = z.infer<typeof planDetail>;

export const warning = z.object({
  code: z.enum(['total_mismatch', 'missing_rows', 'population_missing', 'breakdown_missing']),
  indicatorCode: z.string(),
  source: z.string().nullable(),
  unitId: uuid.nullable(),
  unitName: z.string().nullable(),
  year: z.number().int().nullable(),
  basis: z.enum(TARGET_BASES).nullable(),
  stated: z.number().nullable(),
  sum: z.number().nullable(),
  missing: z.array(z.string()),
  message: z.string(),
});
export type Warning = z.infer<typeof warning>;

export const progressQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  /** Org code (e.g. 330802) or unit id; the caller's own unit when absent. */
  unit: z.string().trim().min(1).max(60).optional(),
  /** Evaluate as of this date (bulletins: the end of a quarter); the end of `year` when absent. */
  asOf: z.iso.date().optional(),
});
export type ProgressQuery = z.infer<typeof progressQuery>;

export const progressItem = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  category: z.enum(CATEGORIES),
  kind: z.enum(INDICATOR_KINDS),
  unit: z.string(),
  numeratorUnit: z.string(),
  direction: z.enum(DIRECTIONS),
  target: z.number().nullable(),
  actual: z.number().nullable(),
  actualSource: z.enum(['computed', 'manual', 'none']),
  /** The numerator behind `actual` (e.g. AEDs installed, new rescuers since the base year). */
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  /** The population year used as the denominator (the latest recorded at or before `year`). */
  populationYear: z.number().int().nullable(),
  /** The numerator the unit's own table rows aim at by now (表3 units, 表4 members), if any. */
  targetCount: z.number().nullable(),
  /** actual ÷ target (for at-most indicators: target ÷ actual, capped at 1 when met). */
  progress: z.number().nullable(),
  /** Where the unit should be by now, as a fraction of the target. */
  expected: z.number().nullable(),
  /** Share of the period elapsed at `asOf`. */
  elapsed: z.number(),
  status: z.enum(STATUSES),
  /** The end-of-period value at the current pace. */
  projection: z.number().nullable(),
  rank: z.number().int().nullable(),
  rankTarget: z.number().int().nullable(),
  notes: z.array(z.string()),
});
export type ProgressItem = z.infer<typeof progressItem>;

export const progressResult = z.object({
  planId: uuid,
  year: z.number().int(),
  asOf: z.iso.date(),
  unit: z.object({ id: uuid, name: z.string(), code: z.string().nullable() }),
  items: z.array(progressItem),
});
export type ProgressResult = z.infer<typeof progressResult>;

export const indicatorTableQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  unit: z.string().trim().min(1).max(60).optional(),
});
export const indicatorTable = z.object({
  indicatorCode: z.string(),
  year: z.number().int(),
  unit: z.object({ id: uuid, name: z.string(), code: z.string().nullable() }),
  /** The unit itself and each of its direct children, with the indicator as of `year`. */
  rows: z.array(
    z.object({
      unitId: uuid,
      unitName: z.string(),
      unitCode: z.string().nullable(),
      isTotal: z.boolean(),
      item: progressItem,
      /** The actual at the end of each year of the period up to `year`. */
      series: z.array(z.object({ year: z.number().int(), actual: z.number().nullable(), target: z.number().nullable() })),
    }),
  ),
});
export type IndicatorTable = z.infer<typeof indicatorTable>;

export const actualEntry = z.object({
  id: uuid,
  indicatorCode: z.string(),
  unitId: uuid,
  unitName: z.string(),
  year: z.number().int(),
  numerator: z.number(),
  denominator: z.number().nullable(),
  rank: z.number().int().nullable(),
  sourceDocument: z.string(),
  note: z.string().nullable(),
  enteredBy: z.string().nullable(),
  enteredAt: isoDateTime,
  supersededAt: isoDateTime.nullable(),
  /** A domain now computes this figure; the entry is kept as history. */
  replacedByComputed: z.boolean(),
});
export type ActualEntry = z.infer<typeof actualEntry>;

export const enterActual = z.strictObject({
  indicatorCode,
  unitId: uuid,
  year,
  numerator: finite.min(0, { error: '填报数不能为负' }),
  denominator: finite.positive({ error: '分母应大于 0' }).nullable().optional(),
  rank: z.number().int().min(1).max(100).nullable().optional(),
  sourceDocument: text(200, '数据来源（文件名或文号）'),
  note: optionalText(500),
});
export type EnterActual = z.infer<typeof enterActual>;

export const actualsQuery = z.strictObject({
  indicatorCode: indicatorCode.optional(),
  unitId: uuid.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  history: z.enum(['true', 'false']).optional(),
});

export const BULLETIN_PERIODS = ['quarter', 'half', 'year'] as const;
export type BulletinPeriod = (typeof BULLETIN_PERIODS)[number];
export const bulletinPeriodLabels: Record<BulletinPeriod, { zh: string; en: string }> = {
  quarter: { zh: '季度', en: 'Quarter' },
  half: { zh: '半年', en: 'Half-year' },
  year: { zh: '年度', en: 'Year' },
};

export const createBulletin = z
  .strictObject({
    periodKind: z.enum(BULLETIN_PERIODS),
    year,
    part: z.number().int().min(1).max(4),
    unitId: uuid.optional(),
    remarks: optionalText(5000),
  })
  .superRefine((v, ctx) => {
    const max = v.periodKind === 'quarter' ? 4 : v.periodKind === 'half' ? 2 : 1;
    if (v.part > max) ctx.addIssue({ code: 'custom', path: ['part'], message: `应为 1–${max}` });
  });
export type CreateBulletin = z.infer<typeof createBulletin>;
export const updateBulletin = z.strictObject({ version, remarks: optionalText(5000) });

export const bulletinSummary = z.object({
  id: uuid,
  planId: uuid,
  unitId: uuid,
  unitName: z.string(),
  periodKind: z.enum(BULLETIN_PERIODS),
  year: z.number().int(),
  part: z.number().int(),
  title: z.string(),
  asOf: z.iso.date(),
  remarks: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
  version: z.number().int(),
});
export type BulletinSummary = z.infer<typeof bulletinSummary>;

export const rankingRow = z.object({
  unitId: uuid,
  unitName: z.string(),
  /** Mean progress-against-expected over the indicators with a target for the unit. */
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  lagging: z.array(z.string()),
});
export const bulletin = bulletinSummary.extend({
  progress: progressResult,
  ranking: z.array(rankingRow),
  /** Each headline indicator across the child units: indicator code → unit id → item. */
  byUnit: z.array(z.object({ unitId: uuid, unitName: z.string(), items: z.array(progressItem) })),
});
export type Bulletin = z.infer<typeof bulletin>;

export const EVALUATION_KINDS = ['midterm', 'final', 'adhoc'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];
export const evaluationKindLabels: Record<EvaluationKind, { zh: string; en: string }> = {
  midterm: { zh: '期中评估', en: 'Mid-term evaluation' },
  final: { zh: '期末评估', en: 'Final evaluation' },
  adhoc: { zh: '专项评估', en: 'Evaluation' },
};

export const createEvaluation = z.strictObject({
  kind: z.enum(EVALUATION_KINDS),
  title: text(100, '标题').optional(),
  /** The evaluation date; mid-term defaults to the end of the period's third year, final to its end. */
  asOf: z.iso.date().optional(),
  narrative: optionalText(20_000),
});
export type CreateEvaluation = z.infer<typeof createEvaluation>;
export const updateEvaluation = z.strictObject({ version, title: text(100, '标题').optional(), asOf: z.iso.date().optional(), narrative: optionalText(20_000) });
export type UpdateEvaluation = z.infer<typeof updateEvaluation>;

export const evaluationSnapshot = z.object({
  plan: z.object({ id: uuid, name: z.string(), document: z.string().nullable(), periodStart: z.number().int(), periodEnd: z.number().int(), baseYear: z.number().int() }),
  kind: z.enum(EVALUATION_KINDS),
  title: z.string(),
  asOf: z.iso.date(),
  narrative: z.string().nullable(),
  units: z.array(z.object({ unitId: uuid, unitName: z.string(), unitCode: z.string().nullable(), items: z.array(progressItem) })),
  baseline: z.array(baselineRow),
  attachments: z.array(z.object({ id: uuid, fileName: z.string(), sha256: z.string(), size: z.number().int() })),
  publishedAt: isoDateTime,
  publishedBy: z.string().nullable(),
});
export type EvaluationSnapshot = z.infer<typeof evaluationSnapshot>;

export const evaluation = z.object({
  id: uuid,
  planId: uuid,
  unitId: uuid,
  kind: z.enum(EVALUATION_KINDS),
  title: z.string(),
  asOf: z.iso.date(),
  narrative: z.string().nullable(),
  status: z.enum(['draft', 'published']),
  /** SHA-256 of the snapshot's canonical JSON (RFC 8785), shown on the report. */
  contentHash: z.string().nullable(),
  publishedAt: isoDateTime.nullable(),
  publishedByName: z.string().nullable(),
  createdAt: isoDateTime,
  version: z.number().int(),
});
export type Evaluation = z.infer<typeof evaluation>;
export const evaluationDetail = evaluation.extend({
  /** Frozen content once published; a live preview while a draft. */
  content: evaluationSnapshot,
});
export type EvaluationDetail = z.infer<typeof evaluationDetail>;
export const evaluationVerify = z.object({ contentHash: z.string(), recomputed: z.string(), ok: z.boolean() });

/** Comparison of the base period (表1), the mid-term and the final evaluation, per indicator. */
export const comparison = z.object({
  rows: z.array(
    z.object({
      indicatorCode: z.string(),
      name: z.string(),
      unit: z.string(),
      target: z.number().nullable(),
      baseline: z.object({ previousTarget: z.string(), result: z.string(), value: z.number().nullable() }).nullable(),
      midterm: z.object({ evaluationId: uuid, actual: z.number().nullable(), status: z.enum(STATUSES) }).nullable(),
      final: z.object({ evaluationId: uuid, actual: z.number().nullable(), status: z.enum(STATUSES) }).nullable(),
    }),
  ),
});
export type Comparison = z.infer<typeof comparison>;

export const planIdParams = z.strictObject({ id: uuid });
export const indicatorParams = z.strictObject({ id: uuid, code: indicatorCode });
export const targetParams = z.strictObject({ id: uuid, targetId: uuid });
