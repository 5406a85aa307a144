import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, listQueryBase, pageOf, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';
import { parseCreditCode } from '../../platform/validators.ts';
import { goodsTraceResult } from '../warehouses/warehouses.contract.ts';

/**
 * Money donations (goods join with the warehouses domain), the double-entry journal behind them,
 * allocations, disbursements with maker-checker approval, and the per-gift trace (爱心轨迹).
 * Browser-safe.
 */
export const donationsPermissions = definePermissions({
  'donations.read': { zh: '查看捐赠、资金与拨付', en: 'View donations, funds and disbursements', category: 'business' },
  'donations.write': { zh: '登记与确认捐赠', en: 'Record and confirm donations', category: 'business' },
  'donations.allocate': { zh: '非定向资金分配到项目', en: 'Allocate unrestricted money to projects', category: 'business' },
  'donations.disburse': { zh: '提交拨付申请', en: 'Submit disbursements', category: 'business' },
  'donations.approve': { zh: '审批拨付（不得审批本人提交的）', en: 'Approve disbursements (never one’s own)', category: 'business' },
});

export const donationsRoleGrants: RoleGrants = {
  staff: ['donations.read', 'donations.write', 'donations.allocate', 'donations.disburse', 'donations.approve'],
  leader: ['donations.read', 'donations.approve'],
  supervisor: ['donations.read'],
};

export const donationsErrors = {
  'donations.not_found': { status: 404, zh: '捐赠记录不存在或不在您的管辖范围内', en: 'Donation not found, or outside your jurisdiction' },
  'donations.unit_not_found': { status: 404, zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found, or outside your jurisdiction' },
  'donations.donor_not_found': { status: 404, zh: '捐赠人不存在或不在您的管辖范围内', en: 'Donor not found, or outside your jurisdiction' },
  'donations.goods_not_reversible': { status: 409, zh: '物资捐赠已入库，不能整笔冲销；请在仓储管理中做红字冲销入库单，或报损', en: 'Goods of this donation are in stock; reverse the goods received note in the warehouse, or write them off' },
  'donations.already_confirmed': { status: 409, zh: '该捐赠已确认，不能修改；更正请做冲销', en: 'The donation is confirmed; correct it by a reversal' },
  'donations.receipt_required': { status: 422, zh: '确认前须填写公益事业捐赠票据号，或记录不开票原因（匿名或捐赠人放弃）', en: 'A receipt number or a recorded waiver (anonymous or declined) is required before confirming' },
  'donations.letter_required': { status: 422, zh: '定向到具体受益人的捐赠须上传捐赠函或协议', en: 'A gift for a named beneficiary needs its donation letter or agreement attached' },
  'donations.insufficient_funds': { status: 422, zh: '“{fund}”可用余额 {available} 元，不足 {amount} 元', en: '"{fund}" has {available} yuan available, less than {amount}' },
  'donations.self_approval': { status: 403, zh: '不能审批本人提交的拨付', en: 'You cannot approve a disbursement you submitted' },
  'donations.not_pending': { status: 409, zh: '该拨付已处理（{status}）', en: 'This disbursement was already decided ({status})' },
  'donations.fund_not_found': { status: 404, zh: '资金账户不存在或不在您的管辖范围内', en: 'Fund not found, or outside your jurisdiction' },
  'donations.not_reversible': { status: 409, zh: '该凭证已冲销或不可冲销', en: 'This entry was already reversed or cannot be reversed' },
  'donations.reversal_blocked': { status: 422, zh: '该捐赠已有 {amount} 元被分配或拨付，须先冲销后续业务', en: '{amount} yuan of this gift was already allocated or disbursed; reverse those first' },
  'donations.disclosure_not_found': { status: 404, zh: '公示报告不存在', en: 'Disclosure report not found' },
  'donations.disclosure_published': { status: 409, zh: '公示报告已发布，内容已冻结；如需更正请发布更正报告', en: 'The report is published and frozen; publish a correcting report instead' },
  'donations.disclosure_blocked': { status: 422, zh: '公示前核对未通过：{reason}', en: 'The pre-publication checks failed: {reason}' },
  'donations.lookup_not_found': { status: 404, zh: '查询码不正确', en: 'Unknown lookup code' },
} satisfies ErrorCatalog;

export const CHANNELS = ['bank_transfer', 'wechat_pay', 'alipay', 'cash', 'online_platform', 'other'] as const;
export const channelLabels: Record<(typeof CHANNELS)[number], { zh: string; en: string }> = {
  bank_transfer: { zh: '银行转账', en: 'Bank transfer' },
  wechat_pay: { zh: '微信支付', en: 'WeChat Pay' },
  alipay: { zh: '支付宝', en: 'Alipay' },
  cash: { zh: '现金', en: 'Cash' },
  online_platform: { zh: '互联网募捐平台', en: 'Online fundraising platform' },
  other: { zh: '其他', en: 'Other' },
};
export const DESIGNATIONS = ['unrestricted', 'project', 'beneficiary'] as const;
export const designationLabels: Record<(typeof DESIGNATIONS)[number], { zh: string; en: string }> = {
  unrestricted: { zh: '非定向', en: 'Unrestricted' },
  project: { zh: '定向项目', en: 'Designated to a project' },
  beneficiary: { zh: '定向受益人', en: 'Designated to a named beneficiary' },
};
export const DONOR_KINDS = ['person', 'organisation', 'anonymous'] as const;

/** Money travels as an integer number of fen: never a float. */
export const fen = z
  .number({ error: '金额应为整数（分）' })
  .int({ error: '金额应为整数（分），不能有小数' })
  .positive({ error: '金额应大于 0' })
  .max(Number.MAX_SAFE_INTEGER, { error: '金额过大' });

const text = (max: number, label: string) => z.string().trim().min(1, { error: `请填写${label}` }).max(max, { error: `${label}不超过 ${max} 个字` });
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const createDonor = z
  .strictObject({
    kind: z.enum(DONOR_KINDS),
    personId: uuid.optional(),
    orgName: text(100, '单位名称').optional(),
    creditCode: z.string().trim().toUpperCase().optional(),
    contactName: optionalText(50),
    publicConsent: z.boolean().default(false),
    unitId: uuid.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'person' && !v.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: '请选择已登记的人员' });
    if (v.kind === 'organisation' && !v.orgName) ctx.addIssue({ code: 'custom', path: ['orgName'], message: '请填写单位名称' });
    if (v.creditCode && !parseCreditCode(v.creditCode).ok) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '统一社会信用代码不正确（18 位，校验位按 GB 32100）' });
    if (v.kind !== 'organisation' && v.creditCode) ctx.addIssue({ code: 'custom', path: ['creditCode'], message: '只有单位捐赠人填写统一社会信用代码' });
  });
