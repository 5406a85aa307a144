import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, listQueryBase, pageOf, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';

/**
 * The humanitarian project library (人道公益项目库, plan 附件 and 四(一)2): projects and disaster or
 * emergency appeals (灾害事件/专项募捐), their fundraising goals in fen, brand projects of the
 * counties, and what the public may see of them. Browser-safe: the forms check with these rules.
 */
export const projectsPermissions = definePermissions({
  'projects.read': { zh: '查看项目库', en: 'View the project library', category: 'business' },
  'projects.write': { zh: '新建、修改与结束项目', en: 'Create, edit and close projects', category: 'business' },
});

export const projectsRoleGrants: RoleGrants = {
  staff: ['projects.read', 'projects.write'],
  leader: ['projects.read'],
  supervisor: ['projects.read'],
};

export const projectsErrors = {
  'projects.not_found': { status: 404, zh: '项目不存在或不在您的管辖范围内', en: 'Project not found, or outside your jurisdiction' },
  'projects.unit_not_found': { status: 404, zh: '承办单位不存在或不在您的管辖范围内', en: 'Owner unit not found, or outside your jurisdiction' },
  'projects.brand_limit': {
    status: 422,
    zh: '“县级品牌项目”：{county}已有 {count} 个品牌项目，每个县（市、区）最多 2 个',
    en: '"County brand project": {county} already has {count} brand projects; a county may have at most 2',
  },
  'projects.brand_needs_county': {
    status: 422,
    zh: '“县级品牌项目”只能由县（市、区）红十字会或其下级单位承办',
    en: '"County brand project" applies only to projects of a county or a unit below it',
  },
  'projects.closed': { status: 409, zh: '项目“{name}”已结束，不再接受定向捐赠或修改', en: 'Project "{name}" is closed: it takes no more designated donations or changes' },
  'projects.not_fundraising': { status: 409, zh: '项目“{name}”尚未开始募捐（草稿）', en: 'Project "{name}" is not fundraising yet (draft)' },
  'projects.closed_locked': { status: 409, zh: '项目已结束：只能修改项目简介、公开介绍、公开图片和内部备注', en: 'The project is closed: only the summary, public text, public image and internal notes may change' },
  'projects.has_donations': { status: 409, zh: '项目已收到捐赠，不能退回草稿', en: 'The project has received donations and cannot go back to draft' },
  'projects.image_invalid': { status: 422, zh: '“公开图片”应为本项目已上传的图片附件（JPEG、PNG 或 WebP）', en: '"Public image" must be an image attachment of this project (JPEG, PNG or WebP)' },
} satisfies ErrorCatalog;

export const PROJECT_KINDS = ['project', 'appeal'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];
export const projectKindLabels: Record<ProjectKind, { zh: string; en: string }> = {
  project: { zh: '公益项目', en: 'Project' },
  appeal: { zh: '灾害事件/专项募捐', en: 'Disaster or emergency appeal' },
};

export const PROJECT_STATUSES = ['draft', 'fundraising', 'closed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const projectStatusLabels: Record<ProjectStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  fundraising: { zh: '募捐中', en: 'Fundraising' },
  closed: { zh: '已结束', en: 'Closed' },
};

export const PROJECT_CATEGORIES = ['relief', 'medical', 'education', 'life', 'first_aid', 'volunteer', 'disaster', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];
export const projectCategoryLabels: Record<ProjectCategory, { zh: string; en: string }> = {
  relief: { zh: '困难群体救助', en: 'Relief for people in need' },
  medical: { zh: '医疗救助', en: 'Medical aid' },
  education: { zh: '助学', en: 'Education aid' },
  life: { zh: '生命关爱（献血与捐献）', en: 'Blood, stem-cell and organ donors' },
  first_aid: { zh: '应急救护', en: 'First aid' },
  volunteer: { zh: '志愿服务', en: 'Volunteering' },
  disaster: { zh: '备灾救灾', en: 'Disaster preparedness and relief' },
  other: { zh: '其他', en: 'Other' },
};

/** At most this many brand projects per county (三、主要目标: 每个县重点打造 1–2 个品牌项目). */
export const BRAND_PROJECTS_PER_COUNTY = 2;

