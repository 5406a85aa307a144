import { sql } from 'kysely';
import { systemCtx } from '../src/platform/context.ts';
import { issue } from '../src/domains/warehouses/server/warehouses.service.ts';
import { stockCard, stockSummary } from '../src/domains/warehouses/server/warehouses.reports.ts';
import { measure, type BenchEnv, type BenchRow } from './support.ts';

export const name = 'warehouses';
export const description =
  'Relief-supply stock: (1) posting an issue note of one line (first-expired-first-out pick under row locks, conditional update, movement, document, line, audit, one transaction) against the raw statements that move the same stock (insert one movement, update one batch) in one transaction; (2) the stock summary by warehouse, category and unit, and (3) one warehouse’s item rows, and (4) one item’s stock card (收发存) over its movements — each through the service (row-level security, jurisdiction) against the raw aggregate SQL through the same driver. Data: city = 7 warehouses × 1,000 items, province = 54 warehouses × 2,000 items; 8–10 movements per batch (about 56 k and 1.1 M movements; PGlite province 0.5 M).';

/** The bench's data (also used by bench/warehouses.probe.ts to EXPLAIN the report queries on it). */
export async function load(env: BenchEnv) {
  const { deps } = env;
  const db = deps.db;
  const province = env.scale === 'province';
  const nWarehouses = province ? 54 : 7;
  const nItems = province ? 2000 : 1000;
  const movesPerBatch = province ? (env.backend === 'pglite' ? 5 : 10) : 8;
  const counties = await sql<{ id: string }>`select id from org_unit where kind in ('city', 'county') order by path limit ${nWarehouses}`.execute(db);
  const root = await sql<{ id: string }>`select id from org_unit where code = '330800'`.execute(db);
  const t0 = performance.now();
  // Generated as the schema owner with triggers off (bulk load); the service then runs with them on.
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`insert into relief_item (id, org_unit_id, code, name, spec, category, unit, count_unit, shelf_life_months, standard, active, created_at)
      select gen_random_uuid(), ${root.rows[0]!.id}, 'B-' || g, '物资' || g, '规格' || (g % 7), (array['shelter','bedding','clothing','hygiene','family_kit','medical','food_water','equipment','other'])[1 + g % 9], '个', true, null, false, true, now()
      from generate_series(1, ${nItems}) g`.execute(trx);
    let i = 0;
    for (const u of counties.rows) {
      await sql`insert into warehouse (id, org_unit_id, code, name, address, status, opened_on, created_at, grade_checks)
        values (gen_random_uuid(), ${u.id}, ${`BW-${++i}`}, ${`备灾仓库${i}`}, '地址', 'active', '2024-01-01', now(), '[]')`.execute(trx);
    }
    await sql`insert into stock_document (id, org_unit_id, warehouse_id, kind, number, status, occurred_on, source_type, created_at)
      select gen_random_uuid(), w.org_unit_id, w.id, 'receive', 'BENCH-' || w.code, 'posted', '2025-01-01', 'purchase', now() from warehouse w`.execute(trx);
    await sql`insert into stock_batch (id, org_unit_id, warehouse_id, item_id, source_type, document_id, received_qty, on_hand, unit_value_fen, expiry_date, received_on)
      select gen_random_uuid(), w.org_unit_id, w.id, i.id, 'purchase', d.id, 100000, 100000 - (${movesPerBatch} - 1) * 10, 100 + (random() * 10000)::int, date '2026-07-01' + (random() * 1500)::int, '2025-01-01'
      from warehouse w join stock_document d on d.warehouse_id = w.id cross join relief_item i where i.code like 'B-%'`.execute(trx);
    await sql`insert into stock_movement (org_unit_id, batch_id, warehouse_id, item_id, document_id, kind, quantity, occurred_on, created_at)
      select b.org_unit_id, b.id, b.warehouse_id, b.item_id, b.document_id, case when g = 1 then 'receive' else 'issue' end, case when g = 1 then 100000 else -10 end,
        date '2025-01-01' + g, now()
      from stock_batch b cross join generate_series(1, ${movesPerBatch}) g`.execute(trx);
  });
  await sql`analyze`.execute(db);
  const counts = (await sql<{ b: number; m: number }>`select (select count(*)::int from stock_batch) as b, (select count(*)::int from stock_movement) as m`.execute(db)).rows[0]!;
  const loadNote = `${counts.b.toLocaleString('en')} batches, ${counts.m.toLocaleString('en')} movements loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const ctx = systemCtx(deps);
  const wh = (await sql<{ id: string; org_unit_id: string }>`select id, org_unit_id from warehouse order by code limit 1`.execute(db)).rows[0]!;
  const itemIds = (await sql<{ id: string }>`select id from relief_item where code like 'B-%' order by code limit 200`.execute(db)).rows.map((r) => r.id);
  const doc = (await sql<{ id: string }>`select id from stock_document where warehouse_id = ${wh.id}`.execute(db)).rows[0]!.id;
  return { ctx, wh, itemIds, doc, loadNote };
}

export async function run(env: BenchEnv): Promise<BenchRow[]> {
  const db = env.deps.db;
  const { ctx, wh, itemIds, doc, loadNote } = await load(env);
  const rows: BenchRow[] = [];
  const row = (scenario: string, baseline: { mean: number; p95: number } & Record<string, number>, subject: typeof baseline, note?: string): BenchRow => ({ benchmark: name, backend: env.backend, scale: env.scale, scenario, baseline: baseline as never, subject: subject as never, ratio: subject.mean / baseline.mean, ...(note ? { note } : {}) });

  // (1) posting rate
  let k = 0;
  const raw = async () => {
    const itemId = itemIds[k++ % itemIds.length]!;
    await db.transaction().execute(async (trx) => {
      const b = await sql<{ id: string }>`select id from stock_batch where warehouse_id = ${wh.id} and item_id = ${itemId} and on_hand > 0 order by expiry_date limit 1 for update`.execute(trx);
      await sql`insert into stock_movement (org_unit_id, batch_id, warehouse_id, item_id, document_id, kind, quantity, occurred_on, created_at) values (${wh.org_unit_id}, ${b.rows[0]!.id}, ${wh.id}, ${itemId}, ${doc}, 'issue', -1, '2026-05-01', now())`.execute(trx);
      await sql`update stock_batch set on_hand = on_hand - 1 where id = ${b.rows[0]!.id}`.execute(trx);
    });
  };
  const post = () => issue(ctx, { warehouseId: wh.id, occurredOn: '2026-05-01', destination: 'unit', toOrgName: '基准测试单位', lines: [{ itemId: itemIds[k++ % itemIds.length]!, quantity: 1 }] });
  const b1 = await measure(raw, { n: 200, warmup: 20 });
  const s1 = await measure(post, { n: 200, warmup: 20 });
  rows.push(row('post an issue note (1 line)', b1, s1, `${s1.throughput.toFixed(0)} postings/s vs ${b1.throughput.toFixed(0)} raw/s; ${loadNote}`));

  // (2) summary by warehouse / category / unit
  const rawSummary = () => sql`select w.id, i.category, w.org_unit_id, sum(b.on_hand * b.unit_value_fen) from stock_batch b join warehouse w on w.id = b.warehouse_id join relief_item i on i.id = b.item_id
    where b.on_hand > 0 group by grouping sets ((w.id), (i.category), (w.org_unit_id))`.execute(db);
  const b2 = await measure(rawSummary, { n: 20, warmup: 3 });
  const s2 = await measure(() => stockSummary(ctx, {}), { n: 20, warmup: 3 });
  rows.push(row('stock summary (by warehouse, category, unit)', b2, s2));

  // (3) one warehouse's item rows
  const rawRows = () => sql`select b.item_id, sum(b.on_hand), sum(b.on_hand * b.unit_value_fen), min(b.expiry_date) from stock_batch b where b.warehouse_id = ${wh.id} and b.on_hand > 0 group by 1`.execute(db);
  const b3 = await measure(rawRows, { n: 40, warmup: 5 });
  const s3 = await measure(() => stockSummary(ctx, { warehouseId: wh.id }), { n: 40, warmup: 5 });
  rows.push(row('stock summary rows (one warehouse)', b3, s3));

  // (4) stock card of one item
  let j = 0;
  const rawCard = () => sql`select m.occurred_on, m.quantity, d.number from stock_movement m join stock_document d on d.id = m.document_id
    where m.warehouse_id = ${wh.id} and m.item_id = ${itemIds[j++ % itemIds.length]!} order by m.occurred_on, m.id`.execute(db);
  const b4 = await measure(rawCard, { n: 200, warmup: 20 });
  const s4 = await measure(() => stockCard(ctx, wh.id, { itemId: itemIds[j++ % itemIds.length]! }), { n: 200, warmup: 20 });
  rows.push(row('stock card (one item, one warehouse)', b4, s4));
  return rows;
}
