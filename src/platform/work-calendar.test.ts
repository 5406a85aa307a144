import { describe, expect, it } from 'vitest';
import { calendarDaysOf, CN_HOLIDAY_ARRANGEMENTS } from '../domains/settings/server/holidays.reference.ts';
import { addWorkingDays, uncoveredYears, workCalendar } from './work-calendar.ts';

const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

describe('working days under the holiday arrangements', () => {
  const cal = workCalendar(calendarDaysOf());

  it('counts 调休 weekends as working days and holiday weekdays as rest days', () => {
    // 2026 劳动节: 5月1日至5日放假, 5月9日（周六）上班.
    expect(cal.isWorkingDay('2026-04-30')).toBe(true);
    expect(['2026-05-01', '2026-05-04', '2026-05-05'].map((d) => cal.isWorkingDay(d))).toEqual([false, false, false]);
    expect(cal.isWorkingDay('2026-05-09')).toBe(true);
    expect(cal.isWorkingDay('2026-05-10')).toBe(false);
    // 7 working days after 4月30日: 5/6, 5/7, 5/8, 5/9 (调休), 5/11, 5/12, 5/13.
    expect(addWorkingDays(cal, '2026-04-30', 7)).toBe('2026-05-13');
    // Weekends only would give 5月11日.
    expect(addWorkingDays(workCalendar([]), '2026-04-30', 7)).toBe('2026-05-11');
    // 2026 国庆节: 10月1日至7日, 10月10日（周六）上班.
    expect(addWorkingDays(cal, '2026-09-30', 7)).toBe('2026-10-15');
    // Across the 2025 Spring Festival (1月28日—2月4日, 1月26日 and 2月8日 上班).
    expect(addWorkingDays(cal, '2025-01-24', 1)).toBe('2025-01-26');
    expect(addWorkingDays(cal, '2025-01-27', 1)).toBe('2025-02-05');
    expect(addWorkingDays(cal, '2025-01-27', 0)).toBe('2025-01-27');
  });

  it('knows which years it has an arrangement for', () => {
    expect(cal.covers(2021) && cal.covers(2026)).toBe(true);
    expect(cal.covers(2027)).toBe(false);
    expect(uncoveredYears(cal, '2026-12-20', '2028-01-05')).toEqual([2027, 2028]);
  });

  it('has reference data consistent with the calendar: make-up days on weekends, no day twice, holidays inside the year they belong to', () => {
    const days = calendarDaysOf();
    for (const d of days.filter((x) => x.kind === 'workday')) expect([0, 6], `${d.day} ${d.name}`).toContain(weekday(d.day));
    expect(new Set(days.map((d) => d.day)).size).toBe(days.length);
    for (const a of CN_HOLIDAY_ARRANGEMENTS) {
      // The seven festivals every year (中秋 and 国庆 sometimes merged into one period).
      const names = a.periods.map((p) => p.name).join('、');
      for (const f of ['元旦', '春节', '清明', '劳动', '端午', '中秋', '国庆']) expect(names, `${a.year} ${f}`).toContain(f);
      for (const p of a.periods) {
        expect(p.from <= p.to).toBe(true);
        expect(Math.abs(Number(p.from.slice(0, 4)) - a.year)).toBeLessThanOrEqual(1);
        // A period is at most 9 days, and a make-up day lies within three weeks of its period.
        expect((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000).toBeLessThan(9);
        for (const w of p.workdays) expect(Math.abs(Date.parse(w) - Date.parse(p.from)) / 86_400_000).toBeLessThan(21);
      }
    }
  });
});