const text = (max: number, label: string) => z.string().trim().min(1, { error: `请填写${label}` }).max(max, { error: `${label}不超过 ${max} 个字` });
const optionalText = (max: number, label: string) => z.string().trim().max(max, { error: `${label}不超过 ${max} 个字` }).nullable().optional();
const date = (label: string) => z.iso.date({ error: `${label}格式为 YYYY-MM-DD` });

/** Money is whole fen: a non-negative safe integer, never a float (DESIGN.md §1). */
export const fen = (label: string) =>
  z
    .number({ error: `${label}应为数字（单位：分）` })
    .int({ error: `${label}应为整数分（不能有小数）` })
    .min(0, { error: `${label}不能为负数` })
    .max(Number.MAX_SAFE_INTEGER, { error: `${label}超出范围` });

const beneficiaryGroups = z
  .array(z.string().trim().min(1, { error: '受益群体不能为空' }).max(30, { error: '每个受益群体不超过 30 个字' }), { error: '受益群体应为列表' })
  .max(20, { error: '受益群体最多 20 个' })
  .refine((a) => new Set(a).size === a.length, { error: '受益群体不能重复' });

const projectFields = {
  name: text(60, '项目名称'),
  kind: z.enum(PROJECT_KINDS, { error: '类型应为公益项目或灾害事件/专项募捐' }),
  category: z.enum(PROJECT_CATEGORIES, { error: '请选择项目类别' }),
  summary: optionalText(500, '项目简介'),
  /** For an appeal: the start date of the appeal (启动日期). */
  periodStart: date('开始日期').nullable().optional(),
  periodEnd: date('结束日期').nullable().optional(),
  /** Appeals only: the area the disaster struck (受灾地区). */
  affectedArea: optionalText(100, '受灾地区'),
  goalFen: fen('募捐目标').nullable().optional(),
  beneficiaryGroups: beneficiaryGroups.optional(),
  brandProject: z.boolean({ error: '县级品牌项目应为是或否' }).optional(),
  publicText: optionalText(5000, '公开介绍'),
  /** Never shown to the public. */
  internalNotes: optionalText(2000, '内部备注'),
};

export type ProjectShape = { kind?: ProjectKind | undefined; periodStart?: string | null | undefined; periodEnd?: string | null | undefined; affectedArea?: string | null | undefined };

/** Rules across fields, the same in the form and on the server (a change is checked on the merged record). */
export function projectIssues(v: ProjectShape): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (v.periodStart && v.periodEnd && v.periodEnd < v.periodStart) out.push({ path: 'periodEnd', message: '结束日期不能早于开始日期' });
  if (v.kind === 'appeal') {
    if (!v.periodStart) out.push({ path: 'periodStart', message: '专项募捐须填写启动日期' });
    if (!v.affectedArea) out.push({ path: 'affectedArea', message: '专项募捐须填写受灾地区' });
  } else if (v.kind === 'project' && v.affectedArea) {
    out.push({ path: 'affectedArea', message: '只有灾害事件/专项募捐填写受灾地区' });
  }
  return out;
}

