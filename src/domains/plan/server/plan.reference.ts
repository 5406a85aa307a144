import crypto from 'node:crypto';
import type { Ctx } from '../../../platform/context.ts';
import type { CreateIndicator, SaveTarget } from '../plan.contract.ts';
import * as repo from './plan.repository.ts';
import * as svc from './plan.service.ts';

/**
 * Quzhou's 14th five-year plan for the Red Cross (衢州市红十字事业发展“十四五”规划, ../shared/seed/)
 * as data: 表2's eight headline indicators, the secondary targets of 三 and 四, 表3 (AED) and 表4
 * (members) exactly as printed — including their stated totals, which do not all add up — and 表1
 * (the 13th plan's targets and results) as the base period. Interpretations are said where made.
 */
export const QUZHOU_PLAN = {
  name: '衢州市红十字事业发展“十四五”规划',
  document: '衢发改发〔2021〕36号',
  periodStart: 2021,
  periodEnd: 2025,
  baseYear: 2020,
  notes: '规划原文见 ../shared/seed/；表2 指标、表3 AED 计划、表4 会员发展计划与表1 “十三五”完成情况按原文录入，合计与分项不一致处保留原数并在规划页提示。',
} as const;

type Ind = Omit<CreateIndicator, 'responsibleUnitId' | 'sortOrder'>;

