import { sql } from 'kysely';
import { registerIndicatorProvider } from '../../plan/server/plan.providers.ts';
import { registerRaisedProvider } from '../../projects/server/projects.service.ts';

/**
 * `fundraising_total` for the plan: confirmed donations — money plus goods at their recorded value —
 * per receiving unit and year, in 万元. Reversed gifts do not count. Computed under the
 * caller's jurisdiction like every read.
 */
export function registerDonationIndicators() {
  registerIndicatorProvider({
    code: 'fundraising_total',
    domain: 'donations',
    async compute(ctx, q) {
      const hi = `${q.scopePath.slice(0, -1)}0`;
      const r = await ctx.run((trx) =>
        sql<{ path: string; year: number; fen: string }>`
          select u.path, extract(year from d.received_on)::int as year, sum(d.amount_fen + d.goods_value_fen)::text as fen
          from donation d join org_unit u on u.id = d.org_unit_id
          where d.status = 'confirmed' and d.received_on >= make_date(${q.fromYear}, 1, 1) and d.received_on < make_date(${q.toYear + 1}, 1, 1)
            and u.path >= ${q.scopePath} and u.path < ${hi}
          group by 1, 2`.execute(trx),
      );
      return r.rows.map((x) => ({ unitPath: x.path, year: x.year, numerator: Number(x.fen) / 1_000_000 }));
    },
  });
}

/** "Raised" on the project library and the public project pages: confirmed gifts designated to each project. */
export function registerProjectRaised() {
  registerRaisedProvider(async (ctx, projectIds) => {
    if (projectIds.length === 0) return new Map();
    const r = await ctx.run((trx) =>
      sql<{ project_id: string; fen: string }>`select project_id, sum(amount_fen)::text as fen from donation
        where status = 'confirmed' and project_id in (${sql.join([...projectIds])}) group by 1`.execute(trx),
    );
    return new Map(r.rows.map((x) => [x.project_id, Number(x.fen)]));
  });
}
