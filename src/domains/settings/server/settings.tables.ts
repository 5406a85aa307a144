import type { ColumnType } from 'kysely';

export interface WorkCalendarDayTable {
  /** 'YYYY-MM-DD' (connect.ts returns dates as strings). */
  day: string;
  kind: string;
  name: string;
  source: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Date;
  updated_by: string | null;
}

export interface SettingsTables {
  work_calendar_day: WorkCalendarDayTable;
  app_setting: AppSettingTable;
}
