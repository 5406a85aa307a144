import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb } from './support/harness.ts';

/** Tables the application role may use that belong to no county: each with its reason. */
const GLOBAL_TABLES: Record<string, string> = {
  role: 'roles are one catalogue for the installation; writes need a whole-tree security administrator',
  role_permission: 'part of the role catalogue',
  user_role: 'reachable only through users, which are jurisdiction-scoped',
  known_permission: 'the list of permissions the installation has seen',
  session: 'read only by the sign-in code, by the hash of the caller’s own cookie',
  audit_chain_head: 'one row: the head of the audit hash chain',
  work_calendar_day: 'the working-day calendar: one for the whole city, no personal data; writes need a whole-tree administrator',
  app_setting: 'business parameters: one set for the whole city; writes need a whole-tree administrator',
  log_head: 'the public ledger (transparency log) is one log for the installation and public by design; no personal data',
  log_entry: 'public ledger entries: public by design, persons only as salted commitments',
  log_node: 'public ledger tree hashes',
  log_link: 'maps business rows to public ledger indexes (ids only)',
  checkpoint: 'signed ledger checkpoints: public by design',
  checkpoint_cosignature: 'witness cosignatures of ledger checkpoints: public by design',
};

describeDb('schema rules', (h) => {
  it('puts every table with an org_unit_id under a jurisdiction policy, and nothing else outside one unnoticed', async () => {
    const db = h().deps.db;
    const tables = await sql<{ table: string; rls: boolean; has_unit: boolean; policies: number; app_can_select: boolean }>`
      select c.relname as table, c.relrowsecurity as rls,
        exists (select 1 from information_schema.columns col where col.table_schema = 'public' and col.table_name = c.relname and col.column_name = 'org_unit_id') as has_unit,
        (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) as policies,
        has_table_privilege('boai_app', c.oid, 'select') as app_can_select
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'`.execute(db);
    const problems: string[] = [];
    for (const t of tables.rows) {
      if (t.has_unit && (!t.rls || t.policies === 0)) problems.push(`${t.table}: has org_unit_id but no row-level security policy`);
      if (t.app_can_select && !t.rls && !GLOBAL_TABLES[t.table]) problems.push(`${t.table}: readable by boai_app without a policy and not declared global`);
    }
    expect(problems).toEqual([]);
    expect(tables.rows.filter((t) => t.has_unit).length).toBeGreaterThanOrEqual(2);
  });

  it('gives the application role no way to rewrite the audit log', async () => {
    const r = await sql<{ u: boolean; d: boolean; t: boolean }>`select has_table_privilege('boai_app', 'audit_log', 'update') as u,
      has_table_privilege('boai_app', 'audit_log', 'delete') as d, has_table_privilege('boai_app', 'audit_log', 'truncate') as t`.execute(h().deps.db);
    expect(r.rows[0]).toEqual({ u: false, d: false, t: false });
  });

  it('sees nothing at all when no scope is set (fail closed)', async () => {
    const n = await h().deps.db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'boai_app', true)`.execute(trx);
      const units = await sql<{ n: number }>`select count(*)::int as n from org_unit`.execute(trx);
      const users = await sql<{ n: number }>`select count(*)::int as n from app_user`.execute(trx);
      return units.rows[0]!.n + users.rows[0]!.n;
    });
    expect(n).toBe(0);
  });
});
