import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, uuid, version, type RoleGrants } from '../../platform/contract-kit.ts';

/**
 * Relief-supply warehouses: warehouses with grades and bins, the item catalogue, batches with expiry,
 * numbered documents (入库单, 出库单, 调拨单, 报损单, 盘点单), disaster events and distribution lists,
 * the stock card (收发存) and summaries. Browser-safe.
 */
export const warehousesPermissions = definePermissions({
  'warehouses.read': { zh: '查看仓库、库存与出入库单据', en: 'View warehouses, stock and documents', category: 'business' },
  'warehouses.write': { zh: '办理入库、出库、调拨、报损申请与盘点录入', en: 'Post receipts, issues and transfers; request write-offs; count stock', category: 'business' },
  'warehouses.approve': { zh: '审批报损、盘点定稿（不得审批本人申请的）', en: 'Approve write-offs and finalise stocktakes (never one’s own request)', category: 'business' },
  'warehouses.admin': { zh: '维护仓库、库位、物资目录与等级标准', en: 'Maintain warehouses, bins, the item catalogue and grades', category: 'business' },
});

export const warehousesRoleGrants: RoleGrants = {
  staff: ['warehouses.read', 'warehouses.write', 'warehouses.approve', 'warehouses.admin'],
  leader: ['warehouses.read', 'warehouses.approve'],
  supervisor: ['warehouses.read'],
};

