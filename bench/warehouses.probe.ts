/**
 * EXPLAIN ANALYZE of the one-warehouse stock summary on the bench's data, as the app role with the
 * whole province in scope (as ctx.run sets it). `DATABASE_URL=… npx tsx bench/warehouses.probe.ts [city|province] [pglite|postgres]`.
 */
import { sql } from 'kysely';
import { openBenchEnv } from './support.ts';
import { load } from './warehouses.bench.ts';
import { stockSummary, stockSummarySql } from '../src/domains/warehouses/server/warehouses.reports.ts';

const scale = (process.argv[2] ?? 'province') as 'city' | 'province';
const backend = (process.argv[3] ?? 'postgres') as 'pglite' | 'postgres';
const env = await openBenchEnv(backend, scale);
try {
  const { ctx, wh } = await load(env);
  const db = env.deps.db;
  const queries = stockSummarySql(sql`true`, { warehouseId: wh.id });
  for (const [name, q] of Object.entries(queries)) {
    await db.transaction().execute(async (trx) => {
      await sql`select set_config('role', 'boai_app', true), set_config('boai.scope', '/', true), set_config('jit', 'off', true)`.execute(trx);
      const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${q}`.execute(trx);
      const lines = r.rows.map((x) => x['QUERY PLAN']);
      console.log(`--- ${name}\n${(process.env.VERBOSE ? lines : lines.filter((l) => /Execution Time|Rows Removed by Join|Nested Loop|Hash|Merge|rows=/.test(l)).slice(0, 40)).join('\n')}`);
    });
  }
  // Each statement alone, as the app role and as the owner (no row policy), best of 5.
  const raw = sql`select b.item_id, sum(b.on_hand), sum(b.on_hand * b.unit_value_fen), min(b.expiry_date) from stock_batch b where b.warehouse_id = ${wh.id} and b.on_hand > 0 group by 1`;
  for (const [name, q] of Object.entries({ ...queries, raw })) {
    for (const role of ['boai_app', 'owner']) {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        await db.transaction().execute(async (trx) => {
          if (role === 'boai_app') await sql`select set_config('role', 'boai_app', true), set_config('boai.scope', '/', true), set_config('jit', 'off', true)`.execute(trx);
          const t = performance.now();
          await q.execute(trx);
          best = Math.min(best, performance.now() - t);
        });
      }
      console.log(`${name} as ${role}: ${best.toFixed(1)} ms`);
    }
  }
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await stockSummary(ctx, { warehouseId: wh.id });
    console.log(`stockSummary(one warehouse) ${(performance.now() - t).toFixed(1)} ms`);
  }
} finally {
  await env.close();
}
