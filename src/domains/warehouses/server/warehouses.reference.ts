import crypto from 'node:crypto';
import type { Ctx } from '../../../platform/context.ts';
import type { ItemCategory } from '../warehouses.contract.ts';

/**
 * The standard relief items (../shared/reference/domain-rules.md §8: the Shanghai Red Cross standing
 * relief-stock list, the national society's family pack and its relief tent). Specification is part of
 * identity: N95 and KN95 masks are two items. Owned by the city society; counties add local items.
 */
export const STANDARD_ITEMS: { code: string; name: string; spec: string; category: ItemCategory; unit: string; countUnit: boolean; shelfLifeMonths: number | null }[] = [
  { code: 'ZP-01', name: '帐篷', spec: '总会标准单帐篷 12㎡', category: 'shelter', unit: '顶', countUnit: true, shelfLifeMonths: null },
  { code: 'ZP-02', name: '帐篷', spec: '棉帐篷 12㎡', category: 'shelter', unit: '顶', countUnit: true, shelfLifeMonths: null },
  { code: 'ZP-03', name: '折叠床', spec: '单人钢制折叠床', category: 'shelter', unit: '张', countUnit: true, shelfLifeMonths: null },
  { code: 'BR-01', name: '棉被', spec: '2m×1.8m 真空包装', category: 'bedding', unit: '床', countUnit: true, shelfLifeMonths: 60 },
  { code: 'BR-02', name: '毛毯', spec: '2m×1.5m 2kg 含毛30%', category: 'bedding', unit: '条', countUnit: true, shelfLifeMonths: 60 },
  { code: 'BR-03', name: '睡袋', spec: '成人款', category: 'bedding', unit: '个', countUnit: true, shelfLifeMonths: null },
  { code: 'YW-01', name: '冲锋衣', spec: '成人均码', category: 'clothing', unit: '件', countUnit: true, shelfLifeMonths: null },
  { code: 'YW-02', name: '雨衣', spec: '成人分体式', category: 'clothing', unit: '件', countUnit: true, shelfLifeMonths: null },
  { code: 'WS-01', name: '卫生洗漱包', spec: '毛巾、牙具、香皂', category: 'hygiene', unit: '套', countUnit: true, shelfLifeMonths: 36 },
  { code: 'JT-01', name: '家庭生活应急包', spec: '总会标准 17 类', category: 'family_kit', unit: '个', countUnit: true, shelfLifeMonths: 36 },
  { code: 'JT-02', name: '家庭生活应急包', spec: '火灾受灾户 20 类', category: 'family_kit', unit: '个', countUnit: true, shelfLifeMonths: 36 },
  { code: 'JT-03', name: '赈济家庭箱', spec: '3 人 1 周', category: 'family_kit', unit: '箱', countUnit: true, shelfLifeMonths: 24 },
  { code: 'YL-01', name: '口罩', spec: '医用外科口罩', category: 'medical', unit: '只', countUnit: true, shelfLifeMonths: 24 },
  { code: 'YL-02', name: '口罩', spec: 'N95', category: 'medical', unit: '只', countUnit: true, shelfLifeMonths: 36 },
  { code: 'YL-03', name: '口罩', spec: 'KN95', category: 'medical', unit: '只', countUnit: true, shelfLifeMonths: 36 },
  { code: 'YL-04', name: '急救包', spec: '家庭小药箱', category: 'medical', unit: '个', countUnit: true, shelfLifeMonths: 24 },
  { code: 'SP-01', name: '饮用水', spec: '550ml×24瓶', category: 'food_water', unit: '箱', countUnit: true, shelfLifeMonths: 12 },
  { code: 'SP-02', name: '方便食品', spec: '压缩饼干', category: 'food_water', unit: 'kg', countUnit: false, shelfLifeMonths: 24 },
  { code: 'ZB-01', name: '手电筒', spec: '充电式 LED', category: 'equipment', unit: '个', countUnit: true, shelfLifeMonths: null },
  { code: 'ZB-02', name: '发电机', spec: '汽油 5kW', category: 'equipment', unit: '台', countUnit: true, shelfLifeMonths: null },
];

/** Placeholder grades: the national grading measures are not available, so the criteria are a checklist staff edit. */
export const DEFAULT_GRADES: { code: string; name: string; criteria: string[]; sortOrder: number }[] = [
  { code: 'L1', name: '一级', criteria: ['建筑面积与储备能力达到一级要求', '设有独立的装卸作业区与应急通道', '配备叉车、货架、温湿度监控', '24 小时值守与视频监控', '信息化出入库管理'], sortOrder: 1 },
  { code: 'L2', name: '二级', criteria: ['建筑面积与储备能力达到二级要求', '配备货架与温湿度计', '防火防盗防潮设施齐全', '信息化出入库管理'], sortOrder: 2 },
  { code: 'L3', name: '三级', criteria: ['有固定储存场所', '防火防盗防潮设施齐全', '出入库台账完整'], sortOrder: 3 },
];

/** Loads the standard items and grades for the root unit (idempotent: existing codes are kept). */
export async function loadStandardItems(ctx: Ctx, rootUnitId: string) {
  const now = ctx.deps.clock.now();
  await ctx.run(async (trx) => {
    await trx
      .insertInto('relief_item')
      .values(STANDARD_ITEMS.map((i) => ({ id: crypto.randomUUID(), org_unit_id: rootUnitId, code: i.code, name: i.name, spec: i.spec, category: i.category, unit: i.unit, count_unit: i.countUnit, shelf_life_months: i.shelfLifeMonths, standard: true, active: true, created_at: now })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .insertInto('warehouse_grade')
      .values(DEFAULT_GRADES.map((g) => ({ id: crypto.randomUUID(), org_unit_id: rootUnitId, code: g.code, name: g.name, criteria: JSON.stringify(g.criteria), sort_order: g.sortOrder, created_at: now })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
}