export const warehousesErrors = {
  'warehouses.not_found': { status: 404, zh: '仓库不存在或不在您的管辖范围内', en: 'Warehouse not found, or outside your jurisdiction' },
  'warehouses.document_not_found': { status: 404, zh: '单据不存在或不在您的管辖范围内', en: 'Document not found, or outside your jurisdiction' },
  'warehouses.unit_not_found': { status: 404, zh: '单位不存在或不在您的管辖范围内', en: 'Unit not found, or outside your jurisdiction' },
  'warehouses.item_not_found': { status: 422, zh: '物资不存在或已停用（{field}）', en: 'Unknown or inactive item ({field})' },
  'warehouses.item_exists': { status: 409, zh: '物资编码或“名称 + 规格型号”已存在：{name}', en: 'An item with this code or name and specification exists: {name}' },
  'warehouses.code_exists': { status: 409, zh: '编码已存在：{code}', en: 'Code already exists: {code}' },
  'warehouses.fractional_quantity': { status: 422, zh: '“{item}”以{unit}计，数量须为整数（{field}）', en: '"{item}" is counted in {unit}: the quantity must be whole ({field})' },
  'warehouses.insufficient_stock': { status: 422, zh: '“{item}”可用库存 {available}{unit}，不足 {quantity}{unit}（{field}）', en: '"{item}": {available} {unit} available, less than {quantity} ({field})' },
  'warehouses.batch_expired': { status: 422, zh: '批次已过期（{expiry}），不能出库；过期物资请走报损（{field}）', en: 'The batch expired on {expiry} and cannot be issued; write it off instead ({field})' },
  'warehouses.batch_not_found': { status: 422, zh: '批次不存在或不在该仓库（{field}）', en: 'The batch is not in this warehouse ({field})' },
  'warehouses.location_not_found': { status: 422, zh: '库位不属于该仓库（{field}）', en: 'The bin does not belong to this warehouse ({field})' },
  'warehouses.warehouse_closed': { status: 422, zh: '仓库“{name}”已停用', en: 'Warehouse "{name}" is closed' },
  'warehouses.same_warehouse': { status: 422, zh: '调入仓库不能与调出仓库相同（toWarehouseId）', en: 'The receiving warehouse must differ from the shipping one (toWarehouseId)' },
  'warehouses.already_received': { status: 409, zh: '调拨单 {number} 已于 {date} 收货，不能重复收货', en: 'Transfer {number} was already received on {date}' },
  'warehouses.not_in_transit': { status: 409, zh: '调拨单 {number} 不在途（{status}）', en: 'Transfer {number} is not in transit ({status})' },
  'warehouses.self_approval': { status: 403, zh: '不能审批本人申请的报损', en: 'You cannot approve a write-off you requested' },
  'warehouses.not_pending': { status: 409, zh: '该单据已处理（{status}）', en: 'This document was already decided ({status})' },
  'warehouses.evidence_required': { status: 422, zh: '报损须先上传证明材料（照片或扫描件）', en: 'Attach the evidence (photo or scan) before approving a write-off' },
  'warehouses.not_reversible': { status: 409, zh: '单据 {number} 不可冲销：{why}', en: 'Document {number} cannot be reversed: {why}' },
  'warehouses.stocktake_closed': { status: 409, zh: '盘点单 {number} 已定稿，不能再修改', en: 'Stocktake {number} is finalised' },
  'warehouses.stocktake_incomplete': { status: 422, zh: '盘点单还有 {count} 行未录入实盘数', en: '{count} lines of the stocktake have no count yet' },
  'warehouses.variance_reason_required': { status: 422, zh: '有盘盈盘亏的行须填写原因（{field}）', en: 'A line with a variance needs a reason ({field})' },
  'warehouses.stocktake_book_changed': { status: 409, zh: '盘点期间账面数已变动（{item}），请重新盘点该行', en: 'The book quantity changed during the count ({item}); recount that line' },
  'warehouses.not_manager': { status: 403, zh: '盘点须由仓库负责人 {manager} 定稿', en: 'The stocktake must be finalised by the warehouse manager {manager}' },
  'warehouses.recipients_mismatch': { status: 422, zh: '发放名单中“{item}”合计 {expected}，与出库明细 {actual} 不一致（lines）', en: 'The distribution list totals {expected} of "{item}" but the issue lines {actual} (lines)' },
  'warehouses.event_not_found': { status: 422, zh: '灾害事件不存在或不在管辖范围内（eventId）', en: 'Unknown disaster event (eventId)' },
  'warehouses.item_missing': { status: 404, zh: '物资不存在', en: 'Item not found' },
  'warehouses.item_in_use': { status: 409, zh: '“{item}”已有入库批次或盘点记录，规格型号、计量单位和计数方式不能再改（{field}）；不同规格请新增物资', en: '"{item}" has batches or count lines: its specification, unit and counting cannot change ({field}); add a new item for another specification' },
  'warehouses.location_in_use': { status: 409, zh: '库位 {code} 尚有 {count} 个批次有库存，不能停用；请先出库、调拨或报损', en: 'Bin {code} still holds stock in {count} batches and cannot be retired' },
  'warehouses.location_inactive': { status: 422, zh: '库位 {code} 已停用（{field}）', en: 'Bin {code} is retired ({field})' },
  'warehouses.destination_not_allowed': { status: 422, zh: '调入仓库须为本辖区或上级单位的在用仓库（toWarehouseId）', en: 'The receiving warehouse must be an active warehouse of your jurisdiction or of a unit above the shipping one (toWarehouseId)' },
  'warehouses.not_receiver': { status: 403, zh: '调拨单 {number} 须由调入仓库所属单位（{unit}）确认收货', en: 'Transfer {number} is received by the receiving warehouse’s unit ({unit})' },
  'warehouses.person_not_found': { status: 422, zh: '受助人不在人员库或不在管辖范围内（{field}）', en: 'The recipient is not in the person registry ({field})' },
} satisfies ErrorCatalog;

export const ITEM_CATEGORIES = ['shelter', 'bedding', 'clothing', 'hygiene', 'family_kit', 'medical', 'food_water', 'equipment', 'other'] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];
export const categoryLabels: Record<ItemCategory, { zh: string; en: string }> = {
  shelter: { zh: '住宿类', en: 'Shelter' },
  bedding: { zh: '被褥类', en: 'Bedding' },
  clothing: { zh: '衣物类', en: 'Clothing' },
  hygiene: { zh: '卫生洗漱类', en: 'Hygiene' },
  family_kit: { zh: '家庭包', en: 'Family kits' },
  medical: { zh: '医疗防护类', en: 'Medical' },
  food_water: { zh: '食品饮用水', en: 'Food and water' },
  equipment: { zh: '救援装备', en: 'Equipment' },
  other: { zh: '其他', en: 'Other' },
};

