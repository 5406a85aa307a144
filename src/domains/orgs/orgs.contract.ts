import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, listQueryBase, pageOf, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';

export const orgsPermissions = definePermissions({
  'orgs.read': { zh: '查看组织机构与人口', en: 'View org units and populations', category: 'business' },
  'orgs.write': { zh: '维护组织机构与人口', en: 'Edit org units and populations', category: 'business' },
});

export const orgsErrors = {
  'orgs.not_found': { status: 404, zh: '组织不存在或不在您的管辖范围内', en: 'Unit not found, or outside your jurisdiction' },
  'orgs.parent_not_found': { status: 404, zh: '上级组织不存在或不在您的管辖范围内', en: 'Parent unit not found, or outside your jurisdiction' },
  'orgs.root_protected': { status: 403, zh: '不能修改或删除您管辖范围的根单位（{name}），请联系上级单位', en: 'You cannot change or delete the root of your own jurisdiction ({name}); ask the level above' },
  'orgs.cycle': { status: 422, zh: '不能把组织移到它自己或它的下级之下', en: 'A unit cannot be moved under itself or one of its descendants' },
  'orgs.kind_not_allowed': { status: 422, zh: '“{parentKind}”下不能设立“{kind}”', en: 'A "{kind}" cannot be placed under a "{parentKind}"' },
  'orgs.code_taken': { status: 409, zh: '代码 {code} 已被其他组织使用', en: 'Code {code} is already used by another unit' },
  'orgs.in_use': { status: 409, zh: '该组织仍有下级单位、用户或业务记录，不能删除', en: 'The unit still has sub-units, users or records and cannot be deleted' },
  'orgs.population_not_found': { status: 404, zh: '该年度该口径的人口数不存在', en: 'No population figure for that year and kind' },
} satisfies ErrorCatalog;

export const ORG_KINDS = ['city', 'city_direct', 'county', 'function_zone', 'township', 'street', 'village', 'community', 'school', 'enterprise', 'other'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const orgKindLabels: Record<OrgKind, { zh: string; en: string }> = {
  city: { zh: '市', en: 'City' },
  city_direct: { zh: '市本级', en: 'City level' },
  county: { zh: '县（市、区）', en: 'County / district' },
  function_zone: { zh: '功能区', en: 'Function zone' },
  township: { zh: '乡镇', en: 'Township' },
  street: { zh: '街道', en: 'Street' },
  village: { zh: '村', en: 'Village' },
  community: { zh: '社区', en: 'Community' },
  school: { zh: '学校', en: 'School' },
  enterprise: { zh: '企事业单位', en: 'Enterprise / institution' },
  other: { zh: '其他', en: 'Other' },
};

/** Which kinds may sit directly under which: the tree follows the administrative hierarchy. */
export const allowedChildKinds: Record<OrgKind, readonly OrgKind[]> = {
  city: ['city_direct', 'county', 'function_zone', 'school', 'enterprise', 'other'],
  city_direct: ['school', 'enterprise', 'other'],
  county: ['township', 'street', 'school', 'enterprise', 'other'],
  function_zone: ['township', 'street', 'community', 'village', 'school', 'enterprise', 'other'],
  township: ['village', 'community', 'school', 'enterprise', 'other'],
  street: ['community', 'village', 'school', 'enterprise', 'other'],
  village: ['other'],
  community: ['other'],
  school: [],
  enterprise: [],
  other: ['other'],
};

export const POPULATION_KINDS = ['registered', 'resident', 'census'] as const;
export type PopulationKind = (typeof POPULATION_KINDS)[number];
export const populationKindLabels: Record<PopulationKind, { zh: string; en: string }> = {
  registered: { zh: '户籍人口', en: 'Registered (hukou)' },
  resident: { zh: '常住人口', en: 'Resident' },
  census: { zh: '普查常住人口', en: 'Census resident' },
};

export const orgUnit = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string().nullable(),
  name: z.string(),
  shortName: z.string().nullable(),
  kind: z.enum(ORG_KINDS),
  depth: z.number().int(),
  synthetic: z.boolean(),
  sortOrder: z.number().int(),
  childCount: z.number().int(),
  version: z.number().int(),
  updatedAt: isoDateTime,
});
export type OrgUnit = z.infer<typeof orgUnit>;

export const orgListQuery = z.strictObject({
  ...listQueryBase,
  parentId: uuid.optional(),
  /** Only the units at the top of the caller's jurisdiction. */
  roots: z.enum(['true', 'false']).optional(),
  kind: z.enum(ORG_KINDS).optional(),
  q: z.string().trim().min(1).max(50).optional(),
  maxDepth: z.coerce.number().int().min(0).max(20).optional(),
});
export type OrgListQuery = z.infer<typeof orgListQuery>;
export const orgPage = pageOf(orgUnit);

const orgCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{2,32}$/, { error: '代码应为 2–32 位字母、数字或短横线（行政区划代码如 330802）' });
const orgName = z.string().trim().min(1, { error: '请填写名称' }).max(100, { error: '名称不超过 100 个字' });

export const createOrgUnit = z.strictObject({
  parentId: uuid,
  code: orgCode.nullable().optional(),
  name: orgName,
  shortName: z.string().trim().max(30).nullable().optional(),
  kind: z.enum(ORG_KINDS),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export type CreateOrgUnit = z.infer<typeof createOrgUnit>;

export const updateOrgUnit = z.strictObject({
  version,
  parentId: uuid.optional(),
  code: orgCode.nullable().optional(),
  name: orgName.optional(),
  shortName: z.string().trim().max(30).nullable().optional(),
  kind: z.enum(ORG_KINDS).optional(),
  sortOrder: z.number().int().min(0).max(100000).optional(),
});
export type UpdateOrgUnit = z.infer<typeof updateOrgUnit>;

export const population = z.object({
  id: z.string(),
  unitId: z.string(),
  year: z.number().int(),
  kind: z.enum(POPULATION_KINDS),
  value: z.number().int(),
  source: z.string(),
  note: z.string().nullable(),
  updatedAt: isoDateTime,
});
export type Population = z.infer<typeof population>;

export const savePopulation = z.strictObject({
  year: z.number().int().min(1949, { error: '年份应在 1949–2100 之间' }).max(2100, { error: '年份应在 1949–2100 之间' }),
  kind: z.enum(POPULATION_KINDS),
  value: z.number().int({ error: '人口数应为整数' }).min(0, { error: '人口数不能为负' }).max(2_000_000_000),
  source: z.string().trim().min(1, { error: '请填写数据来源' }).max(200),
  note: z.string().trim().max(500).nullable().optional(),
});
export type SavePopulation = z.infer<typeof savePopulation>;

export const populationKeyParams = z.strictObject({
  id: uuid,
  year: z.coerce.number().int().min(1949).max(2100),
  kind: z.enum(POPULATION_KINDS),
});

export const orgUnitDetail = orgUnit.extend({
  /** Ancestors from the top of the caller's jurisdiction down to the parent. */
  ancestors: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(ORG_KINDS) })),
  populations: z.array(population),
});
export type OrgUnitDetail = z.infer<typeof orgUnitDetail>;

export const orgsRoleGrants: RoleGrants = {
  sys_admin: ['orgs.read'],
  sec_admin: ['orgs.read'],
  audit_admin: ['orgs.read'],
  supervisor: ['orgs.read'],
  leader: ['orgs.read'],
  staff: ['orgs.read', 'orgs.write'],
  data_officer: ['orgs.read'],
};
