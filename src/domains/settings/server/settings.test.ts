import { beforeAll, expect, it } from 'vitest';
import { Agent, describeDb, errorCode as code, TEST_PASSWORD, type TestUser } from '../../../../tests/support/harness.ts';
import * as donations from '../../donations/server/donations.service.ts';
import * as disclosure from '../../donations/server/donations.disclosure.ts';
import * as svc from './settings.service.ts';

describeDb('settings: working-day calendar and business parameters', (h) => {
  let admin: TestUser;
  let countyAdmin: TestUser;
  let staff: TestUser;
  beforeAll(async () => {
    admin = await h().createUser({ username: 'set.admin', unit: '330800', roles: ['sys_admin'] });
    countyAdmin = await h().createUser({ username: 'set.county', unit: '330825', roles: ['sys_admin'] });
    staff = await h().createUser({ username: 'set.staff', unit: '330825', roles: ['staff'] });
  });

  it('ships the State Council arrangements and lets a city administrator correct them, audited', async () => {
    const y = await svc.calendarYear(staff.ctx, 2026);
    expect(y.covered).toBe(true);
    expect(y.days.find((d) => d.day === '2026-10-10')).toMatchObject({ kind: 'workday', name: '国庆节调休上班', source: '国办发明电〔2025〕7号' });
    expect(y.days.filter((d) => d.kind === 'holiday' && d.name === '春节')).toHaveLength(9);
    const plainWeekdays = 261; // 2026: 365 days, 104 weekend days
    const holidayWeekdays = y.days.filter((d) => d.kind === 'holiday' && ![0, 6].includes(new Date(`${d.day}T00:00:00Z`).getUTCDay())).length;
    expect(y.workingDays).toBe(plainWeekdays - holidayWeekdays + y.days.filter((d) => d.kind === 'workday').length);
    expect((await svc.calendarYear(staff.ctx, 2027)).covered).toBe(false);

    // 2027's arrangement arrives: the city administrator enters it day by day.
    const saved = await svc.putCalendarDay(admin.ctx, '2027-01-01', { kind: 'holiday', name: '元旦', source: '国办发明电〔2026〕号' });
    expect(saved).toMatchObject({ day: '2027-01-01', kind: 'holiday', updatedBy: 'set.admin' });
    expect((await svc.calendarYear(staff.ctx, 2027)).covered).toBe(true);
    // A weekday cannot be a make-up working day; a county administrator cannot change a city-wide calendar; staff cannot at all.
    const bad = await code(svc.putCalendarDay(admin.ctx, '2027-01-04', { kind: 'workday', name: '调休' }));
    expect(bad).toBe('validation_failed');
    expect(await code(svc.putCalendarDay(countyAdmin.ctx, '2027-01-02', { kind: 'holiday', name: '元旦' }))).toBe('settings.city_only');
    expect(await code(svc.putCalendarDay(staff.ctx, '2027-01-02', { kind: 'holiday', name: '元旦' }))).toBe('forbidden');
    await svc.deleteCalendarDay(admin.ctx, '2027-01-01');
    expect(await code(svc.deleteCalendarDay(admin.ctx, '2027-01-01'))).toBe('settings.day_not_found');
    const audit = await h().system.run((trx) => trx.selectFrom('audit_log').select(['action', 'entity_id']).where('entity_type', '=', 'work_calendar_day').orderBy('seq').execute());
    expect(audit.map((a) => `${a.action} ${a.entity_id}`)).toEqual(['settings.calendar_saved 2027-01-01', 'settings.calendar_removed 2027-01-01']);
  });

  it('counts the disclosure deadline in working days of the calendar and applies the parameters the society set', async () => {
    const user = await h().createUser({ username: 'set.don', unit: '330825', roles: ['staff'] });
    const donor = await donations.createDonor(user.ctx, { kind: 'organisation', orgName: '龙游某企业', publicConsent: true });
    const d = await donations.createDonation(user.ctx, { donorId: donor.id, receivedOn: '2026-04-30', channel: 'bank_transfer', amountFen: 50_000, designation: 'unrestricted', receiptNo: 'LY-1' });
    await donations.confirmDonation(user.ctx, d.id, { version: d.version });
    const check = async () => (await disclosure.createDisclosure(user.ctx, { periodStart: '2026-04-01', periodEnd: '2026-04-30' })).content.checks;
    // 7 working days after 4月30日 across 劳动节 (5月1–5日 off, 5月9日 worked): 5月13日, not the weekend-only 5月11日.
    let overdue = (await check()).find((c) => c.code === 'receipts_overdue')!;
    expect(overdue.items.find((i) => i.ref === d.number)!.detail).toContain('应于 2026-05-13 前公示');
    expect((await check()).find((c) => c.code === 'management_ratio')!.message).toContain('提示线 10%');

    const before = await svc.getSettings(admin.ctx);
    expect(before.values).toEqual({ disclosureWorkingDays: 7, useWithinDays: 30, managementRatioPercent: 10, managementExemptYuan: 200_000 });
    const after = await svc.updateSettings(admin.ctx, { version: before.version, disclosureWorkingDays: 3, managementRatioPercent: 13 });
    expect(after.values).toMatchObject({ disclosureWorkingDays: 3, managementRatioPercent: 13, useWithinDays: 30 });
    expect(await code(svc.updateSettings(admin.ctx, { version: before.version, useWithinDays: 10 }))).toBe('conflict');
    expect(await code(svc.updateSettings(countyAdmin.ctx, { version: after.version, useWithinDays: 10 }))).toBe('settings.city_only');
    const checks = await check();
    overdue = checks.find((c) => c.code === 'receipts_overdue')!;
    expect(overdue.items.find((i) => i.ref === d.number)!.detail).toContain('应于 2026-05-08 前公示');
    expect(overdue.message).toMatch(/超过 3 个工作日|均在期限内/);
    expect(checks.find((c) => c.code === 'management_ratio')!.message).toContain('提示线 13%');
    await svc.updateSettings(admin.ctx, { version: after.version, disclosureWorkingDays: 7, managementRatioPercent: 10 });
  });

  it('over HTTP: bad input names the field and changes nothing', async () => {
    const a = new Agent((await h().app()).app);
    expect((await a.login(admin.username, TEST_PASSWORD)).statusCode).toBe(200);
    const v = (await svc.getSettings(admin.ctx)).version;
    const r = await a.request({ method: 'PUT', url: '/api/settings/business', payload: { version: v, managementRatioPercent: 55 } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0]).toMatchObject({ field: 'body.managementRatioPercent' });
    expect(r.json().error.details[0].message).toContain('1%–30%');
    expect((await svc.getSettings(admin.ctx)).version).toBe(v);
    const day = await a.request({ method: 'PUT', url: '/api/settings/calendar/2027-02-30', payload: { kind: 'holiday', name: '春节' } });
    expect(day.statusCode).toBe(400);
    const ok = await a.request({ method: 'GET', url: '/api/settings/calendar?year=2025' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().days.some((x: { day: string }) => x.day === '2025-01-28')).toBe(true);
  });
});