export const DOC_KINDS = ['receive', 'issue', 'transfer', 'write_off', 'stocktake'] as const;
export type DocKind = (typeof DOC_KINDS)[number];
export const docKindLabels: Record<DocKind, { zh: string; en: string }> = {
  receive: { zh: '入库单', en: 'Goods received note' },
  issue: { zh: '出库单', en: 'Issue note' },
  transfer: { zh: '调拨单', en: 'Transfer' },
  write_off: { zh: '报损单', en: 'Write-off' },
  stocktake: { zh: '盘点单', en: 'Stocktake' },
};
export const DOC_STATUSES = ['posted', 'shipped', 'received', 'requested', 'approved', 'rejected', 'counting', 'finalised'] as const;
export const docStatusLabels: Record<(typeof DOC_STATUSES)[number], { zh: string; en: string }> = {
  posted: { zh: '已过账', en: 'Posted' },
  shipped: { zh: '在途', en: 'In transit' },
  received: { zh: '已收货', en: 'Received' },
  requested: { zh: '待审批', en: 'Awaiting approval' },
  approved: { zh: '已审批', en: 'Approved' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  counting: { zh: '盘点中', en: 'Counting' },
  finalised: { zh: '已定稿', en: 'Finalised' },
};
export const SOURCE_TYPES = ['purchase', 'donation', 'allocation'] as const;
export const sourceLabels: Record<'purchase' | 'donation' | 'allocation' | 'transfer' | 'stocktake', { zh: string; en: string }> = {
  purchase: { zh: '采购', en: 'Purchase' },
  donation: { zh: '捐赠', en: 'Donation' },
  allocation: { zh: '上级调拨', en: 'Allocation from above' },
  transfer: { zh: '调入', en: 'Transfer in' },
  stocktake: { zh: '盘盈', en: 'Stocktake gain' },
};
export const WRITE_OFF_REASONS = ['damaged', 'expired', 'lost', 'other'] as const;
export const writeOffReasonLabels: Record<(typeof WRITE_OFF_REASONS)[number], { zh: string; en: string }> = {
  damaged: { zh: '损坏', en: 'Damaged' },
  expired: { zh: '过期', en: 'Expired' },
  lost: { zh: '丢失', en: 'Lost' },
  other: { zh: '其他', en: 'Other' },
};
export const EVENT_KINDS = ['flood', 'typhoon', 'rainstorm', 'earthquake', 'landslide', 'fire', 'drought', 'snow', 'epidemic', 'other'] as const;
export const eventKindLabels: Record<(typeof EVENT_KINDS)[number], { zh: string; en: string }> = {
  flood: { zh: '洪涝', en: 'Flood' },
  typhoon: { zh: '台风', en: 'Typhoon' },
  rainstorm: { zh: '暴雨', en: 'Rainstorm' },
  earthquake: { zh: '地震', en: 'Earthquake' },
  landslide: { zh: '地质灾害', en: 'Landslide' },
  fire: { zh: '火灾', en: 'Fire' },
  drought: { zh: '干旱', en: 'Drought' },
  snow: { zh: '雨雪冰冻', en: 'Snow and ice' },
  epidemic: { zh: '公共卫生事件', en: 'Epidemic' },
  other: { zh: '其他', en: 'Other' },
};
export const movementKindLabels: Record<string, { zh: string; en: string }> = {
  receive: { zh: '入库', en: 'Received' },
  issue: { zh: '出库', en: 'Issued' },
  transfer_out: { zh: '调出', en: 'Transferred out' },
  transfer_in: { zh: '调入', en: 'Transferred in' },
  write_off: { zh: '报损', en: 'Written off' },
  adjust: { zh: '盘点调整', en: 'Stocktake adjustment' },
  reversal: { zh: '冲销', en: 'Reversal' },
};

/** Quantities: positive, at most three decimals (whole numbers for count units, checked against the item). */
export const quantity = z
  .number({ error: '数量应为数字' })
  .positive({ error: '数量应大于 0' })
  .max(1e12, { error: '数量过大' })
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, { error: '数量最多三位小数' });
export const countedQuantity = z
  .number({ error: '数量应为数字' })
  .min(0, { error: '实盘数不能为负数' })
  .max(1e12, { error: '数量过大' })
  .refine((v) => Math.abs(Math.round(v * 1000) - v * 1000) < 1e-6, { error: '数量最多三位小数' });
