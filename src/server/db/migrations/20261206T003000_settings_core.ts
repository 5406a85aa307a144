import { sql, type Kysely } from 'kysely';
import { grantApp } from '../rls.ts';
import { calendarDaysOf } from '../../../domains/settings/server/holidays.reference.ts';

/**
 * City-wide settings: the working-day calendar (public holidays and 调休 working days, seeded with
 * the State Council arrangements 2021–2026) and the business parameters. Not scoped by unit:
 * every unit counts working days the same way. Writes go through the settings.manage permission.
 */
export async function up(db: Kysely<any>) {
  await sql`create table work_calendar_day (
    day date primary key,
    kind text not null check (kind in ('holiday','workday')),
    name text not null check (length(name) between 1 and 40),
    source text,
    updated_at timestamptz not null default now(),
    updated_by text
  )`.execute(db);
  await grantApp(db, 'work_calendar_day', 'select, insert, update, delete');
  const rows = calendarDaysOf();
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    await sql`insert into work_calendar_day (day, kind, name, source)
      select * from unnest(${part.map((r) => r.day)}::date[], ${part.map((r) => r.kind)}::text[], ${part.map((r) => r.name)}::text[], ${part.map((r) => r.source)}::text[])
      on conflict (day) do nothing`.execute(db);
  }
  await sql`create table app_setting (
    key text primary key check (key ~ '^[a-z][a-zA-Z0-9_.]*$'),
    value jsonb not null,
    version int not null default 1,
    updated_at timestamptz not null,
    updated_by text
  )`.execute(db);
  await grantApp(db, 'app_setting', 'select, insert, update');
}