export type CreateDonor = z.infer<typeof createDonor>;

export const donor = z.object({
  id: uuid,
  unitId: uuid,
  kind: z.enum(DONOR_KINDS),
  personId: uuid.nullable(),
  /** Staff see the person's name, the organisation's name, or 匿名. */
  name: z.string(),
  creditCode: z.string().nullable(),
  contactName: z.string().nullable(),
  publicConsent: z.boolean(),
  /** How the public disclosure names the donor. */
  publicName: z.string(),
});
export type Donor = z.infer<typeof donor>;

/** One line of a goods donation: a catalogue item (its specification is part of its identity), as received. */
export const goodsLineInput = z
  .strictObject({
    itemId: uuid,
    quantity: z
      .number({ error: '数量应为数字' })
      .positive({ error: '数量应大于 0' })
      .max(1e12, { error: '数量过大' })
      .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, { error: '数量最多三位小数' }),
    unitValueFen: z.number({ error: '单价应为整数（分）' }).int({ error: '单价应为整数（分），不能有小数' }).min(0, { error: '单价不能为负数' }).max(Number.MAX_SAFE_INTEGER, { error: '单价过大' }),
    productionDate: z.iso.date({ error: '生产日期格式为 YYYY-MM-DD' }).nullish(),
    expiryDate: z.iso.date({ error: '有效期至格式为 YYYY-MM-DD' }).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.productionDate && v.expiryDate && v.expiryDate < v.productionDate) ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: '有效期不能早于生产日期' });
  });
export type GoodsLineInput = z.infer<typeof goodsLineInput>;

