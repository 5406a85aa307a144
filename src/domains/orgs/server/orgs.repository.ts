import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { OrgUnit, Population } from '../orgs.contract.ts';
import type { OrgPopulationTable, OrgUnitTable } from './orgs.tables.ts';

type Db = Kysely<DB>;
type UnitRow = Selectable<OrgUnitTable> & { child_count: number };

function unitSelect(db: Db) {
  // Counting children as the owner is safe: a visible unit's children are in the same subtree.
  return db.selectFrom('org_unit as u').selectAll('u').select(sql<number>`boai_org_child_count(u.id)`.as('child_count'));
}

export function toUnit(r: UnitRow): OrgUnit {
  return {
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    name: r.name,
    shortName: r.short_name,
    kind: r.kind as OrgUnit['kind'],
    depth: r.depth,
    synthetic: r.synthetic,
    sortOrder: r.sort_order,
    childCount: r.child_count ?? 0,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

export type UnitFilter = {
  parentId?: string;
  rootsOnly?: boolean;
  kind?: string;
  q?: string;
  maxDepth?: number;
  afterPath?: string;
  /** Children of one parent come in their display order (sort order, name, id). */
  afterSibling?: { o: number; n: string; i: string };
};

/** Units visible to the transaction's scope, in tree (path) order. */
export async function listUnits(db: Db, f: UnitFilter, limit: number) {
  let q = unitSelect(db);
  if (f.parentId) q = q.where('u.parent_id', '=', f.parentId);
  if (f.rootsOnly) {
    // A root of the visible tree: its parent is not visible (or it has none).
    q = q.where((eb) => eb.or([eb('u.parent_id', 'is', null), eb.not(eb.exists(eb.selectFrom('org_unit as p').whereRef('p.id', '=', 'u.parent_id').select('p.id')))]));
  }
  if (f.kind) q = q.where('u.kind', '=', f.kind);
  if (f.q) {
    const like = '%' + f.q.replace(/[\\%_]/g, '\\$&') + '%';
    q = q.where((eb) => eb.or([eb('u.name', 'like', like), eb('u.code', 'like', like), eb('u.short_name', 'like', like)]));
  }
  if (f.maxDepth !== undefined) q = q.where('u.depth', '<=', f.maxDepth);
  if (f.parentId) {
    const a = f.afterSibling;
    if (a) q = q.where((eb) => eb(eb.refTuple('u.sort_order', 'u.name', 'u.id'), '>', eb.tuple(a.o, a.n, a.i)));
    return q.orderBy('u.sort_order').orderBy('u.name').orderBy('u.id').limit(limit).execute();
  }
  if (f.afterPath) q = q.where('u.path', '>', f.afterPath);
  return q.orderBy('u.path').limit(limit).execute();
}

export async function getUnit(db: Db, id: string) {
  return unitSelect(db).where('u.id', '=', id).executeTakeFirst();
}

export async function getUnitByCode(db: Db, code: string) {
  return db.selectFrom('org_unit').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function codeTaken(db: Db, code: string, exceptId?: string) {
  // Codes are unique across the whole tree, also outside the caller's scope: ask the database via
  // a function that does not reveal which unit holds it.
  const r = await sql<{ taken: boolean }>`select boai_org_code_taken(${code}, ${exceptId ?? null}::uuid) as taken`.execute(db);
  return r.rows[0]?.taken ?? false;
}

/** Ancestors of a path that the scope can see, top first. */
export async function ancestorsOf(db: Db, path: string) {
  const ids = path.split('/').filter(Boolean).slice(0, -1);
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('org_unit').select(['id', 'name', 'kind', 'depth']).where('id', 'in', ids).orderBy('depth').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as OrgUnit['kind'] }));
}

export async function insertUnit(db: Db, row: {
  id: string; parent_id: string | null; code: string | null; name: string; short_name: string | null; kind: string;
  path: string; depth: number; synthetic?: boolean; sort_order?: number; now: Date;
}) {
  const { now, ...rest } = row;
  await db.insertInto('org_unit').values({ ...rest, created_at: now, updated_at: now, version: 1 }).execute();
}

export async function updateUnit(db: Db, id: string, expectedVersion: number, patch: Partial<{
  parent_id: string | null; code: string | null; name: string; short_name: string | null; kind: string; sort_order: number;
}>, now: Date) {
  return db
    .updateTable('org_unit')
    .set({ ...patch, updated_at: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning('id')
    .executeTakeFirst();
}

/** Re-roots a subtree after a move: every path under oldPath now starts with newPath. */
export async function moveSubtree(db: Db, oldPath: string, newPath: string, depthDelta: number) {
  await db
    .updateTable('org_unit')
    .set({
      path: sql<string>`${newPath} || substr(path, ${oldPath.length + 1})`,
      depth: sql<number>`depth + ${depthDelta}`,
    })
    .where('path', '>=', oldPath)
    .where('path', '<', oldPath.slice(0, -1) + '0')
    .execute();
}

export async function deleteUnit(db: Db, id: string) {
  return db.deleteFrom('org_unit').where('id', '=', id).executeTakeFirst();
}

export function toPopulation(r: Selectable<OrgPopulationTable>): Population {
  return {
    id: r.id,
    unitId: r.org_unit_id,
    year: r.year,
    kind: r.kind as Population['kind'],
    value: r.value,
    source: r.source,
    note: r.note,
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function listPopulations(db: Db, unitId: string) {
  return db.selectFrom('org_population').selectAll().where('org_unit_id', '=', unitId).orderBy('year', 'desc').orderBy('kind').execute();
}

export async function getPopulation(db: Db, unitId: string, year: number, kind: string) {
  return db.selectFrom('org_population').selectAll().where('org_unit_id', '=', unitId).where('year', '=', year).where('kind', '=', kind).executeTakeFirst();
}

export async function upsertPopulation(db: Db, row: { org_unit_id: string; year: number; kind: string; value: number; source: string; note: string | null; updated_at: Date }) {
  return db
    .insertInto('org_population')
    .values(row)
    .onConflict((oc) => oc.columns(['org_unit_id', 'year', 'kind']).doUpdateSet({ value: row.value, source: row.source, note: row.note, updated_at: row.updated_at }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deletePopulation(db: Db, unitId: string, year: number, kind: string) {
  return db.deleteFrom('org_population').where('org_unit_id', '=', unitId).where('year', '=', year).where('kind', '=', kind).returningAll().executeTakeFirst();
}

export async function countUnits(db: Db) {
  const r = await db.selectFrom('org_unit').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return r.n;
}

export async function populationsOf(db: Db, unitIds: readonly string[]) {
  if (unitIds.length === 0) return [];
  return db.selectFrom('org_population').select(['org_unit_id', 'year', 'kind', 'value']).where('org_unit_id', 'in', unitIds).execute();
}

export async function childrenOf(db: Db, parentId: string) {
  return db.selectFrom('org_unit').select(['id', 'name', 'code', 'kind', 'path', 'depth', 'sort_order']).where('parent_id', '=', parentId).orderBy('sort_order').orderBy('name').execute();
}
