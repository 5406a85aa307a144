import { sql, type Kysely } from 'kysely';
import { enableJurisdiction, grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  await sql`create table attachment (
    id uuid primary key,
    org_unit_id uuid not null references org_unit(id),
    owner_type text not null,
    owner_id uuid not null,
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint not null check (size > 0),
    content_type text not null,
    file_name text not null,
    note text,
    created_by uuid,
    created_by_name text,
    created_at timestamptz not null,
    deleted_at timestamptz
  )`.execute(db);
  await sql`create index attachment_owner on attachment (owner_type, owner_id, created_at)`.execute(db);
  await enableJurisdiction(db, 'attachment');
  await grantApp(db, 'attachment', 'select, insert, update');
}