export const goodsLine = z.object({
  id: uuid,
  seq: z.number().int(),
  itemId: uuid,
  itemCode: z.string(),
  itemName: z.string(),
  spec: z.string(),
  unit: z.string(),
  quantity: z.number(),
  unitValueFen: z.number().int(),
  valueFen: z.number().int(),
  productionDate: z.iso.date().nullable(),
  expiryDate: z.iso.date().nullable(),
});
export type GoodsLine = z.infer<typeof goodsLine>;

export const createDonation = z
  .strictObject({
    donorId: uuid,
    receivedOn: z.iso.date({ error: '收到日期格式为 YYYY-MM-DD' }),
    channel: z.enum(CHANNELS),
    /** Money, in fen; a goods-only donation has none. */
    amountFen: fen.optional(),
    goods: z.array(goodsLineInput).max(100, { error: '一笔捐赠最多 100 行物资' }).optional(),
    /** Where the goods are received on confirmation. */
    warehouseId: uuid.optional(),
    designation: z.enum(DESIGNATIONS),
    projectId: uuid.optional(),
    beneficiary: text(100, '受益人').optional(),
    purpose: optionalText(200),
    receiptNo: z.string().trim().min(1).max(40).optional(),
    receiptWaiver: z.enum(['anonymous', 'declined']).optional(),
    waiverNote: optionalText(200),
    note: optionalText(500),
    unitId: uuid.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.designation === 'project' && !v.projectId) ctx.addIssue({ code: 'custom', path: ['projectId'], message: '定向项目捐赠须选择项目' });
    if (v.designation !== 'project' && v.projectId) ctx.addIssue({ code: 'custom', path: ['projectId'], message: '只有定向项目捐赠填写项目' });
    if (v.designation === 'beneficiary' && !v.beneficiary) ctx.addIssue({ code: 'custom', path: ['beneficiary'], message: '定向受益人捐赠须填写受益人' });
    if (v.receiptNo && v.receiptWaiver) ctx.addIssue({ code: 'custom', path: ['receiptWaiver'], message: '已开票的捐赠不再记录不开票原因' });
    if (!v.amountFen && !v.goods?.length) ctx.addIssue({ code: 'custom', path: ['amountFen'], message: '请填写捐赠金额或物资明细' });
    if (v.goods?.length && !v.warehouseId) ctx.addIssue({ code: 'custom', path: ['warehouseId'], message: '物资捐赠须选择入库仓库' });
    if (!v.goods?.length && v.warehouseId) ctx.addIssue({ code: 'custom', path: ['warehouseId'], message: '没有物资明细时不选仓库' });
  });
export type CreateDonation = z.infer<typeof createDonation>;

export const confirmDonation = z.strictObject({
  version,
  receiptNo: z.string().trim().min(1).max(40).optional(),
  receiptWaiver: z.enum(['anonymous', 'declined']).optional(),
  waiverNote: optionalText(200),
});

export const donation = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  number: z.string(),
  receivedOn: z.iso.date(),
  donorId: uuid,
  donorName: z.string(),
  channel: z.enum(CHANNELS),
  amountFen: z.number().int(),
  designation: z.enum(DESIGNATIONS),
  projectId: uuid.nullable(),
  projectName: z.string().nullable(),
  beneficiary: z.string().nullable(),
  purpose: z.string().nullable(),
  receiptNo: z.string().nullable(),
  receiptWaiver: z.enum(['anonymous', 'declined']).nullable(),
  status: z.enum(['draft', 'confirmed', 'reversed']),
  reversedAt: isoDateTime.nullable(),
  reverseReason: z.string().nullable(),
  /** Money of this gift not yet spent (allocated money counts where it went). */
  unspentFen: z.number().int(),
  /** Goods received with the gift (valued at the unit values recorded), and where they went into stock. */
  goodsValueFen: z.number().int(),
  goods: z.array(goodsLine),
  warehouseId: uuid.nullable(),
  goodsDocumentId: uuid.nullable(),
  createdAt: isoDateTime,
  confirmedAt: isoDateTime.nullable(),
  version: z.number().int(),
});
export type Donation = z.infer<typeof donation>;
/** Returned once, on confirmation: the code printed on the receipt for the donor's own lookup (null on an idempotent replay). */
export const confirmedDonation = donation.extend({ lookupCode: z.string().nullable() });

