import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>) {
  // The application role every request runs as; NOLOGIN: it is only ever entered with SET ROLE.
  await sql`do $$ begin
    if not exists (select from pg_roles where rolname = 'boai_app') then create role boai_app nologin; end if;
  end $$`.execute(db);
  await sql`do $$ begin execute format('grant boai_app to %I', current_user); exception when others then null; end $$`.execute(db);
  await sql`grant usage on schema public to boai_app`.execute(db);

  // Scope bounds for the policies: every path in the subtree of the scope sorts inside
  // [scope, scope with its final '/' raised to '0') under the C collation, so the bounds can use the
  // btree index on org_unit.path. An unset scope yields NULL: no rows at all (fail closed).
  await sql`create function boai_scope_lo() returns text language sql stable parallel safe as
    $$ select nullif(current_setting('boai.scope', true), '') collate "C" $$`.execute(db);
  await sql`create function boai_scope_hi() returns text language sql stable parallel safe as
    $$ select (left(nullif(current_setting('boai.scope', true), ''), -1) || '0') collate "C" $$`.execute(db);
  await sql`create function boai_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception '% on % is not allowed: the table is append-only', tg_op, tg_table_name
        using errcode = '42501';
    end $$`.execute(db);
}
