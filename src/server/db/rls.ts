import { sql, type Kysely } from 'kysely';

/**
 * Jurisdiction lives in the database (docs/decisions/0005). Application queries run as the role
 * `boai_app` with the caller's scope — the materialised path of their unit — in the transaction
 * setting `boai.scope`; row-level security policies hide and refuse every row outside it. A table
 * that carries an `org_unit_id` gets its policy from here, and a schema test fails for any such
 * table without one.
 */
export const APP_ROLE = 'boai_app';

export async function enableJurisdiction(db: Kysely<any>, table: string, column = 'org_unit_id') {
  await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  await sql`create policy jurisdiction on ${sql.table(table)} to boai_app
    using (${sql.ref(column)} in (select id from org_unit where path >= boai_scope_lo() and path < boai_scope_hi()))
    with check (${sql.ref(column)} in (select id from org_unit where path >= boai_scope_lo() and path < boai_scope_hi()))`.execute(db);
}

export async function grantApp(db: Kysely<any>, table: string, privileges: string) {
  // Privilege lists are constants written in migrations, never input.
  await sql`grant ${sql.raw(privileges)} on ${sql.table(table)} to boai_app`.execute(db);
}