export const donationListQuery = z.strictObject({
  ...listQueryBase,
  status: z.enum(['draft', 'confirmed', 'reversed']).optional(),
  projectId: uuid.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export const donationPage = pageOf(donation);

export const fund = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  kind: z.enum(['bank', 'cash', 'unrestricted', 'project', 'designated']),
  name: z.string(),
  projectId: uuid.nullable(),
  donationId: uuid.nullable(),
  /** Debit-normal for bank and cash, credit-normal for funds; shown as a positive amount. */
  balanceFen: z.number().int(),
});
export type Fund = z.infer<typeof fund>;

export const createAllocation = z.strictObject({
  projectId: uuid,
  amountFen: fen,
  decidedBy: text(100, '决定人或会议'),
  decidedOn: z.iso.date(),
  reason: text(500, '分配理由'),
  document: optionalText(200),
  unitId: uuid.optional(),
});
export type CreateAllocation = z.infer<typeof createAllocation>;
export const allocation = z.object({ id: uuid, unitId: uuid, projectId: uuid, amountFen: z.number().int(), decidedBy: z.string(), decidedOn: z.iso.date(), reason: z.string(), document: z.string().nullable(), createdAt: isoDateTime });

export const createDisbursement = z
  .strictObject({
    fundId: uuid,
    category: z.enum(['aid', 'management']).default('aid'),
    beneficiaryKind: z.enum(['person', 'organisation']),
    personId: uuid.optional(),
    orgName: text(100, '受益单位').optional(),
    amountFen: fen,
    paidOn: z.iso.date(),
    paidFrom: z.enum(['bank', 'cash']).default('bank'),
    purpose: text(300, '用途'),
  })
  .superRefine((v, ctx) => {
    if (v.beneficiaryKind === 'person' && !v.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: '请选择受益人' });
    if (v.beneficiaryKind === 'organisation' && !v.orgName) ctx.addIssue({ code: 'custom', path: ['orgName'], message: '请填写受益单位' });
  });
export type CreateDisbursement = z.infer<typeof createDisbursement>;

export const disbursement = z.object({
  id: uuid,
  unitId: uuid,
  fundId: uuid,
  fundName: z.string(),
  category: z.enum(['aid', 'management']),
  beneficiaryKind: z.enum(['person', 'organisation']),
  /** A person is shown masked (name only) — never an ID number. */
  beneficiaryName: z.string(),
  amountFen: z.number().int(),
  paidOn: z.iso.date(),
  paidFrom: z.enum(['bank', 'cash']),
  purpose: z.string(),
  status: z.enum(['submitted', 'approved', 'rejected']),
  /** Who submitted it: the one person who may not approve it. */
  makerId: uuid,
  makerName: z.string().nullable(),
  approverName: z.string().nullable(),
  decidedAt: isoDateTime.nullable(),
  rejectReason: z.string().nullable(),
  createdAt: isoDateTime,
  version: z.number().int(),
});
export type Disbursement = z.infer<typeof disbursement>;
export const decideDisbursement = z.strictObject({ version, decision: z.enum(['approve', 'reject']), reason: optionalText(300) });

export const traceStep = z.object({
  kind: z.enum(['receipt', 'allocation', 'disbursement', 'reversal']),
  date: z.iso.date(),
  amountFen: z.number().int(),
  /** Where the money is or went: a fund, a project, a beneficiary (masked). */
  to: z.string(),
  purpose: z.string().nullable(),
  refId: uuid,
});
export const trace = z.object({
  donation: z.object({ number: z.string(), receivedOn: z.iso.date(), amountFen: z.number().int(), designation: z.enum(DESIGNATIONS), donorName: z.string(), unitName: z.string() }),
  steps: z.array(traceStep),
  spentFen: z.number().int(),
  unspentFen: z.number().int(),
  /** The gift's goods: received into stock, then through transfers and issue notes to the recipients (masked). */
  goods: z.array(goodsLine),
  goodsTrace: goodsTraceResult.nullable(),
});
export type Trace = z.infer<typeof trace>;

