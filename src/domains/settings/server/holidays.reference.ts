/**
 * China's public-holiday arrangements (法定节假日放假调休安排), as published each year by the General
 * Office of the State Council (国务院办公厅关于…部分节假日安排的通知). Working days are counted
 * against these: a 调休 Saturday or Sunday is a working day, a holiday weekday is not.
 *
 * Entered by hand from the notices named in `source`; an administrator can correct any day and add
 * the next year's arrangement (normally published in November) on the 系统设置 → 工作日历 page.
 */
export interface HolidayArrangement {
  year: number;
  source: string;
  periods: { name: string; from: string; to: string; workdays: string[] }[];
}

export const CN_HOLIDAY_ARRANGEMENTS: readonly HolidayArrangement[] = [
  {
    year: 2021,
    source: '国办发明电〔2020〕27号',
    periods: [
      { name: '元旦', from: '2021-01-01', to: '2021-01-03', workdays: [] },
      { name: '春节', from: '2021-02-11', to: '2021-02-17', workdays: ['2021-02-07', '2021-02-20'] },
      { name: '清明节', from: '2021-04-03', to: '2021-04-05', workdays: [] },
      { name: '劳动节', from: '2021-05-01', to: '2021-05-05', workdays: ['2021-04-25', '2021-05-08'] },
      { name: '端午节', from: '2021-06-12', to: '2021-06-14', workdays: [] },
      { name: '中秋节', from: '2021-09-19', to: '2021-09-21', workdays: ['2021-09-18'] },
      { name: '国庆节', from: '2021-10-01', to: '2021-10-07', workdays: ['2021-09-26', '2021-10-09'] },
    ],
  },
  {
    year: 2022,
    source: '国办发明电〔2021〕11号',
    periods: [
      { name: '元旦', from: '2022-01-01', to: '2022-01-03', workdays: [] },
      { name: '春节', from: '2022-01-31', to: '2022-02-06', workdays: ['2022-01-29', '2022-01-30'] },
      { name: '清明节', from: '2022-04-03', to: '2022-04-05', workdays: ['2022-04-02'] },
      { name: '劳动节', from: '2022-04-30', to: '2022-05-04', workdays: ['2022-04-24', '2022-05-07'] },
      { name: '端午节', from: '2022-06-03', to: '2022-06-05', workdays: [] },
      { name: '中秋节', from: '2022-09-10', to: '2022-09-12', workdays: [] },
      { name: '国庆节', from: '2022-10-01', to: '2022-10-07', workdays: ['2022-10-08', '2022-10-09'] },
    ],
  },
  {
    year: 2023,
    source: '国办发明电〔2022〕16号',
    periods: [
      { name: '元旦', from: '2022-12-31', to: '2023-01-02', workdays: [] },
      { name: '春节', from: '2023-01-21', to: '2023-01-27', workdays: ['2023-01-28', '2023-01-29'] },
      { name: '清明节', from: '2023-04-05', to: '2023-04-05', workdays: [] },
      { name: '劳动节', from: '2023-04-29', to: '2023-05-03', workdays: ['2023-04-23', '2023-05-06'] },
      { name: '端午节', from: '2023-06-22', to: '2023-06-24', workdays: ['2023-06-25'] },
      { name: '中秋节、国庆节', from: '2023-09-29', to: '2023-10-06', workdays: ['2023-10-07', '2023-10-08'] },
    ],
  },
  {
    year: 2024,
    source: '国办发明电〔2023〕7号',
    periods: [
      { name: '元旦', from: '2024-01-01', to: '2024-01-01', workdays: [] },
      { name: '春节', from: '2024-02-10', to: '2024-02-17', workdays: ['2024-02-04', '2024-02-18'] },
      { name: '清明节', from: '2024-04-04', to: '2024-04-06', workdays: ['2024-04-07'] },
      { name: '劳动节', from: '2024-05-01', to: '2024-05-05', workdays: ['2024-04-28', '2024-05-11'] },
      { name: '端午节', from: '2024-06-10', to: '2024-06-10', workdays: [] },
      { name: '中秋节', from: '2024-09-15', to: '2024-09-17', workdays: ['2024-09-14'] },
      { name: '国庆节', from: '2024-10-01', to: '2024-10-07', workdays: ['2024-09-29', '2024-10-12'] },
    ],
  },
  {
    year: 2025,
    source: '国办发明电〔2024〕12号',
    periods: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01', workdays: [] },
      { name: '春节', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'] },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06', workdays: [] },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'] },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02', workdays: [] },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'] },
    ],
  },
  {
    year: 2026,
    source: '国办发明电〔2025〕7号',
    periods: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06', workdays: [] },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21', workdays: [] },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27', workdays: [] },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
    ],
  },
];

export interface CalendarDaySeed {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  source: string;
}

/** The arrangements as one row per day: every day of each holiday period, and each 调休 working day. */
export function calendarDaysOf(arrangements: readonly HolidayArrangement[] = CN_HOLIDAY_ARRANGEMENTS): CalendarDaySeed[] {
  const out: CalendarDaySeed[] = [];
  for (const a of arrangements) {
    for (const p of a.periods) {
      for (let d = new Date(`${p.from}T00:00:00Z`); d <= new Date(`${p.to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
        out.push({ day: d.toISOString().slice(0, 10), kind: 'holiday', name: p.name, source: a.source });
      }
      for (const w of p.workdays) out.push({ day: w, kind: 'workday', name: `${p.name}调休上班`, source: a.source });
    }
  }
  return out;
}
