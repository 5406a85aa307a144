import type { Ctx } from '../../../platform/context.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import type { ProjectCategory } from '../projects.contract.ts';
import * as svc from './projects.service.ts';

/**
 * 附件 衢州市红十字人道公益项目推荐表 of the plan (../shared/seed/), the 23 projects of the city's
 * humanitarian project library: names and descriptions exactly as printed (the description becomes
 * the summary and the public text). The table gives neither a category nor beneficiaries, goals or
 * periods: the category and the beneficiary groups below are our interpretation of each
 * description; goals and periods stay empty for staff to set. They belong to the city society
 * (330800) and ship fundraising, as the plan recommends them to donors; none is a county brand project.
 */
export const QUZHOU_PROJECTS: { name: string; summary: string; category: ProjectCategory; beneficiaryGroups: string[] }[] = [
  { name: "“博爱送万家”困难会员慰问", summary: "以红十字会员为主体，开展困难慰问活动", category: 'relief', beneficiaryGroups: ["困难会员"] },
  { name: "“最美衢州人”关爱基金", summary: "为最美衢州人等好人遇到困难时能够提供帮助", category: 'relief', beneficiaryGroups: ["最美衢州人", "身边好人"] },
  { name: "卫士救助金", summary: "为公安系统辅协警提供人道救助", category: 'relief', beneficiaryGroups: ["公安辅警", "协警"] },
  { name: "关爱贫困家庭留守儿童", summary: "关心关爱贫困家庭留守儿童，促进身心健康成长，帮助改善学习生活条件，为留守儿童创造良好的成长环境。", category: 'relief', beneficiaryGroups: ["贫困家庭留守儿童"] },
  { name: "关爱贫困家庭空巢老人", summary: "关心关爱贫困家庭空巢老人，帮助改善基本生活条件，体现社会温暖，为空巢老人晚年生活提升幸福感。", category: 'relief', beneficiaryGroups: ["贫困家庭空巢老人"] },
  { name: "关爱贫困家庭尿毒症患者", summary: "针对贫困家庭尿毒症患者长年血透用药负担大的实际，帮助减轻生活负担，增强生活信心，彰显社会关爱。", category: 'medical', beneficiaryGroups: ["贫困家庭尿毒症患者"] },
  { name: "关爱贫困家族先心（白血病）患儿", summary: "针对先心（白血病）患儿特殊群体家庭因病致困实际情况，减轻家庭生活负担，彰显社会对未成年人的关心关爱。", category: 'medical', beneficiaryGroups: ["先心病患儿", "白血病患儿"] },
  { name: "青少年学生近视防控", summary: "定点医院专项公益项目，旨在关心青少年眼健康和用眼安全。", category: 'medical', beneficiaryGroups: ["青少年学生"] },
  { name: "贫困家庭助学", summary: "关心关爱贫困家庭学生群体，帮助解决学习生活困难，体现关心教育、人人关爱祖国的未来。", category: 'education', beneficiaryGroups: ["贫困家庭学生"] },
  { name: "献血志愿者贫困救助", summary: "通过帮助献血志愿者贫困家庭，促进公益献血事业发展。", category: 'life', beneficiaryGroups: ["献血志愿者贫困家庭"] },
  { name: "城市清洁工关爱救助", summary: "针对城市清洁工工作环境和劳动强度大的实际，对家庭困难都实施救助，体现社会温暖，促进社会文明。", category: 'relief', beneficiaryGroups: ["城市清洁工困难家庭"] },
  { name: "小桔灯器官捐献者家庭救助", summary: "针对器官(遗体、组织)捐献者家庭的大爱之举，体现生命关爱的人道温暖。", category: 'life', beneficiaryGroups: ["器官（遗体、组织）捐献者家庭"] },
  { name: "造血干细胞捐献家庭救助", summary: "针对造血干细胞捐献志愿者的爱心之举，体现生命关爱的人道温暖。", category: 'life', beneficiaryGroups: ["造血干细胞捐献志愿者家庭"] },
  { name: "贫困家庭老年病救助", summary: "定点医院专项公益项目，旨在帮助贫困家庭老年病患者，体现关爱老年人，彰显社会温暖。", category: 'medical', beneficiaryGroups: ["贫困家庭老年病患者"] },
  { name: "红十字爱心病房", summary: "针对致力红十字人道事业的志愿者家庭患者，以提供专项医疗救助的方式，打造红十字公益病房，彰显红十字精神。", category: 'medical', beneficiaryGroups: ["红十字志愿者家庭患者"] },
  { name: "公益救援志愿者帮扶", summary: "针对红十字公益救援志愿者群体积极投身社会公益事业的爱心之举和舍小家为大家的奉献品格，通过帮扶行动，促进公益事业发展。", category: 'volunteer', beneficiaryGroups: ["公益救援志愿者"] },
  { name: "景区红十字公益救护站建设", summary: "通过建设景区红十字公益救护站，宣传红十字人道精神，为党和政府社会治理发挥红十字职能。", category: 'first_aid', beneficiaryGroups: ["景区游客"] },
  { name: "城市之星红十字志愿服务站建设", summary: "通过建立红十字志愿者服务站，营造红十字志愿服务的良好氛围，吸引更多人参与红十字志愿服务，促进文明城市建设。", category: 'volunteer', beneficiaryGroups: ["红十字志愿者", "市民"] },
  { name: "红十字现场应急救护公益培训", summary: "拓宽红十字应急救护培训普及面，让更多人学会现场应急救护技能，为生命救护护航。", category: 'first_aid', beneficiaryGroups: ["社会公众"] },
  { name: "外来务工困难家庭救助", summary: "营造“大爱衢州，温暖之城”氛围，关心外来务工人员，彰显有礼衢州。", category: 'relief', beneficiaryGroups: ["外来务工困难家庭"] },
  { name: "心理危机干预救援队建设", summary: "针对心理疾病特殊人群实施红十字人道心理干预，关爱心理健康，特别是在重大灾害发生时能够实施有效的心理救援，促进社会和谐稳定。", category: 'disaster', beneficiaryGroups: ["心理疾病特殊人群", "受灾群众"] },
  { name: "城市（城乡）公交车生命救护", summary: "通过设置城市公交车红十字应急救护箱，为突发性生命安全问题提供实时应急救护和帮助，为红十字人道传播提供平台。", category: 'first_aid', beneficiaryGroups: ["公交乘客"] },
  { name: "学校红十字救护站", summary: "关爱学生生命健康安全，主要用于学生发生意外伤害时的紧急救治。", category: 'first_aid', beneficiaryGroups: ["在校学生"] },
];

/** Creates the library under the city (ids: org code → unit id), in the annex's order (codes XM-330800-<year>-001…023). */
export async function loadQuzhouProjects(ctx: Ctx, ids: Map<string, string>) {
  const city = ids.get('330800')!;
  // One audit event for the whole library: reference data loaded at first start, not 23 staff decisions.
  await ctx.run(async () => {
    const codes: string[] = [];
    for (const p of QUZHOU_PROJECTS) {
      codes.push((await svc.createProject(ctx, { ...p, kind: 'project', ownerUnitId: city, status: 'fundraising', publicText: p.summary }, { audit: false })).code);
    }
    await recordAudit(ctx, { action: 'projects.reference_loaded', entityType: 'project', unitId: city, details: { source: '衢州市红十字事业发展“十四五”规划 附件 衢州市红十字人道公益项目推荐表', codes } });
  });
}
