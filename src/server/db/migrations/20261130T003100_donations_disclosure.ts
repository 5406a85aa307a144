import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

/**
 * Period disclosure reports (公示): drafted, checked by the gate, then published and frozen as
 * canonical JSON under its hash. A correction is a new report naming the one it corrects.
 */
export async function up(db: Kysely<any>) {
  await sql`create table disclosure_report (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    period_start date not null,
    period_end date not null,
    title text not null,
    status text not null check (status in ('draft','published')),
    corrects uuid references disclosure_report(id),
    snapshot_text text,
    content_hash text check (content_hash ~ '^[0-9a-f]{64}$'),
    published_at timestamptz,
    published_by uuid,
    published_by_name text,
    created_at timestamptz not null,
    created_by uuid,
    version int not null default 1,
    check (period_start <= period_end),
    check ((status = 'published') = (snapshot_text is not null and content_hash is not null and published_at is not null))
  )`.execute(db);
  await sql`create index disclosure_report_unit on disclosure_report (org_unit_id, period_start)`.execute(db);
  await sql`create function disclosure_report_frozen() returns trigger language plpgsql as $$
    begin
      if old.status = 'published' then
        raise exception '% of a published disclosure report is not allowed', tg_op using errcode = '42501';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$`.execute(db);
  await sql`create trigger disclosure_report_frozen before update or delete on disclosure_report
    for each row execute function disclosure_report_frozen()`.execute(db);
  await enableJurisdiction(db, 'disclosure_report');
  await grantApp(db, 'disclosure_report', 'select, insert, update, delete');
  // Which donations a published report disclosed (the 7-working-day countdown stops there).
  await sql`create table disclosed_donation (
    report_id uuid not null references disclosure_report(id),
    donation_id uuid not null references donation(id),
    org_unit_id uuid not null references org_unit(id),
    primary key (report_id, donation_id)
  )`.execute(db);
  await sql`create index disclosed_donation_donation on disclosed_donation (donation_id)`.execute(db);
  await enableJurisdiction(db, 'disclosed_donation');
  await grantApp(db, 'disclosed_donation', 'select, insert');
}
