/**
 * Working days (工作日) under China's public-holiday arrangements: Monday–Friday are working days
 * unless the calendar marks them as holidays, and a Saturday or Sunday marked as a 调休 working day
 * is one. Years the calendar has no arrangement for fall back to plain weekends, and say so.
 * Pure; the calendar rows come from the settings domain.
 */
export interface CalendarMark {
  day: string;
  kind: 'holiday' | 'workday';
}

export interface WorkCalendar {
  isWorkingDay(date: string): boolean;
  /** Whether the calendar holds that year's arrangement (otherwise only weekends are known). */
  covers(year: number): boolean;
}

const DAY_MS = 86_400_000;

export function workCalendar(marks: readonly CalendarMark[]): WorkCalendar {
  const byDay = new Map(marks.map((m) => [m.day, m.kind]));
  const years = new Set(marks.filter((m) => m.kind === 'holiday').map((m) => Number(m.day.slice(0, 4))));
  return {
    isWorkingDay(date) {
      const mark = byDay.get(date);
      if (mark) return mark === 'workday';
      const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
      return wd !== 0 && wd !== 6;
    },
    covers: (year) => years.has(year),
  };
}

/** The date `days` working days after `date` (the due date of "within N working days"). */
export function addWorkingDays(cal: WorkCalendar, date: string, days: number): string {
  let t = Date.parse(`${date}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    t += DAY_MS;
    if (cal.isWorkingDay(new Date(t).toISOString().slice(0, 10))) left--;
  }
  return new Date(t).toISOString().slice(0, 10);
}

/** Years between two dates (inclusive) the calendar has no arrangement for. */
export function uncoveredYears(cal: WorkCalendar, from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!cal.covers(y)) out.push(y);
  return out;
}