export const fenValue = z.number({ error: '单价应为整数（分）' }).int({ error: '单价应为整数（分），不能有小数' }).min(0, { error: '单价不能为负数' }).max(Number.MAX_SAFE_INTEGER);
const date = (label: string) => z.iso.date({ error: `${label}格式为 YYYY-MM-DD` });
const text = (max: number, label: string) => z.string().trim().min(1, { error: `请填写${label}` }).max(max, { error: `${label}不超过 ${max} 个字` });
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

// ---------------------------------------------------------------- master data

export const createGrade = z.strictObject({ code: text(20, '等级编码'), name: text(40, '等级名称'), criteria: z.array(text(200, '评定标准')).max(100).default([]), sortOrder: z.number().int().min(0).max(1000).default(0) });
export const grade = z.object({ id: uuid, code: z.string(), name: z.string(), criteria: z.array(z.string()), sortOrder: z.number().int(), version: z.number().int() });
export type Grade = z.infer<typeof grade>;

export const createWarehouse = z.strictObject({
  unitId: uuid.optional(),
  code: text(40, '仓库编码'),
  name: text(60, '仓库名称'),
  address: text(200, '地址'),
  areaM2: z.number().positive({ error: '面积应大于 0' }).max(1e7).nullable().optional(),
  capacityM3: z.number().positive({ error: '容积应大于 0' }).max(1e8).nullable().optional(),
  managerUserId: uuid.nullable().optional(),
  managerName: optionalText(40),
  managerPhone: optionalText(40),
  gradeId: uuid.nullable().optional(),
  gradeChecks: z.array(z.string().max(200)).max(100).default([]),
  openedOn: date('启用日期'),
});
export type CreateWarehouse = z.infer<typeof createWarehouse>;
export const updateWarehouse = createWarehouse.omit({ unitId: true, code: true }).partial().extend({ version, status: z.enum(['active', 'closed']).optional() });
export type UpdateWarehouse = z.infer<typeof updateWarehouse>;

export const location = z.object({ id: uuid, code: z.string(), name: z.string().nullable(), active: z.boolean() });
export const createLocation = z.strictObject({ code: text(20, '库位编码'), name: optionalText(40) });
/** A bin's code, name, or retirement (refused while it holds stock). */
export const updateLocation = createLocation.partial().extend({ active: z.boolean().optional() });
export type UpdateLocation = z.infer<typeof updateLocation>;

export const warehouse = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  code: z.string(),
  name: z.string(),
  address: z.string(),
  areaM2: z.number().nullable(),
  capacityM3: z.number().nullable(),
  managerUserId: uuid.nullable(),
  managerName: z.string().nullable(),
  managerPhone: z.string().nullable(),
  gradeId: uuid.nullable(),
  gradeName: z.string().nullable(),
  gradeChecks: z.array(z.string()),
  gradeCriteria: z.array(z.string()),
  status: z.enum(['active', 'closed']),
  openedOn: z.string(),
  locations: z.array(location),
  stockValueFen: z.number().int(),
  version: z.number().int(),
});
export type Warehouse = z.infer<typeof warehouse>;

