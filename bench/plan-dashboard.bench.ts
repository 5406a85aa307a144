import { sql } from 'kysely';
import { createAccountWithPassword } from '../src/domains/accounts/server/accounts.service.ts';
import { buildApp } from '../src/server/app.ts';
import { measure, type BenchEnv, type BenchRow } from './support.ts';

export const name = 'plan-dashboard';
export const description =
  'The plan dashboard: GET /api/plan/plans/:id/progress (all 14 indicators for the signed-in unit: targets, populations, ratios, status, projection) and GET …/indicators/:code/table (a unit and each child, with the five-year series), over hand-entered figures for every indicator × every unit × five years (generated), against the raw aggregate SQL that sums the same figures per indicator and year for the same subtree through the same driver.';

const PASSWORD = 'Bench-Pass-2026-ok';

export async function run(env: BenchEnv): Promise<BenchRow[]> {
  const { deps } = env;
  const plan = await deps.db.selectFrom('plan').select('id').executeTakeFirstOrThrow();
  const codes = (await deps.db.selectFrom('plan_indicator').select(['code', 'denominator']).where('plan_id', '=', plan.id).execute());
  const entered = codes.filter((c) => c.denominator === 'entered').map((c) => c.code);
  // Every unit of the tree reports every indicator for every year of the period.
  await sql`insert into plan_actual_entry (id, org_unit_id, indicator_code, year, numerator, denominator, source_document, entered_at)
    select gen_random_uuid(), u.id, c.code, y, (random() * 1000)::int, case when c.code = any(${entered}) then 1000 + (random() * 1000)::int end, 'bench', now()
    from org_unit u cross join unnest(${codes.map((c) => c.code)}::text[]) as c(code) cross join generate_series(2021, 2025) as y
    on conflict do nothing`.execute(deps.db);
  await sql`analyze`.execute(deps.db);
  const entries = await sql<{ n: number }>`select count(*)::int as n from plan_actual_entry`.execute(deps.db);
  const unit = async (code: string) => deps.db.selectFrom('org_unit').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
  const city = await unit('330800');
  const county = await unit('330802');
  await createAccountWithPassword(deps, { username: 'bench.plan.city', displayName: 'bench', unitId: city.id, roles: ['leader'], password: PASSWORD });
  await createAccountWithPassword(deps, { username: 'bench.plan.county', displayName: 'bench', unitId: county.id, roles: ['leader'], password: PASSWORD });
  const { app } = await buildApp(deps, { logger: false, serveWeb: false });
  const rows: BenchRow[] = [];
  try {
    for (const who of [{ user: 'bench.plan.city', scope: city.path, label: 'city leader (whole Quzhou)' }, { user: 'bench.plan.county', scope: county.path, label: 'county leader (柯城区)' }]) {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: who.user, password: PASSWORD } });
      const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const hi = who.scope.slice(0, -1) + '0';
      const raw = () =>
        sql`select e.indicator_code, e.year, sum(e.numerator) as n, sum(e.denominator) as d
            from plan_actual_entry e join org_unit u on u.id = e.org_unit_id
            where e.superseded_at is null and u.path >= ${who.scope} and u.path < ${hi} and e.year between 2020 and 2025
            group by 1, 2`.execute(deps.db);
      const get = (url: string) => async () => {
        const r = await app.inject({ method: 'GET', url, headers: { cookie } });
        if (r.statusCode !== 200) throw new Error(`${url} answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
      };
      const baseline = await measure(raw, { n: 40 });
      for (const [label, url] of [
        ['progress (all indicators)', `/api/plan/plans/${plan.id}/progress?year=2025`],
        ['indicator table + series (aed_density)', `/api/plan/plans/${plan.id}/indicators/aed_density/table?year=2025`],
      ] as const) {
        const subject = await measure(get(url), { n: 40 });
        rows.push({
          benchmark: name,
          backend: env.backend,
          scale: env.scale,
          scenario: `${who.label}: ${label}`,
          baseline,
          subject,
          ratio: subject.mean / baseline.mean,
          note: `${entries.rows[0]!.n.toLocaleString('en')} entries in the table`,
        });
      }
    }
  } finally {
    await app.close();
  }
  return rows;
}
