import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>) {
  // Codes are unique across the whole tree; a county user choosing a code must learn that it is
  // taken without seeing the unit that holds it. SECURITY DEFINER runs as the owner, past the
  // row-level policies, and returns only a boolean.
  await sql`create function boai_org_code_taken(p_code text, p_except uuid) returns boolean
    language sql stable security definer set search_path = public as
    $$ select exists (select 1 from org_unit where code = p_code and (p_except is null or id <> p_except)) $$`.execute(db);
  await sql`revoke all on function boai_org_code_taken(text, uuid) from public`.execute(db);
  await sql`grant execute on function boai_org_code_taken(text, uuid) to boai_app`.execute(db);
}
