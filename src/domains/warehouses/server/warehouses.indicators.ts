import { sql } from 'kysely';
import { registerIndicatorProvider } from '../../plan/server/plan.providers.ts';

/**
 * `relief_warehouses` (备灾救灾仓库, end of period) for the plan: the warehouses in use at the end of each
 * year, per owning unit; the plan rolls them up the tree, so "every county has a warehouse" reads as each
 * county's figure ≥ 1 (and `countyCoverage` in warehouses.reports.ts lists the counties without one).
 * The plan has no indicator for stock value: `stockValueByUnit` exposes it to screens instead.
 */
export function registerWarehouseIndicators() {
  registerIndicatorProvider({
    code: 'relief_warehouses',
    domain: 'warehouses',
    async compute(ctx, q) {
      const hi = `${q.scopePath.slice(0, -1)}0`;
      const r = await ctx.run((trx) =>
        sql<{ path: string; year: number; n: number }>`
          select u.path, y.year, (count(w.id) filter (where w.opened_on <= make_date(y.year, 12, 31) and (w.closed_on is null or w.closed_on > make_date(y.year, 12, 31))))::int as n
          from warehouse w join org_unit u on u.id = w.org_unit_id
            cross join generate_series(${q.fromYear}::int, ${q.toYear}::int) as y(year)
          where u.path >= ${q.scopePath} and u.path < ${hi}
          group by 1, 2`.execute(trx),
      );
      // Every year of every unit that ever had a warehouse, zeros included: a closed warehouse must not be carried forward.
      return r.rows.map((x) => ({ unitPath: x.path, year: x.year, numerator: x.n }));
    },
  });
}
