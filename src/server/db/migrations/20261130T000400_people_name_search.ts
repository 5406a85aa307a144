import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>) {
  // Row-level security keeps non-leakproof operators (such as the array containment of the name
  // index) from driving an index scan, so a name search under the policy walked the whole table
  // (2 s at 200,000 people). This function finds the candidate ids through the GIN index as the
  // owner; the calling query then reads those rows by primary key under the policy, which still
  // decides what the caller sees. It returns ids only.
  await sql`create function boai_people_named(p_grams text[], p_like text) returns setof uuid
    language sql stable security definer set search_path = public as
    $$ select id from person where name_grams @> p_grams and lower(name) like lower(p_like) and merged_into is null $$`.execute(db);
  await sql`revoke all on function boai_people_named(text[], text) from public`.execute(db);
  await sql`grant execute on function boai_people_named(text[], text) to boai_app`.execute(db);
}