export const createItem = z.strictObject({
  code: text(30, '物资编码').regex(/^[0-9A-Za-z-]+$/, { error: '物资编码只能用字母、数字和连字符' }),
  name: text(40, '物资名称'),
  spec: z.string().trim().max(80, { error: '规格型号不超过 80 个字' }).default(''),
  category: z.enum(ITEM_CATEGORIES, { error: '请选择物资类别' }),
  unit: text(10, '计量单位'),
  countUnit: z.boolean(),
  shelfLifeMonths: z.number().int().positive({ error: '保质期（月）应为正整数' }).max(600).nullable().optional(),
});
export type CreateItem = z.infer<typeof createItem>;
export const item = z.object({
  id: uuid,
  code: z.string(),
  name: z.string(),
  spec: z.string(),
  category: z.enum(ITEM_CATEGORIES),
  unit: z.string(),
  countUnit: z.boolean(),
  shelfLifeMonths: z.number().int().nullable(),
  standard: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Item = z.infer<typeof item>;
/**
 * Editing an item: name, category, shelf life and active always; specification, unit and counting
 * only while no goods of it exist (they are its identity in the recorded history).
 */
export const updateItem = createItem
  .omit({ code: true, spec: true })
  .partial()
  .extend({ spec: z.string().trim().max(80, { error: '规格型号不超过 80 个字' }).optional(), version, active: z.boolean().optional() });
export type UpdateItem = z.infer<typeof updateItem>;
export const itemLevel = z.object({ itemId: uuid, itemCode: z.string(), itemName: z.string(), spec: z.string(), unit: z.string(), active: z.boolean(), minQty: z.number(), maxQty: z.number().nullable(), onHand: z.number() });
export type ItemLevel = z.infer<typeof itemLevel>;
/** Where a warehouse may ship: warehouses of the caller's jurisdiction, and those of the units above it (`above`). */
export const transferDestination = z.object({ id: uuid, code: z.string(), name: z.string(), unitId: uuid, unitName: z.string(), above: z.boolean() });
export type TransferDestination = z.infer<typeof transferDestination>;
export const setLevel = z.strictObject({ itemId: uuid, minQty: countedQuantity, maxQty: countedQuantity.nullable().optional() }).refine((v) => v.maxQty == null || v.maxQty >= v.minQty, { path: ['maxQty'], error: '最高库存不能低于最低库存' });

export const createEvent = z.strictObject({ unitId: uuid.optional(), name: text(60, '事件名称'), kind: z.enum(EVENT_KINDS, { error: '请选择灾害类型' }), occurredOn: date('发生日期'), area: text(200, '受灾区域'), note: optionalText(1000) });
export const disasterEvent = z.object({ id: uuid, unitId: uuid, unitName: z.string(), name: z.string(), kind: z.enum(EVENT_KINDS), occurredOn: z.string(), area: z.string(), note: z.string().nullable(), issuedDocuments: z.number().int(), recipients: z.number().int() });

// ---------------------------------------------------------------- documents

export const receiveLine = z.strictObject({
  itemId: uuid,
  quantity,
  unitValueFen: fenValue,
  productionDate: date('生产日期').nullable().optional(),
  expiryDate: date('有效期至').nullable().optional(),
  locationId: uuid.nullable().optional(),
  lotNo: optionalText(40),
});
export type ReceiveLine = z.infer<typeof receiveLine>;
const lines = <T extends z.ZodType>(line: T) => z.array(line).min(1, { error: '至少一行明细' }).max(500, { error: '一张单据最多 500 行' });

export const createReceipt = z.strictObject({
  warehouseId: uuid,
  occurredOn: date('入库日期'),
  sourceType: z.enum(SOURCE_TYPES, { error: '请选择来源' }),
  sourceId: uuid.nullable().optional(),
  sourceRef: optionalText(100),
  supplier: optionalText(100),
  note: optionalText(500),
  lines: lines(receiveLine),
});
export type CreateReceipt = z.infer<typeof createReceipt>;

export const pickLine = z.strictObject({ itemId: uuid, quantity, batchId: uuid.nullable().optional() });
export type PickLine = z.infer<typeof pickLine>;
export const recipientInput = z
  .strictObject({
    kind: z.enum(['person', 'organisation']),
    personId: uuid.optional(),
    orgName: text(100, '受助单位').optional(),
    householdSize: z.number().int().min(1).max(50).nullable().optional(),
    address: optionalText(200),
    items: z.array(z.strictObject({ itemId: uuid, quantity })).min(1, { error: '每位受助人至少一项物资' }).max(50),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'person' && !v.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: '请选择人员库中的户主' });
    if (v.kind === 'organisation' && !v.orgName) ctx.addIssue({ code: 'custom', path: ['orgName'], message: '请填写受助单位名称' });
  });
export type RecipientInput = z.infer<typeof recipientInput>;

