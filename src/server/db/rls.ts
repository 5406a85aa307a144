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
  await createJurisdictionPolicy(db, table, column);
}

/**
 * The policy is a correlated EXISTS on the unit's primary key: a lookup of one row costs one index
 * probe whatever the scope, where `org_unit_id in (select id from org_unit where …)` made the
 * planner hash every unit of the scope first (35 ms at province scale; docs/benchmarks.md).
 */
export async function createJurisdictionPolicy(db: Kysely<any>, table: string, column = 'org_unit_id') {
  const inScope = sql`exists (select 1 from org_unit scope_unit where scope_unit.id = ${sql.ref(`${table}.${column}`)}
    and scope_unit.path >= boai_scope_lo() and scope_unit.path < boai_scope_hi())`;
  await sql`create policy jurisdiction on ${sql.table(table)} to boai_app using (${inScope}) with check (${inScope})`.execute(db);
}

export async function grantApp(db: Kysely<any>, table: string, privileges: string) {
  // Privilege lists are constants written in migrations, never input.
  await sql`grant ${sql.raw(privileges)} on ${sql.table(table)} to boai_app`.execute(db);
}
