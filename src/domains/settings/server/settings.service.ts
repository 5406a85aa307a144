import { sql } from 'kysely';
import type { Ctx, Trx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { workCalendar, type WorkCalendar } from '../../../platform/work-calendar.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { BUSINESS_DEFAULTS, businessSettings, type BusinessSettings, type CalendarDay, type CalendarYear, type PutCalendarDay, type SettingsView } from '../settings.contract.ts';

const BUSINESS_KEY = 'business';

/** Settings apply to every unit, so only someone whose jurisdiction is the whole tree changes them. */
function requireManage(ctx: Ctx) {
  requirePermission(ctx, 'settings.manage');
  if (ctx.actor.kind !== 'system' && ctx.actor.scopePath.split('/').filter(Boolean).length !== 1) throw new DomainError('settings.city_only');
}

const toDay = (r: { day: string; kind: string; name: string; source: string | null; updated_at: Date; updated_by: string | null }): CalendarDay => ({
  day: r.day,
  kind: r.kind as CalendarDay['kind'],
  name: r.name,
  source: r.source,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
});

/* ---------- the working-day calendar ---------- */

/** The calendar rows between two dates, as a WorkCalendar (for deadlines counted in working days). */
export async function loadWorkCalendar(trx: Trx, from: string, to: string): Promise<WorkCalendar> {
  // Whole years, so that `covers(year)` knows whether the year's arrangement is there at all.
  const rows = await trx
    .selectFrom('work_calendar_day')
    .select(['day', 'kind'])
    .where('day', '>=', `${from.slice(0, 4)}-01-01`)
    .where('day', '<=', `${to.slice(0, 4)}-12-31`)
    .execute();
  return workCalendar(rows.map((r) => ({ day: r.day, kind: r.kind as 'holiday' | 'workday' })));
}

export async function calendarYear(ctx: Ctx, year: number): Promise<CalendarYear> {
  requirePermission(ctx, 'settings.read');
  return ctx.run(async (trx) => {
    const rows = await trx.selectFrom('work_calendar_day').selectAll().where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day').execute();
    const cal = workCalendar(rows.map((r) => ({ day: r.day, kind: r.kind as 'holiday' | 'workday' })));
    let workingDays = 0;
    for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
      if (cal.isWorkingDay(d.toISOString().slice(0, 10))) workingDays++;
    }
    return { year, covered: cal.covers(year), days: rows.map(toDay), workingDays };
  });
}

/** Marks a date as a holiday or a 调休 working day (creates or replaces that date's entry). */
export async function putCalendarDay(ctx: Ctx, day: string, input: PutCalendarDay): Promise<CalendarDay> {
  requireManage(ctx);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (input.kind === 'workday' && !weekend) {
    throw new DomainError('validation_failed', undefined, [{ field: 'kind', code: 'not_weekend', message: `${day} 是工作日（周一至周五），只有周六、周日才需要标为调休上班` }]);
  }
  return ctx.run(async (trx) => {
    const before = await trx.selectFrom('work_calendar_day').selectAll().where('day', '=', day).executeTakeFirst();
    const by = ctx.actor.displayName ?? ctx.actor.username;
    const row = await trx
      .insertInto('work_calendar_day')
      .values({ day, kind: input.kind, name: input.name, source: input.source ?? null, updated_at: ctx.deps.clock.now(), updated_by: by })
      .onConflict((oc) => oc.column('day').doUpdateSet({ kind: input.kind, name: input.name, source: input.source ?? null, updated_at: ctx.deps.clock.now(), updated_by: by }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, {
      action: 'settings.calendar_saved',
      entityType: 'work_calendar_day',
      entityId: day,
      before: before ? { day, kind: before.kind, name: before.name, source: before.source } : undefined,
      after: { day, kind: input.kind, name: input.name, source: input.source ?? null },
    });
    return toDay(row);
  });
}

/** Removes a date's entry: the date becomes an ordinary weekday or weekend day again. */
export async function deleteCalendarDay(ctx: Ctx, day: string) {
  requireManage(ctx);
  await ctx.run(async (trx) => {
    const gone = await trx.deleteFrom('work_calendar_day').where('day', '=', day).returningAll().executeTakeFirst();
    if (!gone) throw new DomainError('settings.day_not_found');
    await recordAudit(ctx, { action: 'settings.calendar_removed', entityType: 'work_calendar_day', entityId: day, before: { day, kind: gone.kind, name: gone.name, source: gone.source } });
  });
}

/* ---------- business parameters ---------- */

async function businessRow(trx: Trx) {
  return trx.selectFrom('app_setting').selectAll().where('key', '=', BUSINESS_KEY).executeTakeFirst();
}

function merged(value: unknown): BusinessSettings {
  // Stored values were validated on the way in; a parameter added later takes its default.
  const parsed = businessSettings.partial().safeParse(value ?? {});
  return { ...BUSINESS_DEFAULTS, ...(parsed.success ? parsed.data : {}) };
}

/** The parameters in force (defaults where the society has not set one). No permission: other domains' rules read them. */
export async function businessSettingsIn(trx: Trx): Promise<BusinessSettings> {
  return merged((await businessRow(trx))?.value);
}

export async function getSettings(ctx: Ctx): Promise<SettingsView & { version: number }> {
  requirePermission(ctx, 'settings.read');
  return ctx.run(async (trx) => {
    const row = await businessRow(trx);
    return { values: merged(row?.value), updatedAt: row?.updated_at.toISOString() ?? null, updatedBy: row?.updated_by ?? null, version: row?.version ?? 0 };
  });
}

export async function updateSettings(ctx: Ctx, input: Partial<BusinessSettings> & { version: number }) {
  requireManage(ctx);
  const { version, ...changes } = input;
  return ctx.run(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('app_setting:business'))`.execute(trx);
    const row = await businessRow(trx);
    if ((row?.version ?? 0) !== version) throw new DomainError('conflict');
    const before = merged(row?.value);
    const after = { ...before, ...changes };
    const now = ctx.deps.clock.now();
    const by = ctx.actor.displayName ?? ctx.actor.username;
    if (row) {
      await trx.updateTable('app_setting').set({ value: JSON.stringify(after), version: row.version + 1, updated_at: now, updated_by: by }).where('key', '=', BUSINESS_KEY).execute();
    } else {
      await trx.insertInto('app_setting').values({ key: BUSINESS_KEY, value: JSON.stringify(after), version: 1, updated_at: now, updated_by: by }).execute();
    }
    await recordAudit(ctx, { action: 'settings.updated', entityType: 'app_setting', entityId: BUSINESS_KEY, before, after });
    return getSettings(ctx);
  });
}
