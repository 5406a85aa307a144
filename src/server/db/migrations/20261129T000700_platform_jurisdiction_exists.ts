import { sql, type Kysely } from 'kysely';
import { createJurisdictionPolicy } from '../rls.ts';

export async function up(db: Kysely<any>) {
  // Re-create the jurisdiction policies of the tables made before the policy became a correlated
  // EXISTS (see rls.ts); databases made from here on get that form directly.
  for (const table of ['org_population', 'app_user']) {
    await sql`drop policy if exists jurisdiction on ${sql.table(table)}`.execute(db);
    await createJurisdictionPolicy(db, table);
  }
}
