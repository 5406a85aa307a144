import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { dateOrDateTime, definePermissions, isoDateTime, listQueryBase, pageOf, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';
import { normaliseMobile, parseResidentId } from '../../platform/validators.ts';

export const peoplePermissions = definePermissions({
  'people.read': { zh: '查看人员（证件号、手机号脱敏）', en: 'View people (ID and mobile masked)', category: 'business' },
  'people.write': { zh: '登记与修改人员', en: 'Register and edit people', category: 'business' },
  'people.view_full': { zh: '查看完整证件号与手机号（逐次留痕）', en: 'See full ID and mobile numbers (each view audited)', category: 'business' },
  'people.import': { zh: '批量导入人员', en: 'Import people from Excel', category: 'business' },
  'people.export': { zh: '导出人员名单', en: 'Export people lists', category: 'business' },
  'people.merge': { zh: '合并重复人员', en: 'Merge duplicate people', category: 'business' },
  'people.erase': { zh: '个人信息删除与数据主体请求', en: 'Erase personal data and answer data-subject requests', category: 'business' },
});

export const peopleRoleGrants: RoleGrants = {
  staff: ['people.read', 'people.write', 'people.import', 'people.export'],
  supervisor: ['people.read'],
  data_officer: ['people.read', 'people.write', 'people.view_full', 'people.export', 'people.merge', 'people.erase'],
};

export const peopleErrors = {
  'people.not_found': { status: 404, zh: '人员不存在或不在您的管辖范围内', en: 'Person not found, or outside your jurisdiction' },
  'people.duplicate': { status: 409, zh: '该证件号已登记（{name}），请勿重复登记', en: 'This ID number is already registered ({name})' },
  'people.registered_elsewhere': { status: 409, zh: '该证件号已由其他单位登记。如需在本单位办理业务，请使用“关联已登记人员”', en: 'Another unit has registered this ID number; link the existing record to your unit instead' },
  'people.erased': { status: 410, zh: '该人员的个人信息已按规定删除', en: 'This person’s personal data has been erased' },
  'people.merge_same': { status: 422, zh: '不能把人员与自己合并', en: 'A person cannot be merged with itself' },
  'people.merge_conflict': { status: 422, zh: '两条记录的证件号不同，不能合并：{reason}', en: 'The two records have different ID numbers and cannot be merged: {reason}' },
  'people.guardian_required': { status: 422, zh: '未满 14 周岁，须由监护人同意', en: 'Under 14: a guardian must give the consent' },
  'people.guardian_invalid': { status: 422, zh: '监护人须为已登记的成年人', en: 'The guardian must be a registered adult' },
  'people.consent_not_found': { status: 404, zh: '同意记录不存在', en: 'Consent record not found' },
  'people.consent_withdrawn': { status: 409, zh: '该同意已撤回', en: 'This consent was already withdrawn' },
  'people.not_linked': { status: 404, zh: '没有找到该证件号的登记', en: 'No registration with this ID number' },
} satisfies ErrorCatalog;

export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent', 'other'] as const;
export type IdType = (typeof ID_TYPES)[number];
export const idTypeLabels: Record<IdType, { zh: string; en: string }> = {
  resident_id: { zh: '居民身份证', en: 'Resident ID card' },
  passport: { zh: '护照', en: 'Passport' },
  hk_macao_permit: { zh: '港澳居民来往内地通行证', en: 'Hong Kong / Macao permit' },
  taiwan_permit: { zh: '台湾居民来往大陆通行证', en: 'Taiwan permit' },
  foreign_permanent: { zh: '外国人永久居留身份证', en: 'Foreign permanent resident ID' },
  other: { zh: '其他证件', en: 'Other document' },
};

export const SEXES = ['M', 'F', 'U'] as const;
export const sexLabels = { M: { zh: '男', en: 'Male' }, F: { zh: '女', en: 'Female' }, U: { zh: '未知', en: 'Unknown' } } as const;

export const MINOR_FLAGS = ['under14', 'under18'] as const;

export const ID_PROBLEM_MESSAGES = {
  format: { zh: '身份证号应为 18 位（或旧版 15 位）数字，最后一位可为 X', en: 'A resident ID has 18 digits (or 15 for old cards); the last may be X' },
  check_digit: { zh: '身份证号校验位不正确，请核对', en: 'The check digit of the ID number is wrong' },
  birth_date: { zh: '身份证号中的出生日期不存在', en: 'The birth date in the ID number does not exist' },
  future_birth_date: { zh: '身份证号中的出生日期晚于今天', en: 'The birth date in the ID number is in the future' },
} as const;

/** One field check the forms and the server share: the error message names what is wrong. */
export function checkIdNumber(idType: IdType, value: string): string | null {
  if (idType === 'resident_id') {
    const p = parseResidentId(value);
    return p.ok ? null : ID_PROBLEM_MESSAGES[p.problem].zh;
  }
  if (!/^[A-Za-z0-9()（）-]{5,30}$/.test(value.trim())) return '证件号应为 5–30 位字母或数字';
  return null;
}

const name = z.string().trim().min(1, { error: '请填写姓名' }).max(50, { error: '姓名不超过 50 个字' });
const mobile = z
  .string()
  .trim()
  .refine((v) => normaliseMobile(v).ok, { error: '手机号应为 11 位中国大陆手机号（1 开头，第二位 3–9）' });

const personFields = {
  name,
  idType: z.enum(ID_TYPES),
  idNumber: z.string().trim().max(40).nullable().optional(),
  sex: z.enum(SEXES).nullable().optional(),
  birthDate: z.iso.date({ error: '出生日期格式为 YYYY-MM-DD' }).nullable().optional(),
  mobile: mobile.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  homeUnitId: uuid.nullable().optional(),
  notes: z.string().trim().max(1000).nullable().optional(),
};

/** Rules across fields: a resident ID needs its number, and the sex and birth date must agree with it. */
function crossCheck(v: { idType?: IdType; idNumber?: string | null; sex?: string | null; birthDate?: string | null }, ctx: z.RefinementCtx) {
  if (!v.idType) return;
  if (v.idNumber) {
    const problem = checkIdNumber(v.idType, v.idNumber);
    if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: problem });
    else if (v.idType === 'resident_id') {
      const p = parseResidentId(v.idNumber);
      if (p.ok && v.sex && v.sex !== 'U' && v.sex !== p.id.sex) ctx.addIssue({ code: 'custom', path: ['sex'], message: '性别与身份证号不符' });
      if (p.ok && v.birthDate && v.birthDate !== p.id.birthDate) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: '出生日期与身份证号不符' });
    }
  } else if (v.idType === 'resident_id') {
    ctx.addIssue({ code: 'custom', path: ['idNumber'], message: '请填写身份证号' });
  }
}