export const createIssue = z
  .strictObject({
    warehouseId: uuid,
    occurredOn: date('出库日期'),
    destination: z.enum(['distribution', 'unit'], { error: '请选择发放去向' }),
    eventId: uuid.optional(),
    toUnitId: uuid.optional(),
    toOrgName: text(100, '接收单位').optional(),
    note: optionalText(500),
    lines: z.array(pickLine).max(500).optional(),
    recipients: z.array(recipientInput).max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.destination === 'distribution') {
      if (!v.eventId) ctx.addIssue({ code: 'custom', path: ['eventId'], message: '发放到灾害救助须选择灾害事件' });
      if (!v.recipients?.length) ctx.addIssue({ code: 'custom', path: ['recipients'], message: '发放到灾害救助须有受助人名单' });
    } else {
      if (!v.toUnitId && !v.toOrgName) ctx.addIssue({ code: 'custom', path: ['toOrgName'], message: '请选择或填写接收单位' });
      if (!v.lines?.length) ctx.addIssue({ code: 'custom', path: ['lines'], message: '至少一行明细' });
      if (v.recipients?.length) ctx.addIssue({ code: 'custom', path: ['recipients'], message: '只有灾害救助发放填写受助人名单' });
    }
  });
export type CreateIssue = z.infer<typeof createIssue>;

export const createTransfer = z.strictObject({ warehouseId: uuid, toWarehouseId: uuid, occurredOn: date('调出日期'), note: optionalText(500), lines: lines(pickLine) });
export type CreateTransfer = z.infer<typeof createTransfer>;
export const receiveTransfer = z.strictObject({ receivedOn: date('收货日期'), locationId: uuid.nullable().optional() });

export const createWriteOff = z.strictObject({
  warehouseId: uuid,
  occurredOn: date('报损日期'),
  reason: z.enum(WRITE_OFF_REASONS, { error: '请选择报损原因' }),
  note: text(500, '情况说明'),
  lines: lines(z.strictObject({ batchId: uuid, quantity })),
});
export type CreateWriteOff = z.infer<typeof createWriteOff>;
export const decideWriteOff = z.strictObject({ version, decision: z.enum(['approve', 'reject']), rejectReason: optionalText(300) });

export const createStocktake = z.strictObject({ warehouseId: uuid, occurredOn: date('盘点日期'), category: z.enum(ITEM_CATEGORIES).optional(), note: optionalText(500) });
export const countStocktake = z.strictObject({
  version,
  counts: z
    .array(
      z.union([
        z.strictObject({ lineId: uuid, countedQty: countedQuantity, reason: optionalText(200) }),
        z.strictObject({ itemId: uuid, countedQty: countedQuantity, reason: optionalText(200), unitValueFen: fenValue.default(0), expiryDate: date('有效期至').nullable().optional(), locationId: uuid.nullable().optional() }),
      ]),
    )
    .min(1)
    .max(2000),
});
export type CountStocktake = z.infer<typeof countStocktake>;
export const finaliseStocktake = z.strictObject({ version });
export const reverseDocument = z.strictObject({ reason: text(300, '冲销原因'), occurredOn: date('冲销日期') });

