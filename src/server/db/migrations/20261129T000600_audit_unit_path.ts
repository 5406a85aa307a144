import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>) {
  // Who may read an audit row is decided by where its unit sat in the tree when the event
  // happened, recorded with the row: the rows about a unit stay readable after the unit is
  // deleted, and reading needs no join.
  await sql`alter table audit_log add column unit_path text collate "C"`.execute(db);
  // Filling the new column on existing rows is the one update the append-only rule lets through:
  // unit_path is derived and not part of the hashed payload.
  await sql`alter table audit_log disable trigger audit_log_no_update`.execute(db);
  await sql`update audit_log a set unit_path = o.path from org_unit o where o.id = a.org_unit_id`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_update`.execute(db);
  await sql`create function boai_audit_unit_path() returns trigger language plpgsql security definer set search_path = public as $$
    begin
      new.unit_path := (select path from org_unit where id = new.org_unit_id);
      return new;
    end $$`.execute(db);
  await sql`create trigger audit_log_unit_path before insert on audit_log for each row execute function boai_audit_unit_path()`.execute(db);
  await sql`create index audit_log_unit_path on audit_log (unit_path, seq)`.execute(db);
  await sql`drop policy read_in_scope on audit_log`.execute(db);
  await sql`create policy read_in_scope on audit_log for select to boai_app using (
    (unit_path is null and exists (select 1 from org_unit where parent_id is null
       and path >= boai_scope_lo() and path < boai_scope_hi()))
    or (unit_path >= boai_scope_lo() and unit_path < boai_scope_hi()))`.execute(db);
}
