import { sql, type Kysely } from 'kysely';
import { grantApp } from '../rls.ts';

export async function up(db: Kysely<any>) {
  await sql`create table audit_log (
    seq bigint primary key check (seq >= 1),
    at timestamptz not null,
    actor_id uuid,
    actor_username text,
    actor_unit_id uuid,
    org_unit_id uuid,
    action text not null,
    entity_type text,
    entity_id text,
    result text not null check (result in ('success','failure','denied')),
    request_id text,
    ip text,
    before jsonb,
    after jsonb,
    details jsonb,
    payload text not null,
    prev_hash text not null,
    hash text not null
  )`.execute(db);
  await sql`create index audit_log_at on audit_log (at desc, seq desc)`.execute(db);
  await sql`create index audit_log_entity on audit_log (entity_type, entity_id, seq)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_id, seq)`.execute(db);
  await sql`create index audit_log_unit on audit_log (org_unit_id, seq)`.execute(db);
  for (const op of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`audit_log_no_${op}`)} before ${sql.raw(op)} on audit_log
      for each row execute function boai_refuse_change()`.execute(db);
  }
  await sql`create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function boai_refuse_change()`.execute(db);
  await sql`alter table audit_log enable row level security`.execute(db);
  // Readers see the events of units in their scope; events that concern no unit (system events)
  // only a scope that holds a root of the tree sees. Every caller may append.
  await sql`create policy read_in_scope on audit_log for select to boai_app using (
    (org_unit_id is null and exists (select 1 from org_unit where parent_id is null
       and path >= boai_scope_lo() and path < boai_scope_hi()))
    or org_unit_id in (select id from org_unit where path >= boai_scope_lo() and path < boai_scope_hi()))`.execute(db);
  await sql`create policy append on audit_log for insert to boai_app with check (true)`.execute(db);
  await grantApp(db, 'audit_log', 'select, insert');

  await sql`create table audit_chain_head (
    id int primary key default 1 check (id = 1),
    seq bigint not null,
    hash text not null
  )`.execute(db);
  await sql`insert into audit_chain_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
  await grantApp(db, 'audit_chain_head', 'select, update');
}