/** What a document line and a count-sheet line both say about the goods: item, batch and bin. */
const lineGoods = {
  lineNo: z.number().int(),
  itemId: uuid,
  itemName: z.string(),
  spec: z.string(),
  unit: z.string(),
  batchId: uuid.nullable(),
  batchNo: z.string().nullable(),
  locationCode: z.string().nullable(),
};
export const documentLine = z.object({
  ...lineGoods,
  itemCode: z.string(),
  quantity: z.number(),
  unitValueFen: z.number().int(),
  productionDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
});
export const stocktakeLine = z.object({
  id: uuid,
  ...lineGoods,
  bookQty: z.number(),
  countedQty: z.number().nullable(),
  variance: z.number().nullable(),
  reason: z.string().nullable(),
  expiryDate: z.string().nullable(),
});
export const recipient = z.object({
  id: uuid,
  seq: z.number().int(),
  kind: z.enum(['person', 'organisation']),
  /** Household heads are shown masked (王*明); organisations by name. */
  name: z.string(),
  idNumberMasked: z.string().nullable(),
  householdSize: z.number().int().nullable(),
  address: z.string().nullable(),
  items: z.array(z.object({ itemId: uuid, itemName: z.string(), unit: z.string(), quantity: z.number() })),
  evidenceCount: z.number().int(),
});
export const stockDocument = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  warehouseId: uuid,
  warehouseName: z.string(),
  kind: z.enum(DOC_KINDS),
  number: z.string(),
  status: z.enum(DOC_STATUSES),
  occurredOn: z.string(),
  reverses: z.object({ id: uuid, number: z.string() }).nullable(),
  reversedBy: z.object({ id: uuid, number: z.string() }).nullable(),
  sourceType: z.string().nullable(),
  sourceId: uuid.nullable(),
  sourceRef: z.string().nullable(),
  supplier: z.string().nullable(),
  destination: z.enum(['distribution', 'unit']).nullable(),
  eventId: uuid.nullable(),
  eventName: z.string().nullable(),
  toUnitId: uuid.nullable(),
  toName: z.string().nullable(),
  toWarehouseId: uuid.nullable(),
  toWarehouseName: z.string().nullable(),
  reason: z.enum(WRITE_OFF_REASONS).nullable(),
  note: z.string().nullable(),
  requestedByName: z.string().nullable(),
  approvedByName: z.string().nullable(),
  decidedAt: isoDateTime.nullable(),
  rejectReason: z.string().nullable(),
  receivedByName: z.string().nullable(),
  receivedOn: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
  totalValueFen: z.number().int(),
  lines: z.array(documentLine),
  stocktakeLines: z.array(stocktakeLine),
  recipients: z.array(recipient),
  evidenceCount: z.number().int(),
  version: z.number().int(),
});
export type StockDocument = z.infer<typeof stockDocument>;
export const documentSummary = stockDocument.pick({ id: true, unitName: true, warehouseId: true, warehouseName: true, kind: true, number: true, status: true, occurredOn: true, toName: true, toWarehouseName: true, reason: true, createdByName: true, totalValueFen: true, version: true }).extend({ lineCount: z.number().int(), reversed: z.boolean(), isReversal: z.boolean() });
export type DocumentSummary = z.infer<typeof documentSummary>;
export const documentListQuery = z.strictObject({
  warehouseId: uuid.optional(),
  kind: z.enum(DOC_KINDS).optional(),
  status: z.enum(DOC_STATUSES).optional(),
  from: date('开始日期').optional(),
  to: date('结束日期').optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DocumentListQuery = z.infer<typeof documentListQuery>;

/** The result of a posting made inside another domain's transaction (goods donations). */
export const postedReceipt = z.object({ documentId: uuid, number: z.string(), batchIds: z.array(uuid) });

// ---------------------------------------------------------------- reports

export const batch = z.object({
  id: uuid,
  batchNo: z.string(),
  warehouseId: uuid,
  itemId: uuid,
  itemName: z.string(),
  spec: z.string(),
  unit: z.string(),
  locationCode: z.string().nullable(),
  sourceType: z.string(),
  sourceId: uuid.nullable(),
  onHand: z.number(),
  receivedQty: z.number(),
  unitValueFen: z.number().int(),
  productionDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  expired: z.boolean(),
  receivedOn: z.string(),
});
export type Batch = z.infer<typeof batch>;
export const pickSuggestion = z.object({ itemId: uuid, requested: z.number(), available: z.number(), picks: z.array(z.object({ batchId: uuid, batchNo: z.string(), expiryDate: z.string().nullable(), quantity: z.number(), onHand: z.number() })), expiredSkipped: z.number() });

export const stockCardQuery = z.strictObject({ itemId: uuid, from: date('开始日期').optional(), to: date('结束日期').optional() });
export const stockCard = z.object({
  warehouseId: uuid,
  warehouseName: z.string(),
  unitName: z.string(),
  item: item,
  from: z.string().nullable(),
  to: z.string().nullable(),
  opening: z.number(),
  totalIn: z.number(),
  totalOut: z.number(),
  closing: z.number(),
  inTransitOut: z.number(),
  rows: z.array(
    z.object({
      date: z.string(),
      documentId: uuid,
      number: z.string(),
      docKind: z.enum(DOC_KINDS),
      /** The movement in words (Chinese, as the exported card prints it) and as a code of movementKindLabels. */
      movement: z.string(),
      movementKind: z.string(),
      /** The other side in words, and what it is: a party (data), a write-off reason code, a stocktake, or the number a reversal corrects. */
      counterparty: z.string().nullable(),
      counterpartyKind: z.enum(['party', 'write_off_reason', 'stocktake', 'reversal']),
      counterpartyCode: z.string().nullable(),
      batchNo: z.string(),
      in: z.number(),
      out: z.number(),
      balance: z.number(),
    }),
  ),
});
export type StockCard = z.infer<typeof stockCard>;

export const summaryQuery = z.strictObject({ warehouseId: uuid.optional(), category: z.enum(ITEM_CATEGORIES).optional(), unitId: uuid.optional() });
export const summaryRow = z.object({ warehouseId: uuid, warehouseName: z.string(), unitName: z.string(), itemId: uuid, itemCode: z.string(), itemName: z.string(), spec: z.string(), category: z.enum(ITEM_CATEGORIES), unit: z.string(), onHand: z.number(), valueFen: z.number().int(), inTransit: z.number(), minQty: z.number().nullable(), maxQty: z.number().nullable(), nearestExpiry: z.string().nullable() });
/** `items`: the stock lines (one per warehouse and item) in the group. */
export const stockSummary = z.object({
  rows: z.array(summaryRow),
  byWarehouse: z.array(z.object({ warehouseId: uuid, warehouseName: z.string(), unitName: z.string(), valueFen: z.number().int(), items: z.number().int() })),
  byCategory: z.array(z.object({ category: z.enum(ITEM_CATEGORIES), valueFen: z.number().int(), items: z.number().int() })),
  byUnit: z.array(z.object({ unitId: uuid, unitName: z.string(), valueFen: z.number().int(), warehouses: z.number().int() })),
  totalValueFen: z.number().int(),
});
export type StockSummary = z.infer<typeof stockSummary>;

export const alertsQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(730).default(90), warehouseId: uuid.optional() });
export const alertSummary = z.object({
  days: z.number().int(),
  /** One summary, not one message per item: counts first, then the lines. */
  counts: z.object({ expired: z.number().int(), nearExpiry: z.number().int(), belowMin: z.number().int(), aboveMax: z.number().int() }),
  headline: z.string(),
  expired: z.array(z.object({ warehouseName: z.string(), itemName: z.string(), spec: z.string(), unit: z.string(), batchId: uuid, batchNo: z.string(), expiryDate: z.string(), onHand: z.number() })),
  nearExpiry: z.array(z.object({ warehouseName: z.string(), itemName: z.string(), spec: z.string(), unit: z.string(), batchId: uuid, batchNo: z.string(), expiryDate: z.string(), onHand: z.number(), daysLeft: z.number().int() })),
  belowMin: z.array(z.object({ warehouseName: z.string(), itemName: z.string(), spec: z.string(), unit: z.string(), onHand: z.number(), minQty: z.number() })),
  aboveMax: z.array(z.object({ warehouseName: z.string(), itemName: z.string(), spec: z.string(), unit: z.string(), onHand: z.number(), maxQty: z.number() })),
});
export type AlertSummary = z.infer<typeof alertSummary>;

