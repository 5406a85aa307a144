import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  await sql`create table import_job (
    id uuid primary key,
    registry text not null,
    org_unit_id uuid not null references org_unit(id),
    actor_id uuid not null,
    file_name text not null,
    file_sha256 text not null,
    status text not null check (status in ('queued','validating','importing','done','failed','cancelled')),
    total_rows int,
    processed_rows int not null default 0,
    error_count int not null default 0,
    inserted_count int not null default 0,
    message text,
    message_params jsonb,
    report_file text,
    validation_ms int,
    insert_ms int,
    created_at timestamptz not null,
    finished_at timestamptz
  )`.execute(db);
  // The same file imported into the same unit succeeds once (security.md item 28).
  await sql`create unique index import_job_file_done on import_job (registry, org_unit_id, file_sha256) where status = 'done'`.execute(db);
  await sql`create index import_job_unit on import_job (org_unit_id, created_at desc)`.execute(db);
  await enableJurisdiction(db, 'import_job');
  await grantApp(db, 'import_job', 'select, insert, update');
}