export const QUZHOU_INDICATORS: Ind[] = [
  { code: 'fundraising_total', nameZh: '筹资总额', nameEn: 'Funds raised (money and goods valued)', category: 'headline', unit: '万元', numeratorUnit: '万元', kind: 'cumulative', direction: 'at_least', target: 5000, targetScope: 'whole', denominator: 'none', scale: 'count', rankTarget: null, sourceDomain: 'donations', description: '全市红十字会系统筹集捐赠款物（物资按估值），“十四五”期间累计数' },
  { code: 'village_rc_coverage', nameZh: '村（社区）红十字组织覆盖面', nameEn: 'Village and community Red Cross coverage', category: 'headline', unit: '%', numeratorUnit: '个', kind: 'end_of_period', direction: 'at_least', target: 50, targetScope: 'each_unit', denominator: 'entered', scale: 'percent', rankTarget: null, sourceDomain: 'branches', description: '已建红十字组织的村（社区）数 ÷ 村（社区）总数；分母为村（社区）总数，随填报录入' },
  { code: 'member_ratio', nameZh: '会员占常住人口比例', nameEn: 'Members as a share of resident population', category: 'headline', unit: '%', numeratorUnit: '人', kind: 'end_of_period', direction: 'at_least', target: 3, targetScope: 'each_unit', denominator: 'resident', scale: 'percent', rankTarget: null, sourceDomain: 'members', description: '会员人数 ÷ 常住人口，“十四五”期末数；各单位逐年会员数见表4' },
  { code: 'rescuer_ratio', nameZh: '新增注册救护员占户籍人口比例', nameEn: 'New certified first-aiders as a share of registered population', category: 'headline', unit: '%', numeratorUnit: '人', kind: 'cumulative', direction: 'at_least', target: 2, targetScope: 'each_unit', denominator: 'registered', scale: 'percent', rankTarget: null, sourceDomain: 'training', description: '“十四五”期间累计新增注册救护员 ÷ 户籍人口' },
  { code: 'popularization_ratio', nameZh: '新增救护普及人数占户籍人口比例', nameEn: 'First-aid awareness reach as a share of registered population', category: 'headline', unit: '%', numeratorUnit: '人次', kind: 'cumulative', direction: 'at_least', target: 20, targetScope: 'each_unit', denominator: 'registered', scale: 'percent', rankTarget: null, sourceDomain: 'training', description: '“十四五”期间累计新增救护普及人数 ÷ 户籍人口' },
  { code: 'aed_density', nameZh: 'AED 每万人配置数', nameEn: 'AEDs per 10,000 registered population', category: 'headline', unit: '台/万人', numeratorUnit: '台', kind: 'end_of_period', direction: 'at_least', target: 1.5, targetScope: 'each_unit', denominator: 'registered', scale: 'per_10k', rankTarget: null, sourceDomain: 'aed', description: '公共场所 AED 在用台数 ÷ 户籍人口 × 10000，期末数；各县计划数见表3' },
  { code: 'stem_cell_additions', nameZh: '造血干细胞资料库入库库容增加', nameEn: 'Stem-cell donor registry additions', category: 'headline', unit: '人份', numeratorUnit: '人份', kind: 'cumulative', direction: 'at_least', target: 1400, targetScope: 'whole', denominator: 'none', scale: 'count', rankTarget: null, sourceDomain: 'stem_cells', description: '“十四五”期间累计入库 1400 人份以上（每年 280 人份以上）' },
  { code: 'organ_donation_rate', nameZh: '百万人口器官捐献率', nameEn: 'Organ donations per million population', category: 'headline', unit: '例/百万人', numeratorUnit: '例', kind: 'annual', direction: 'at_least', target: null, targetScope: 'whole', denominator: 'registered', scale: 'per_million', rankTarget: 3, sourceDomain: 'organ_donation', description: '规划要求“继续保持全省前茅”：捐献率按户籍人口计算；全省排名由工作人员填报，前 3 名视为达标（可在指标设置中调整）' },
  { code: 'screening_loss_rate', nameZh: '造血干细胞初筛流失率', nameEn: 'Stem-cell initial screening loss rate', category: 'secondary', unit: '%', numeratorUnit: '人', kind: 'annual', direction: 'at_most', target: 20, targetScope: 'whole', denominator: 'entered', scale: 'percent', rankTarget: null, sourceDomain: 'stem_cells', description: '每年初筛流失人数 ÷ 初筛人数，控制在 20% 以下' },
  { code: 'remobilization_regret_rate', nameZh: '造血干细胞再动员反悔率', nameEn: 'Stem-cell re-mobilisation withdrawal rate', category: 'secondary', unit: '%', numeratorUnit: '人', kind: 'annual', direction: 'at_most', target: 10, targetScope: 'whole', denominator: 'entered', scale: 'percent', rankTarget: null, sourceDomain: 'stem_cells', description: '每年再动员反悔人数 ÷ 再动员人数，控制在 10% 以下' },
  { code: 'brand_projects', nameZh: '县级品牌项目', nameEn: 'County brand projects', category: 'secondary', unit: '个', numeratorUnit: '个', kind: 'end_of_period', direction: 'at_least', target: null, targetScope: 'whole', denominator: 'none', scale: 'count', rankTarget: null, sourceDomain: 'projects', description: '县（市、区）红十字会重点打造 1–2 个在当地具有影响力的品牌项目' },
  { code: 'relief_warehouses', nameZh: '备灾救灾仓库', nameEn: 'Relief warehouses', category: 'secondary', unit: '个', numeratorUnit: '个', kind: 'end_of_period', direction: 'at_least', target: null, targetScope: 'whole', denominator: 'none', scale: 'count', rankTarget: null, sourceDomain: 'warehouses', description: '市级已建成；各县（市、区）各建 1 个' },
  { code: 'boai_homes', nameZh: '博爱家园新建数', nameEn: 'New Boai Homes', category: 'secondary', unit: '个', numeratorUnit: '个', kind: 'cumulative', direction: 'at_least', target: null, targetScope: 'whole', denominator: 'none', scale: 'count', rankTarget: null, sourceDomain: 'branches', description: '每县每年新建 2 个博爱家园' },
  { code: 'team_drills', nameZh: '救援队人均演练频次', nameEn: 'Drills per rescue team per year', category: 'secondary', unit: '次/队', numeratorUnit: '次', kind: 'annual', direction: 'at_least', target: 4, targetScope: 'each_unit', denominator: 'entered', scale: 'ratio', rankTarget: null, sourceDomain: 'rescue_teams', description: '每支救援队每季度至少演练一次：年度演练次数 ÷ 救援队数，分母为救援队数' },
];