function crossCheck(v: ProjectShape, ctx: z.RefinementCtx) {
  for (const i of projectIssues(v)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
}

export const createProject = z
  .strictObject({
    ...projectFields,
    kind: projectFields.kind.default('project'),
    /** The unit running the project (its jurisdiction owns it); the caller's own unit when absent. */
    ownerUnitId: uuid.optional(),
    /** A new project is a draft or starts fundraising at once; it is closed only by closing it. */
    status: z.enum(['draft', 'fundraising'], { error: '新建项目的状态应为草稿或募捐中' }).default('draft'),
  })
  .superRefine(crossCheck);
export type CreateProject = z.input<typeof createProject>;
export type CreateProjectParsed = z.infer<typeof createProject>;

/** A change: only the fields sent change. Kind and owner unit are fixed once created. */
export const updateProject = z.strictObject({
  version,
  name: projectFields.name.optional(),
  category: projectFields.category.optional(),
  summary: projectFields.summary,
  periodStart: projectFields.periodStart,
  periodEnd: projectFields.periodEnd,
  affectedArea: projectFields.affectedArea,
  goalFen: projectFields.goalFen,
  beneficiaryGroups: projectFields.beneficiaryGroups,
  brandProject: projectFields.brandProject,
  publicText: projectFields.publicText,
  internalNotes: projectFields.internalNotes,
  /** Move between draft and fundraising; closing has its own action. */
  status: z.enum(['draft', 'fundraising'], { error: '状态应为草稿或募捐中（结束项目请用“结束项目”）' }).optional(),
  /** An image attachment of this project shown on the public page; null removes it. */
  publicImageId: uuid.nullable().optional(),
});
export type UpdateProject = z.infer<typeof updateProject>;

export const closeProject = z.strictObject({
  version,
  reason: text(200, '结束原因'),
});
export type CloseProject = z.infer<typeof closeProject>;

export const project = z.object({
  id: uuid,
  code: z.string(),
  name: z.string(),
  kind: z.enum(PROJECT_KINDS),
  category: z.enum(PROJECT_CATEGORIES),
  summary: z.string().nullable(),
  ownerUnitId: uuid,
  ownerUnitName: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  affectedArea: z.string().nullable(),
  /** Integer fen; null: no goal set. */
  goalFen: z.number().int().nullable(),
  /** Integer fen, from the donations domain (0 until it reports). */
  raisedFen: z.number().int(),
  status: z.enum(PROJECT_STATUSES),
  beneficiaryGroups: z.array(z.string()),
  brandProject: z.boolean(),
  publicText: z.string().nullable(),
  publicImageId: z.string().nullable(),
  internalNotes: z.string().nullable(),
  closedAt: isoDateTime.nullable(),
  closedReason: z.string().nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type Project = z.infer<typeof project>;

export const historyEntry = z.object({ at: isoDateTime, action: z.string(), by: z.string().nullable(), details: z.unknown().nullable() });
export type HistoryEntry = z.infer<typeof historyEntry>;

export const projectDetail = project.extend({
  history: z.array(historyEntry),
});
export type ProjectDetail = z.infer<typeof projectDetail>;

export const PROJECT_SORTS = ['code', '-code', 'name', '-createdAt'] as const;

export const projectListQuery = z.strictObject({
  ...listQueryBase,
  q: z.string().trim().min(1).max(30).optional(),
  kind: z.enum(PROJECT_KINDS).optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  category: z.enum(PROJECT_CATEGORIES).optional(),
  brand: z.enum(['true', 'false']).optional(),
  unitId: uuid.optional(),
  sort: z.enum(PROJECT_SORTS).default('code'),
});
export type ProjectListQuery = z.infer<typeof projectListQuery>;
export const projectPage = pageOf(project);

/** What anyone may see: no internal notes, no people, no versions. */
export const publicProject = z.object({
  id: uuid,
  code: z.string(),
  name: z.string(),
  kind: z.enum(PROJECT_KINDS),
  category: z.enum(PROJECT_CATEGORIES),
  summary: z.string().nullable(),
  ownerUnitName: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  affectedArea: z.string().nullable(),
  goalFen: z.number().int().nullable(),
  raisedFen: z.number().int(),
  status: z.enum(['fundraising', 'closed']),
  beneficiaryGroups: z.array(z.string()),
  brandProject: z.boolean(),
  publicText: z.string().nullable(),
  hasImage: z.boolean(),
});
export type PublicProject = z.infer<typeof publicProject>;

export const publicProjectListQuery = z.strictObject({
  ...listQueryBase,
  limit: z.coerce.number().int().min(1).max(100).default(20),
  q: z.string().trim().min(1).max(30).optional(),
  kind: z.enum(PROJECT_KINDS).optional(),
  status: z.enum(['fundraising', 'closed']).optional(),
  category: z.enum(PROJECT_CATEGORIES).optional(),
});
export type PublicProjectListQuery = z.infer<typeof publicProjectListQuery>;
export const publicProjectPage = pageOf(publicProject);

/** `12345` fen → `123.45` (yuan with two decimals), without floating point. */
export function fenToYuan(fenValue: number): string {
  const neg = fenValue < 0;
  const s = String(Math.abs(fenValue)).padStart(3, '0');
  const yuan = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${yuan}.${s.slice(-2)}`;
}

/** `'123.45'` yuan → 12345 fen, exactly; null when not a yuan amount with at most two decimals. */
export function yuanToFen(yuan: string): number | null {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(yuan.replace(/,/g, ''));
  if (!m) return null;
  const value = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(value) ? value : null;
}