export const reverseInput = z.strictObject({ reason: text(300, '冲销原因') });
export const lookupQuery = z.strictObject({ code: z.string().trim().regex(/^[A-Z2-7]{4}(-?[A-Z2-7]{4}){3}$/, { error: '查询码为 16 位字母数字（可带连字符）' }) });

// ---------------------------------------------------------------- public disclosure (公示)

// Deadlines, the management-cost warning line and the working-day calendar are settings (domains/settings).

export const disclosureQuery = z.strictObject({
  from: z.iso.date({ error: '开始日期格式为 YYYY-MM-DD' }),
  to: z.iso.date({ error: '结束日期格式为 YYYY-MM-DD' }),
  /** Org code or id; the whole city when absent. */
  unit: z.string().trim().min(1).max(60).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const publicDonation = z.object({
  number: z.string(),
  receivedOn: z.iso.date(),
  donorName: z.string(),
  amountFen: z.number().int(),
  designation: z.enum(DESIGNATIONS),
  projectName: z.string().nullable(),
  unitName: z.string(),
  /** Goods as listed: name (specification) × quantity unit, valued at the recorded unit values. Absent in reports published before goods were recorded. */
  goods: z.string().nullable().optional(),
  goodsValueFen: z.number().int().optional(),
});
export const publicDisbursement = z.object({
  paidOn: z.iso.date(),
  amountFen: z.number().int(),
  beneficiary: z.string(),
  purpose: z.string(),
  fundName: z.string(),
  category: z.enum(['aid', 'management']),
  unitName: z.string(),
});
export const disclosureSummary = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  unitName: z.string(),
  receivedFen: z.number().int(),
  /** Goods received, valued (optional: reports published before goods were recorded lack it). */
  goodsValueFen: z.number().int().optional(),
  disbursedFen: z.number().int(),
  managementFen: z.number().int(),
  donationCount: z.number().int(),
  byUnit: z.array(z.object({ unitId: uuid, unitName: z.string(), receivedFen: z.number().int(), goodsValueFen: z.number().int().optional(), disbursedFen: z.number().int(), donationCount: z.number().int() })),
  byProject: z.array(z.object({ projectId: uuid, projectName: z.string(), receivedFen: z.number().int(), allocatedFen: z.number().int(), disbursedFen: z.number().int() })),
});
export type DisclosureSummary = z.infer<typeof disclosureSummary>;

export const gateCheck = z.object({
  code: z.enum(['journal_matches_records', 'fund_balances_match_journal', 'units_sum_to_total', 'list_matches_summary', 'goods_specification', 'management_ratio', 'receipts_overdue', 'use_overdue']),
  ok: z.boolean(),
  /** A failed blocking check stops publication; the others are shown with their items. */
  blocking: z.boolean(),
  message: z.string(),
  items: z.array(z.object({ ref: z.string(), detail: z.string(), daysLeft: z.number().int().nullable() })),
});
export type GateCheck = z.infer<typeof gateCheck>;

export const createDisclosure = z
  .strictObject({ periodStart: z.iso.date(), periodEnd: z.iso.date(), unitId: uuid.optional(), corrects: uuid.optional(), title: text(100, '标题').optional() })
  .superRefine((v, ctx) => {
    if (v.periodEnd < v.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: '结束日期不能早于开始日期' });
  });
export type CreateDisclosure = z.infer<typeof createDisclosure>;

export const disclosureContent = z.object({
  title: z.string(),
  unitName: z.string(),
  periodStart: z.iso.date(),
  periodEnd: z.iso.date(),
  corrects: uuid.nullable(),
  summary: disclosureSummary,
  donations: z.array(publicDonation),
  disbursements: z.array(publicDisbursement),
  checks: z.array(gateCheck),
  publishedAt: isoDateTime.nullable(),
});
export type DisclosureContent = z.infer<typeof disclosureContent>;
export const disclosureReport = z.object({
  id: uuid,
  unitId: uuid,
  title: z.string(),
  periodStart: z.iso.date(),
  periodEnd: z.iso.date(),
  status: z.enum(['draft', 'published']),
  corrects: uuid.nullable(),
  contentHash: z.string().nullable(),
  publishedAt: isoDateTime.nullable(),
  publishedByName: z.string().nullable(),
  version: z.number().int(),
  content: disclosureContent,
});
export type DisclosureReport = z.infer<typeof disclosureReport>;