const T3 = '表3 AED 计划增设数量';
const T4 = '表4 会员发展计划';
const THREE = '三、主要目标';

/** 表3, row by row as printed (户籍人口 goes to the org tree's populations, not here). */
export const TABLE3: { code: string; target: number; installed: number; additions: number[] }[] = [
  { code: '330802', target: 66, installed: 6, additions: [14, 12, 12, 11, 11] },
  { code: '330803', target: 60, installed: 9, additions: [14, 10, 10, 9, 9] },
  { code: '330825', target: 60, installed: 6, additions: [14, 11, 10, 10, 10] },
  { code: '330881', target: 92, installed: 7, additions: [20, 17, 17, 16, 16] },
  { code: '330822', target: 51, installed: 7, additions: [11, 9, 9, 8, 8] },
  { code: '330824', target: 54, installed: 7, additions: [12, 9, 9, 9, 9] },
];
export const TABLE3_TOTAL = { target: 383, installed: 57, additions: [85, 68, 67, 63, 63] };

/** 表4 (万人), as printed: no 常山县 row, and totals that are not all the sums of the rows. */
export const TABLE4: { unit: string; values: number[] }[] = [
  { unit: '市本级', values: [0.6, 0.7, 0.9, 1.0, 1.2] },
  { unit: '330802', values: [0.7, 0.8, 0.9, 1.0, 1.1] },
  { unit: '330803', values: [0.7, 0.8, 0.9, 1.0, 1.1] },
  { unit: '330825', values: [0.6, 0.7, 0.8, 0.9, 1.0] },
  { unit: '330881', values: [0.9, 1.0, 1.1, 1.2, 1.3] },
  { unit: '330824', values: [0.5, 0.7, 0.8, 0.9, 1.0] },
];
export const TABLE4_TOTAL = [4.0, 4.8, 5.6, 6.0, 6.8];

export const TABLE1 = [
  { item: '乡镇、学校红十字会建会率', previous: '乡镇、学校红十字会建会率 100%', result: '乡镇、学校红十字会建会率 100%', code: null, value: null },
  { item: '志愿服务队伍', previous: '建立志愿服务队伍 7 支以上', result: '建立 8 支红十字应急救援队、2 支志愿服务队', code: null, value: null },
  { item: '筹资救助工作', previous: '全市新增筹资额度 1600 万元以上', result: '全市红十字会系统共筹集救助款 14945 万元', code: 'fundraising_total', value: 14945 },
  { item: '救护员', previous: '全市新增注册红十字救护员占户籍人口比达 1.5% 以上', result: '全市新增注册红十字救护员比例达到 2.33% 以上', code: 'rescuer_ratio', value: 2.33 },
  { item: '救护普及', previous: '新增救护知识普及人数占户籍人口比达 10% 以上', result: '新增救护知识普及比例达到 18.4%', code: 'popularization_ratio', value: 18.4 },
  { item: '造血干细胞', previous: '造血干细胞入库登记新增 1000 人份以上', result: '五年共实现造血干细胞入库登记 1206 人', code: 'stem_cell_additions', value: 1206 },
];

const COUNTIES = ['330802', '330803', '330822', '330824', '330825', '330881'];

