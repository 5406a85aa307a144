import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { ActualEntry, BaselineRow, Indicator, Target, TargetBasis } from '../plan.contract.ts';
import type { PlanActualEntryTable, PlanBaselineTable, PlanIndicatorTable, PlanTable, PlanTargetTable } from './plan.tables.ts';

type Db = Kysely<DB>;

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export async function listPlans(db: Db) {
  return db.selectFrom('plan').selectAll().select(sql<string>`boai_unit_name(plan.org_unit_id)`.as('owner_name')).orderBy('period_start', 'desc').orderBy('name').execute();
}

export async function getPlan(db: Db, id: string) {
  return db.selectFrom('plan').selectAll().select(sql<string>`boai_unit_name(plan.org_unit_id)`.as('owner_name')).where('id', '=', id).executeTakeFirst();
}

export async function insertPlan(db: Db, row: Insertable<PlanTable>) {
  return db.insertInto('plan').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updatePlan(db: Db, id: string, version: number, patch: Updateable<PlanTable>) {
  return db
    .updateTable('plan')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function listIndicators(db: Db, planId: string) {
  return db
    .selectFrom('plan_indicator')
    .selectAll()
    .select(sql<string | null>`boai_unit_name(plan_indicator.responsible_unit_id)`.as('responsible_name'))
    .where('plan_id', '=', planId)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export type IndicatorRow = Awaited<ReturnType<typeof listIndicators>>[number];

export function toIndicator(r: IndicatorRow, computed: boolean): Indicator {
  return {
    id: r.id,
    planId: r.plan_id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    category: r.category as Indicator['category'],
    unit: r.unit,
    numeratorUnit: r.numerator_unit,
    kind: r.kind as Indicator['kind'],
    direction: r.direction as Indicator['direction'],
    target: num(r.target),
    targetScope: r.target_scope as Indicator['targetScope'],
    denominator: r.denominator as Indicator['denominator'],
    scale: r.scale as Indicator['scale'],
    rankTarget: r.rank_target,
    sourceDomain: r.source_domain,
    responsibleUnitId: r.responsible_unit_id,
    responsibleUnitName: r.responsible_name,
    description: r.description,
    sortOrder: r.sort_order,
    computed,
    version: r.version,
  };
}

export async function insertIndicator(db: Db, row: Insertable<PlanIndicatorTable>) {
  return db.insertInto('plan_indicator').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateIndicator(db: Db, id: string, version: number, patch: Updateable<PlanIndicatorTable>) {
  return db
    .updateTable('plan_indicator')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function listTargets(db: Db, planId: string) {
  return db
    .selectFrom('plan_target as t')
    .innerJoin('plan_indicator as i', 'i.id', 't.indicator_id')
    .selectAll('t')
    .select(['i.code as indicator_code', sql<string>`boai_unit_name(t.unit_id)`.as('unit_name'), sql<string | null>`boai_unit_code(t.unit_id)`.as('unit_code')])
    .where('t.plan_id', '=', planId)
    .orderBy('i.sort_order')
    .orderBy('t.basis')
    .orderBy(sql`coalesce(t.year, 9999)`)
    .execute();
}

export type TargetRowDb = Awaited<ReturnType<typeof listTargets>>[number];

export function toTarget(r: TargetRowDb): Target {
  return {
    id: r.id,
    indicatorCode: r.indicator_code,
    unitId: r.unit_id,
    unitName: r.unit_name,
    unitCode: r.unit_code,
    year: r.year,
    basis: r.basis as TargetBasis,
    value: Number(r.value),
    statedTotal: r.stated_total,
    source: r.source,
    note: r.note,
  };
}

export async function upsertTarget(db: Db, row: Insertable<PlanTargetTable>) {
  // The unique key is an expression (coalesce(year, 0)), so the upsert is spelt out.
  const existing = await db
    .selectFrom('plan_target')
    .select('id')
    .where('indicator_id', '=', row.indicator_id)
    .where('unit_id', '=', row.unit_id)
    .where(sql<boolean>`coalesce(year, 0) = ${row.year ?? 0}`)
    .where('basis', '=', row.basis)
    .executeTakeFirst();
  if (existing) {
    const { id: _id, ...rest } = row;
    return db.updateTable('plan_target').set(rest).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  }
  return db.insertInto('plan_target').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function getTarget(db: Db, planId: string, id: string) {
  return db.selectFrom('plan_target').selectAll().where('plan_id', '=', planId).where('id', '=', id).executeTakeFirst();
}

export async function deleteTarget(db: Db, id: string) {
  return db.deleteFrom('plan_target').where('id', '=', id).execute();
}

export async function deleteTargets(db: Db, indicatorId: string, unitId: string, basis: TargetBasis) {
  return db.deleteFrom('plan_target').where('indicator_id', '=', indicatorId).where('unit_id', '=', unitId).where('basis', '=', basis).execute();
}

export async function listBaseline(db: Db, planId: string) {
  return db.selectFrom('plan_baseline').selectAll().where('plan_id', '=', planId).orderBy('sort_order').execute();
}

export function toBaseline(r: Selectable<PlanBaselineTable>): BaselineRow {
  return { id: r.id, item: r.item, previousTarget: r.previous_target, result: r.result, indicatorCode: r.indicator_code, resultValue: num(r.result_value), sortOrder: r.sort_order };
}

export async function insertBaseline(db: Db, rows: Insertable<PlanBaselineTable>[]) {
  if (rows.length) await db.insertInto('plan_baseline').values(rows).execute();
}

/**
 * Current manual figures in a subtree, summed per indicator, year and bucket: the bucket is the
 * child of the subtree's root that holds the entry's unit (or the root itself for its own entries),
 * named by its id. Paths are fixed-width ('/' + 37 characters per level), so the child's id sits at
 * a known place in every descendant's path. Buckets are grouped as uuids: hashing 16 bytes is
 * several times cheaper than sorting path prefixes (docs/benchmarks.md, plan-dashboard).
 */
export async function manualFigures(db: Db, q: { rootId: string; rootPath: string; rootDepth: number; codes: readonly string[]; stockCodes: readonly string[]; fromYear: number; toYear: number }) {
  if (q.codes.length === 0) return [];
  const ownLen = 1 + 37 * (q.rootDepth + 1);
  const childAt = ownLen + 1;
  const hi = `${q.rootPath.slice(0, -1)}0`;
  const buckets = sql`select id, case when length(path) = ${ownLen} then ${q.rootId}::uuid else substring(path, ${childAt}, 36)::uuid end as bucket,
      length(path) = ${ownLen} as own
    from org_unit where path >= ${q.rootPath} and path < ${hi}`;
  type Row = { indicator_code: string; year: number; bucket: string; numerator: string; denominator: string | null; rank: number | null };
  const flows = q.codes.filter((c) => !q.stockCodes.includes(c));
  const rows: Row[] = [];
  if (flows.length) {
    // No filter on the code: testing it on every row costs more (PGlite) than summing the few
    // other indicators' rows and dropping them here.
    const wanted = new Set(flows);
    const r = await sql<Row>`
      with b as materialized (${buckets})
      select e.indicator_code, e.year, b.bucket, sum(e.numerator)::text as numerator, sum(e.denominator)::text as denominator,
        min(e.rank) filter (where b.own) as rank
      from plan_actual_entry e join b on b.id = e.org_unit_id
      where e.superseded_at is null and e.year between ${q.fromYear} and ${q.toYear}
      group by 1, 2, 3`.execute(db);
    rows.push(...r.rows.filter((x) => wanted.has(x.indicator_code)));
  }
  if (q.stockCodes.length) {
    // End-of-period values are stocks: at the end of each year every unit counts with its latest
    // figure so far, so a unit that reported last year is not dropped from this year's total. An
    // entry holds from its year until the unit's next entry.
    const r = await sql<Row>`
      with b as materialized (${buckets}),
      s as (
        select e.indicator_code, e.year, e.numerator, e.denominator, e.rank, b.bucket, b.own,
          lead(e.year) over (partition by e.indicator_code, e.org_unit_id order by e.year) as next_year
        from plan_actual_entry e join b on b.id = e.org_unit_id
        where e.superseded_at is null and e.indicator_code = any(${q.stockCodes}::text[]) and e.year between ${q.fromYear} and ${q.toYear}
      )
      select s.indicator_code, y.y as year, s.bucket, sum(s.numerator)::text as numerator, sum(s.denominator)::text as denominator,
        min(case when s.year = y.y then s.rank end) filter (where s.own) as rank
      from s join generate_series(${q.fromYear}::int, ${q.toYear}::int) as y(y) on y.y >= s.year and y.y < coalesce(s.next_year, ${q.toYear + 1})
      group by 1, 2, 3`.execute(db);
    rows.push(...r.rows);
  }
  return rows.map((x) => ({ code: x.indicator_code, year: x.year, bucket: x.bucket, numerator: Number(x.numerator), denominator: num(x.denominator), rank: x.rank }));
}

export async function currentEntry(db: Db, code: string, unitId: string, year: number) {
  return db.selectFrom('plan_actual_entry').selectAll().where('indicator_code', '=', code).where('org_unit_id', '=', unitId).where('year', '=', year).where('superseded_at', 'is', null).executeTakeFirst();
}

export async function insertEntry(db: Db, row: Insertable<PlanActualEntryTable>) {
  return db.insertInto('plan_actual_entry').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function supersede(db: Db, id: string, at: Date, by: string) {
  return db.updateTable('plan_actual_entry').set({ superseded_at: at, superseded_by: by }).where('id', '=', id).where('superseded_at', 'is', null).execute();
}

export async function getEntry(db: Db, id: string) {
  return db.selectFrom('plan_actual_entry').selectAll().select(sql<string>`boai_unit_name(org_unit_id)`.as('unit_name')).where('id', '=', id).executeTakeFirst();
}

export async function listEntries(db: Db, q: { codes: readonly string[]; unitId?: string | undefined; year?: number | undefined; history: boolean }) {
  if (q.codes.length === 0) return [];
  let s = db
    .selectFrom('plan_actual_entry')
    .selectAll()
    .select(sql<string>`boai_unit_name(org_unit_id)`.as('unit_name'))
    .where('indicator_code', 'in', q.codes);
  if (q.unitId) s = s.where('org_unit_id', '=', q.unitId);
  if (q.year) s = s.where('year', '=', q.year);
  if (!q.history) s = s.where('superseded_at', 'is', null);
  return s.orderBy('indicator_code').orderBy('year', 'desc').orderBy('entered_at', 'desc').limit(2000).execute();
}

export type EntryRow = Awaited<ReturnType<typeof listEntries>>[number];

export function toEntry(r: EntryRow, replacedByComputed: boolean): ActualEntry {
  return {
    id: r.id,
    indicatorCode: r.indicator_code,
    unitId: r.org_unit_id,
    unitName: r.unit_name,
    year: r.year,
    numerator: Number(r.numerator),
    denominator: num(r.denominator),
    rank: r.rank,
    sourceDocument: r.source_document,
    note: r.note,
    enteredBy: r.entered_by_name,
    enteredAt: r.entered_at.toISOString(),
    supersededAt: r.superseded_at?.toISOString() ?? null,
    replacedByComputed,
  };
}