export const createPerson = z
  .strictObject({
    ...personFields,
    /** The registering unit (its jurisdiction owns the record); the caller's own unit when absent. */
    unitId: uuid.optional(),
    guardian: z.strictObject({ personId: uuid, relation: z.string().trim().min(1, { error: '请填写与被监护人的关系' }).max(20) }).optional(),
  })
  .superRefine(crossCheck);
export type CreatePerson = z.infer<typeof createPerson>;

const guardianRef = z.strictObject({ personId: uuid, relation: z.string().trim().min(1, { error: '请填写与被监护人的关系' }).max(20) });

export const updatePerson = z
  .strictObject({
    version,
    ...(Object.fromEntries(Object.entries(personFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof personFields]: z.ZodOptional<(typeof personFields)[K]> }),
    /** Set, replace or (null) remove the guardian. */
    guardian: guardianRef.nullable().optional(),
  })
  .superRefine(crossCheck);
export type UpdatePerson = z.infer<typeof updatePerson>;

export const person = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  name: z.string(),
  idType: z.enum(ID_TYPES),
  /** Masked: first 6 and last 4 of a resident ID, last 4 of other documents; never the birth date. */
  idNumberMasked: z.string().nullable(),
  sex: z.enum(SEXES),
  age: z.number().int().nullable(),
  minor: z.enum(MINOR_FLAGS).nullable(),
  mobileMasked: z.string().nullable(),
  address: z.string().nullable(),
  homeUnitId: z.string().nullable(),
  homeUnitName: z.string().nullable(),
  notes: z.string().nullable(),
  guardian: z.object({ personId: z.string(), name: z.string(), relation: z.string() }).nullable(),
  erased: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  version: z.number().int(),
});
export type Person = z.infer<typeof person>;

export const personListQuery = z.strictObject({
  ...listQueryBase,
  q: z.string().trim().min(1).max(30).optional(),
  unitId: uuid.optional(),
  idType: z.enum(ID_TYPES).optional(),
  sex: z.enum(SEXES).optional(),
  minor: z.enum(MINOR_FLAGS).optional(),
  sort: z.enum(['name', '-name', 'createdAt', '-createdAt']).default('-createdAt'),
});
export type PersonListQuery = z.infer<typeof personListQuery>;
export const personPage = pageOf(person);