/** Creates the plan under the city (ids: org code or slug → unit id). Returns the plan id. */
export async function loadQuzhouPlan(ctx: Ctx, ids: Map<string, string>): Promise<string> {
  const city = ids.get('330800')!;
  const unit = (ref: string) => ids.get(ref === '市本级' ? 'shibenji' : ref)!;
  const plan = await svc.createPlan(ctx, { ...QUZHOU_PLAN, ownerUnitId: city });
  let order = 0;
  for (const ind of QUZHOU_INDICATORS) await svc.createIndicator(ctx, plan.id, { ...ind, responsibleUnitId: city, sortOrder: (order += 10) });
  const targets: SaveTarget[] = [];
  const add = (t: Omit<SaveTarget, 'statedTotal' | 'note'> & { statedTotal?: boolean; note?: string | null }) => targets.push({ statedTotal: false, note: null, ...t });
  for (const r of TABLE3) {
    add({ indicatorCode: 'aed_density', unitId: unit(r.code), year: null, basis: 'count', value: r.target, source: T3 });
    add({ indicatorCode: 'aed_density', unitId: unit(r.code), year: 2020, basis: 'baseline', value: r.installed, source: T3, note: '已安装数' });
    r.additions.forEach((v, i) => add({ indicatorCode: 'aed_density', unitId: unit(r.code), year: 2021 + i, basis: 'addition', value: v, source: T3 }));
  }
  add({ indicatorCode: 'aed_density', unitId: city, year: null, basis: 'count', value: TABLE3_TOTAL.target, source: T3, statedTotal: true, note: '市本级另计' });
  add({ indicatorCode: 'aed_density', unitId: city, year: 2020, basis: 'baseline', value: TABLE3_TOTAL.installed, source: T3, statedTotal: true, note: '已安装数；市本级另计' });
  TABLE3_TOTAL.additions.forEach((v, i) => add({ indicatorCode: 'aed_density', unitId: city, year: 2021 + i, basis: 'addition', value: v, source: T3, statedTotal: true }));
  for (const r of TABLE4) r.values.forEach((v, i) => add({ indicatorCode: 'member_ratio', unitId: unit(r.unit), year: 2021 + i, basis: 'count', value: Math.round(v * 10_000), source: T4, note: `${v} 万人` }));
  TABLE4_TOTAL.forEach((v, i) => add({ indicatorCode: 'member_ratio', unitId: city, year: 2021 + i, basis: 'count', value: Math.round(v * 10_000), source: T4, statedTotal: true, note: `合计 ${v} 万人` }));
  for (let y = 2021; y <= 2025; y++) add({ indicatorCode: 'stem_cell_additions', unitId: city, year: y, basis: 'addition', value: 280, source: '三、主要目标：每年 280 人份以上' });
  for (const c of COUNTIES) {
    add({ indicatorCode: 'brand_projects', unitId: unit(c), year: null, basis: 'value', value: 1, source: THREE, note: '1–2 个' });
    add({ indicatorCode: 'relief_warehouses', unitId: unit(c), year: null, basis: 'value', value: 1, source: '四、重点任务：每个县（市、区）建成备灾救灾仓库' });
    add({ indicatorCode: 'boai_homes', unitId: unit(c), year: null, basis: 'value', value: 10, source: '每县每年新建 2 个' });
    for (let y = 2021; y <= 2025; y++) add({ indicatorCode: 'boai_homes', unitId: unit(c), year: y, basis: 'addition', value: 2, source: '每县每年新建 2 个' });
  }
  add({ indicatorCode: 'brand_projects', unitId: city, year: null, basis: 'value', value: 6, source: THREE, note: '6 个县（市、区）各至少 1 个' });
  add({ indicatorCode: 'relief_warehouses', unitId: city, year: null, basis: 'value', value: 7, source: '市级 1 个（已建成）+ 6 个县（市、区）' });
  add({ indicatorCode: 'boai_homes', unitId: city, year: null, basis: 'value', value: 60, source: '6 个县 × 每年 2 个 × 5 年' });
  for (const t of targets) await svc.saveTarget(ctx, plan.id, t);
  await ctx.run((trx) =>
    repo.insertBaseline(trx, TABLE1.map((b, i) => ({ id: crypto.randomUUID(), plan_id: plan.id, item: b.item, previous_target: b.previous, result: b.result, indicator_code: b.code, result_value: b.value, sort_order: i }))),
  );
  return plan.id;
}
