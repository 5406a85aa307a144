import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { definePermissions, isoDateTime, type RoleGrants } from '../../platform/contract-kit.ts';

/**
 * Settings the society decides for itself: the working-day calendar (public holidays and 调休 days)
 * and the business parameters the rules leave open (disclosure deadlines, the management-cost
 * warning line). City-wide: one value for every unit. Browser-safe.
 */
export const settingsPermissions = definePermissions({
  'settings.read': { zh: '查看系统设置（工作日历与业务参数）', en: 'View settings (working-day calendar, parameters)', category: 'business' },
  'settings.manage': { zh: '修改系统设置（工作日历与业务参数）', en: 'Change settings (working-day calendar, parameters)', category: 'system' },
});

export const settingsRoleGrants: RoleGrants = {
  sys_admin: ['settings.read', 'settings.manage'],
  supervisor: ['settings.read'],
  leader: ['settings.read'],
  staff: ['settings.read'],
};

export const settingsErrors = {
  'settings.city_only': { status: 403, zh: '系统设置对全市生效，只有市级管理员可以修改', en: 'Settings apply city-wide; only a city-level administrator may change them' },
  'settings.day_not_found': { status: 404, zh: '该日期不在工作日历中', en: 'That date is not in the calendar' },
} satisfies ErrorCatalog;

export const calendarKind = z.enum(['holiday', 'workday'], { error: '类型应为 holiday（放假）或 workday（调休上班）' });
export const calendarDay = z.object({
  day: z.iso.date(),
  kind: calendarKind,
  name: z.string(),
  source: z.string().nullable(),
  updatedAt: isoDateTime,
  updatedBy: z.string().nullable(),
});
export type CalendarDay = z.infer<typeof calendarDay>;

export const calendarQuery = z.strictObject({ year: z.coerce.number().int().min(2000, { error: '年份应在 2000–2100 之间' }).max(2100, { error: '年份应在 2000–2100 之间' }) });
export const calendarYear = z.object({
  year: z.number().int(),
  /** Whether the year's arrangement is in the calendar (otherwise only weekends count as rest days). */
  covered: z.boolean(),
  days: z.array(calendarDay),
  workingDays: z.number().int(),
});
export type CalendarYear = z.infer<typeof calendarYear>;

export const dayParams = z.strictObject({ day: z.iso.date({ error: '日期格式应为 YYYY-MM-DD' }) });
export const putCalendarDay = z.strictObject({
  kind: calendarKind,
  name: z.string({ error: '请填写名称（如 春节、国庆节调休上班）' }).trim().min(1, { error: '请填写名称（如 春节、国庆节调休上班）' }).max(40, { error: '名称不超过 40 个字' }),
  source: z.string().trim().max(100, { error: '依据不超过 100 个字' }).nullish(),
});
export type PutCalendarDay = z.infer<typeof putCalendarDay>;

/** The business parameters, with their defaults (domain-rules.md §7: all configurable). */
export const businessSettings = z.strictObject({
  /** 捐赠收到后应在几个工作日内公示 (2011 民政部 draft guideline: 7). */
  disclosureWorkingDays: z.number({ error: '请填写公示期限（工作日）' }).int({ error: '公示期限应为整数' }).min(1, { error: '公示期限应在 1–60 个工作日之间' }).max(60, { error: '公示期限应在 1–60 个工作日之间' }),
  /** 定向资金宜于收到后几日内使用 (use published within a month). */
  useWithinDays: z.number({ error: '请填写使用期限（天）' }).int({ error: '使用期限应为整数' }).min(1, { error: '使用期限应在 1–365 天之间' }).max(365, { error: '使用期限应在 1–365 天之间' }),
  /** 管理费用占支出的提示线, as a percentage (10 for foundations, 13 for associations; a warning only). */
  managementRatioPercent: z.number({ error: '请填写管理费用提示线' }).min(1, { error: '管理费用提示线应在 1%–30% 之间' }).max(30, { error: '管理费用提示线应在 1%–30% 之间' }),
  /** Below this much management cost in a year (元), the ratio is not applied (the 2016 rules' 20 万元). */
  managementExemptYuan: z.number({ error: '请填写豁免额' }).int({ error: '豁免额应为整数（元）' }).min(0, { error: '豁免额不能为负' }).max(100_000_000, { error: '豁免额过大' }),
});
export type BusinessSettings = z.infer<typeof businessSettings>;
export const BUSINESS_DEFAULTS: BusinessSettings = { disclosureWorkingDays: 7, useWithinDays: 30, managementRatioPercent: 10, managementExemptYuan: 200_000 };

export const settingsView = z.object({
  values: businessSettings,
  updatedAt: isoDateTime.nullable(),
  updatedBy: z.string().nullable(),
});
export type SettingsView = z.infer<typeof settingsView>;
export const putSettings = businessSettings.partial().extend({ version: z.number().int().min(0) });