export const reconciliation = z.object({ checkedBatches: z.number().int(), differences: z.array(z.object({ batchId: uuid, warehouseName: z.string(), itemName: z.string(), onHand: z.number(), movements: z.number() })) });

export const traceNode = z.object({
  kind: z.enum(['received', 'transfer', 'issued', 'written_off', 'adjusted', 'reversed']),
  date: z.string(),
  documentId: uuid,
  number: z.string(),
  warehouseName: z.string(),
  itemName: z.string(),
  unit: z.string(),
  quantity: z.number(),
  to: z.string().nullable(),
  recipients: z.array(z.object({ name: z.string(), quantity: z.number() })),
});
export const goodsTraceResult = z.object({ sourceType: z.string(), sourceId: uuid, received: z.number(), onHand: z.number(), inTransit: z.number(), issued: z.number(), writtenOff: z.number(), steps: z.array(traceNode) });
export type GoodsTrace = z.infer<typeof goodsTraceResult>;

export const unitStockValue = z.object({ unitId: uuid, unitName: z.string(), unitPath: z.string(), kind: z.string(), warehouses: z.number().int(), valueFen: z.number().int() });
export const coverage = z.object({ counties: z.array(z.object({ unitId: uuid, unitName: z.string(), warehouses: z.number().int() })), allCovered: z.boolean(), missing: z.array(z.string()) });
