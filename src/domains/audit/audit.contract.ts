import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { dateOrDateTime, definePermissions, isoDateTime, listQueryBase, type RoleGrants } from '../../platform/contract-kit.ts';

export const auditPermissions = definePermissions({
  'audit.read': { zh: '查阅审计日志', en: 'Read the audit log', category: 'audit' },
  'audit.export': { zh: '导出审计日志', en: 'Export the audit log', category: 'audit' },
});

export const auditErrors = {
  'audit.chain_broken': { status: 500, zh: '审计日志链校验失败', en: 'The audit chain does not verify' },
} satisfies ErrorCatalog;

export const AUDIT_RESULTS = ['success', 'failure', 'denied'] as const;

export const auditEntry = z.object({
  seq: z.number().int(),
  at: isoDateTime,
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  actorUnitId: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  result: z.enum(AUDIT_RESULTS),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.unknown().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditFilter = z.strictObject({
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
  actor: z.string().trim().min(1).max(40).optional(),
  action: z.string().trim().min(1).max(80).optional(),
  entityType: z.string().trim().min(1).max(60).optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  result: z.enum(AUDIT_RESULTS).optional(),
});
export const auditListQuery = auditFilter.extend(listQueryBase);
export type AuditListQuery = z.infer<typeof auditListQuery>;

export const auditPage = z.object({ items: z.array(auditEntry), nextCursor: z.string().nullable() });

export const auditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;

/** Labels of audit actions for screens and exports. Unknown actions show their code. */
export const auditActionLabels: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Sign in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.locked': { zh: '账户锁定', en: 'Account locked' },
  'auth.logout': { zh: '退出登录', en: 'Sign out' },
  'auth.password_changed': { zh: '修改密码', en: 'Password changed' },
  'auth.totp_enrolled': { zh: '绑定动态口令', en: 'TOTP enrolled' },
  'auth.totp_removed': { zh: '解绑动态口令', en: 'TOTP removed' },
  'accounts.user_created': { zh: '新建用户', en: 'User created' },
  'accounts.user_updated': { zh: '修改用户', en: 'User updated' },
  'accounts.user_disabled': { zh: '停用用户', en: 'User disabled' },
  'accounts.user_enabled': { zh: '启用用户', en: 'User enabled' },
  'accounts.password_reset': { zh: '重置密码', en: 'Password reset' },
  'accounts.user_unlocked': { zh: '解除锁定', en: 'User unlocked' },
  'accounts.role_created': { zh: '新建角色', en: 'Role created' },
  'accounts.role_updated': { zh: '修改角色', en: 'Role updated' },
  'accounts.role_deleted': { zh: '删除角色', en: 'Role deleted' },
  'accounts.bootstrap_admin': { zh: '创建初始管理员', en: 'Bootstrap administrator created' },
  'orgs.unit_created': { zh: '新建组织', en: 'Unit created' },
  'orgs.unit_updated': { zh: '修改组织', en: 'Unit updated' },
  'orgs.unit_deleted': { zh: '删除组织', en: 'Unit deleted' },
  'orgs.population_saved': { zh: '保存人口数', en: 'Population saved' },
  'orgs.population_deleted': { zh: '删除人口数', en: 'Population deleted' },
  'audit.exported': { zh: '导出审计日志', en: 'Audit log exported' },
  'people.created': { zh: '登记人员', en: 'Person registered' },
  'people.updated': { zh: '更正人员信息', en: 'Person updated' },
  'people.linked': { zh: '关联已登记人员', en: 'Person linked' },
  'people.unmasked': { zh: '查看完整个人信息', en: 'Full identifiers viewed' },
  'people.consent_given': { zh: '记录同意', en: 'Consent recorded' },
  'people.consent_withdrawn': { zh: '撤回同意', en: 'Consent withdrawn' },
  'people.merged': { zh: '合并人员', en: 'People merged' },
  'people.data_exported': { zh: '导出个人信息（数据主体请求）', en: 'Personal data exported (subject request)' },
  'people.erased': { zh: '删除个人信息', en: 'Personal data erased' },
  'people.exported': { zh: '导出人员名单', en: 'People list exported' },
  'imports.started': { zh: '开始导入', en: 'Import started' },
  'imports.done': { zh: '导入完成', en: 'Import completed' },
  'imports.failed': { zh: '导入失败（未写入）', en: 'Import failed (nothing written)' },
  'imports.cancelled': { zh: '导入已取消', en: 'Import cancelled' },
  'attachments.added': { zh: '上传附件', en: 'Attachment added' },
  'attachments.removed': { zh: '撤下附件', en: 'Attachment withdrawn' },
  'plan.created': { zh: '新建规划', en: 'Plan created' },
  'plan.updated': { zh: '修改规划', en: 'Plan updated' },
  'plan.imported': { zh: '从 Excel 导入规划', en: 'Plan imported from Excel' },
  'plan.indicator_created': { zh: '新增规划指标', en: 'Plan indicator added' },
  'plan.indicator_updated': { zh: '修改规划指标', en: 'Plan indicator updated' },
  'plan.target_saved': { zh: '保存分解目标', en: 'Plan target saved' },
  'plan.target_deleted': { zh: '删除分解目标', en: 'Plan target deleted' },
  'plan.breakdown_confirmed': { zh: '确认逐年分解', en: 'Annual split confirmed' },
  'plan.actual_entered': { zh: '人工填报完成数', en: 'Indicator figure entered' },
  'plan.bulletin_created': { zh: '生成工作进度通报', en: 'Progress bulletin created' },
  'plan.bulletin_updated': { zh: '修改通报说明', en: 'Bulletin remarks updated' },
  'plan.evaluation_created': { zh: '新建评估报告', en: 'Evaluation drafted' },
  'plan.evaluation_updated': { zh: '修改评估草稿', en: 'Evaluation draft updated' },
  'plan.evaluation_deleted': { zh: '删除评估草稿', en: 'Evaluation draft deleted' },
  'plan.evaluation_published': { zh: '发布评估报告（冻结）', en: 'Evaluation published (frozen)' },
  'donations.donor_created': { zh: '登记捐赠人', en: 'Donor recorded' },
  'donations.created': { zh: '登记捐赠', en: 'Donation recorded' },
  'donations.confirmed': { zh: '确认捐赠并入账', en: 'Donation confirmed and posted' },
  'donations.reversed': { zh: '冲销捐赠', en: 'Donation reversed' },
  'donations.exported': { zh: '导出捐赠登记', en: 'Donations exported' },
  'donations.lookup_code_viewed': { zh: '查看捐赠查询码', en: 'Donation lookup code viewed' },
  'donations.allocated': { zh: '分配非定向资金', en: 'Unrestricted money allocated' },
  'donations.disbursement_submitted': { zh: '提交拨付', en: 'Disbursement submitted' },
  'donations.disbursement_approved': { zh: '审批通过拨付', en: 'Disbursement approved' },
  'donations.disbursement_rejected': { zh: '驳回拨付', en: 'Disbursement rejected' },
  'ledger.checkpoint_signed': { zh: '签署公开账本检查点', en: 'Ledger checkpoint signed' },
  'ledger.checkpoint_refused': { zh: '拒绝签署检查点（账本历史不一致）', en: 'Ledger checkpoint refused (history not consistent)' },
  'ledger.cosignature_added': { zh: '收到见证人联署', en: 'Witness cosignature received' },
  'settings.calendar_saved': { zh: '修改工作日历', en: 'Working-day calendar changed' },
  'settings.calendar_removed': { zh: '删除工作日历条目', en: 'Working-day calendar entry removed' },
  'settings.updated': { zh: '修改业务参数', en: 'Business parameters changed' },
  'projects.created': { zh: '新建项目', en: 'Project created' },
  'projects.updated': { zh: '修改项目', en: 'Project updated' },
  'projects.closed': { zh: '结束项目', en: 'Project closed' },
  'projects.reference_loaded': { zh: '载入项目库参考数据', en: 'Project library reference data loaded' },
  'donations.disclosure_created': { zh: '起草公示报告', en: 'Disclosure report drafted' },
  'donations.disclosure_published': { zh: '发布公示报告（冻结）', en: 'Disclosure report published (frozen)' },
  'warehouses.grade_saved': { zh: '保存仓库等级标准', en: 'Warehouse grade saved' },
  'warehouses.warehouse_created': { zh: '新建仓库', en: 'Warehouse created' },
  'warehouses.warehouse_updated': { zh: '修改仓库', en: 'Warehouse updated' },
  'warehouses.location_added': { zh: '新增库位', en: 'Bin added' },
  'warehouses.item_created': { zh: '新增物资', en: 'Item added' },
  'warehouses.level_set': { zh: '设置最低/最高库存', en: 'Stock levels set' },
  'warehouses.event_created': { zh: '登记灾害事件', en: 'Disaster event recorded' },
  'warehouses.received': { zh: '入库', en: 'Goods received' },
  'warehouses.issued': { zh: '出库', en: 'Goods issued' },
  'warehouses.transfer_shipped': { zh: '调拨调出', en: 'Transfer shipped' },
  'warehouses.transfer_received': { zh: '调拨收货', en: 'Transfer received' },
  'warehouses.write_off_requested': { zh: '申请报损', en: 'Write-off requested' },
  'warehouses.write_off_approved': { zh: '审批通过报损', en: 'Write-off approved' },
  'warehouses.write_off_rejected': { zh: '驳回报损', en: 'Write-off rejected' },
  'warehouses.stocktake_started': { zh: '开始盘点', en: 'Stocktake started' },
  'warehouses.stocktake_counted': { zh: '录入盘点数', en: 'Stock counted' },
  'warehouses.stocktake_finalised': { zh: '盘点定稿', en: 'Stocktake finalised' },
  'warehouses.reversed': { zh: '红字冲销单据', en: 'Document reversed' },
  'access.denied': { zh: '越权访问被拒绝', en: 'Access denied' },
};

export const auditRoleGrants: RoleGrants = {
  audit_admin: ['audit.read', 'audit.export'],
  supervisor: ['audit.read', 'audit.export'],
};