/** Search by an identifier goes in a POST body, never in a URL (security.md item 40). */
export const personLookup = z.strictObject({
  idType: z.enum(ID_TYPES).default('resident_id'),
  idNumber: z.string().trim().min(1).max(40).optional(),
  mobile: mobile.optional(),
}).refine((v) => !!v.idNumber || !!v.mobile, { error: '请填写证件号或手机号' });

export const UNMASK_FIELDS = ['idNumber', 'mobile', 'birthDate'] as const;
export const unmaskBody = z.strictObject({
  fields: z.array(z.enum(UNMASK_FIELDS)).min(1).max(3),
  reason: z.string().trim().min(2, { error: '请说明查看理由' }).max(200),
});
export const unmasked = z.object({ idNumber: z.string().nullable().optional(), mobile: z.string().nullable().optional(), birthDate: z.string().nullable().optional() });

export const linkBody = z.strictObject({ idType: z.enum(ID_TYPES).default('resident_id'), idNumber: z.string().trim().min(1).max(40) });

export const mergeBody = z.strictObject({
  /** The record that stays. */
  keepId: uuid,
  /** The record folded into it; its links move to the kept record. */
  mergeId: uuid,
  reason: z.string().trim().min(2).max(200),
});

export const CONSENT_PURPOSES = ['registration', 'public_disclosure', 'stem_cell', 'organ_donation', 'volunteer', 'training', 'membership', 'photo_publicity', 'other'] as const;
export const consentPurposeLabels: Record<(typeof CONSENT_PURPOSES)[number], { zh: string; en: string }> = {
  registration: { zh: '登记与业务办理', en: 'Registration and services' },
  public_disclosure: { zh: '公开信息（捐赠公示等）', en: 'Public disclosure (donation lists)' },
  stem_cell: { zh: '造血干细胞捐献（敏感个人信息）', en: 'Stem-cell donation (sensitive data)' },
  organ_donation: { zh: '人体器官（遗体、角膜）捐献（敏感个人信息）', en: 'Organ, body or cornea donation (sensitive data)' },
  volunteer: { zh: '志愿服务', en: 'Volunteering' },
  training: { zh: '应急救护培训', en: 'First-aid training' },
  membership: { zh: '会员', en: 'Membership' },
  photo_publicity: { zh: '照片与宣传', en: 'Photos and publicity' },
  other: { zh: '其他', en: 'Other' },
};

export const consent = z.object({
  id: z.string(),
  personId: z.string(),
  purpose: z.enum(CONSENT_PURPOSES),
  scope: z.string(),
  givenAt: isoDateTime,
  givenBy: z.enum(['self', 'guardian']),
  guardianName: z.string().nullable(),
  evidence: z.string().nullable(),
  withdrawnAt: isoDateTime.nullable(),
  withdrawnReason: z.string().nullable(),
});
export type Consent = z.infer<typeof consent>;

export const giveConsentBody = z.strictObject({
  purpose: z.enum(CONSENT_PURPOSES),
  scope: z.string().trim().min(1, { error: '请填写同意范围' }).max(500),
  givenAt: dateOrDateTime.optional(),
  /** For a person under 14 the guardian consents (PIPL Art. 31). */
  givenBy: z.enum(['self', 'guardian']).default('self'),
  evidence: z.string().trim().max(300).nullable().optional(),
});
export const withdrawConsentBody = z.strictObject({ reason: z.string().trim().min(1).max(300) });

/** A role the person holds in some domain (member, volunteer, donor…); domains add theirs as they land. */
export const personRole = z.object({ domain: z.string(), role: z.string(), label: z.object({ zh: z.string(), en: z.string() }), unitId: z.string(), unitName: z.string(), refId: z.string().nullable(), since: isoDateTime });

export const personDetail = person.extend({
  consents: z.array(consent),
  roles: z.array(personRole),
  /** Units linked to the person besides the registering one. */
  linkedUnits: z.array(z.object({ unitId: z.string(), unitName: z.string() })),
});
export type PersonDetail = z.infer<typeof personDetail>;

export const eraseBody = z.strictObject({ reason: z.string().trim().min(2).max(300), requestRef: z.string().trim().max(100).optional() });
