import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>) {
  // The children of a unit the caller can see are inside the caller's subtree too, so counting
  // them past the row-level policy reveals nothing; done as the owner it uses the parent index
  // instead of walking the scope's path range (see docs/benchmarks.md, orgs-list).
  await sql`create function boai_org_child_count(p_unit uuid) returns int
    language sql stable security definer set search_path = public as
    $$ select count(*)::int from org_unit where parent_id = p_unit $$`.execute(db);
  await sql`revoke all on function boai_org_child_count(uuid) from public`.execute(db);
  await sql`grant execute on function boai_org_child_count(uuid) to boai_app`.execute(db);
}
