import { sql } from 'kysely';
import { createAccountWithPassword } from '../src/domains/accounts/server/accounts.service.ts';
import { buildApp } from '../src/server/app.ts';
import { measure, type BenchEnv, type BenchRow } from './support.ts';

export const name = 'orgs-list';
export const description =
  'GET /api/orgs?limit=50 signed in (session lookup, permission check, row-level-security scoped transaction, JSON schema serialisation) against the same page fetched with raw SQL (scope written into the query, no session, no HTTP) through the same Kysely driver.';

const PASSWORD = 'Bench-Pass-2026-ok';

export async function run(env: BenchEnv): Promise<BenchRow[]> {
  const { deps } = env;
  const unit = async (code: string) => (await deps.db.selectFrom('org_unit').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow());
  const city = await unit('330800');
  const county = await unit('330802');
  await createAccountWithPassword(deps, { username: 'bench.city', displayName: 'bench', unitId: city.id, roles: ['staff'], password: PASSWORD });
  await createAccountWithPassword(deps, { username: 'bench.county', displayName: 'bench', unitId: county.id, roles: ['staff'], password: PASSWORD });
  const { app } = await buildApp(deps, { logger: false, serveWeb: false });
  const rows: BenchRow[] = [];
  try {
    for (const who of [{ user: 'bench.city', scope: city.path, label: 'city user (whole Quzhou tree)' }, { user: 'bench.county', scope: county.path, label: 'county user (柯城区 subtree)' }]) {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: who.user, password: PASSWORD } });
      const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const hi = who.scope.slice(0, -1) + '0';
      const raw = () =>
        sql`select u.*, (select count(*)::int from org_unit c where c.parent_id = u.id) as child_count
            from org_unit u where u.path >= ${who.scope} and u.path < ${hi} order by u.path limit 51`.execute(deps.db);
      const endpoint = async () => {
        const r = await app.inject({ method: 'GET', url: '/api/orgs?limit=50', headers: { cookie } });
        if (r.statusCode !== 200) throw new Error(`endpoint answered ${r.statusCode}`);
      };
      for (const concurrency of env.backend === 'postgres' ? [1, 8] : [1]) {
        const baseline = await measure(raw, { concurrency });
        const subject = await measure(endpoint, { concurrency });
        rows.push({
          benchmark: name,
          backend: env.backend,
          scale: env.scale,
          scenario: `${who.label}, ${concurrency} concurrent`,
          baseline,
          subject,
          ratio: subject.mean / baseline.mean,
          note: concurrency > 1 ? `throughput ${subject.throughput.toFixed(0)} vs ${baseline.throughput.toFixed(0)} req/s` : undefined,
        });
      }
    }
  } finally {
    await app.close();
  }
  return rows;
}
