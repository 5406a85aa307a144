import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { ProjectTable } from './projects.tables.ts';

type Db = Kysely<DB>;

function projectSelect(db: Db) {
  return db.selectFrom('project as p').selectAll('p').select(sql<string>`boai_unit_name(p.org_unit_id)`.as('owner_name'));
}
export type ProjectRow = Awaited<ReturnType<ReturnType<typeof projectSelect>['executeTakeFirstOrThrow']>>;

export type ProjectFilter = {
  q?: string | undefined;
  kind?: string | undefined;
  status?: string | undefined;
  /** Any of these statuses (the public list: not drafts). */
  statuses?: readonly string[];
  category?: string | undefined;
  brand?: boolean | undefined;
  unitPath?: string | undefined;
  sort: 'code' | '-code' | 'name' | '-createdAt';
  /** The last row's sort key: `k` the sort column (absent for code), `c` its code. */
  after?: { k?: string | undefined; c: string } | undefined;
};

export async function listProjects(db: Db, f: ProjectFilter, limit: number) {
  let q = projectSelect(db);
  if (f.q) {
    const like = '%' + f.q.replace(/[\\%_]/g, '\\$&') + '%';
    q = q.where((eb) => eb.or([eb('p.name', 'ilike', like), eb('p.code', 'ilike', like)]));
  }
  if (f.kind) q = q.where('p.kind', '=', f.kind);
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.statuses) q = q.where('p.status', 'in', [...f.statuses]);
  if (f.category) q = q.where('p.category', '=', f.category);
  if (f.brand !== undefined) q = q.where('p.brand_project', '=', f.brand);
  if (f.unitPath) {
    const lo = f.unitPath;
    const hi = f.unitPath.slice(0, -1) + '0';
    q = q.where((eb) => eb.exists(eb.selectFrom('org_unit as u').whereRef('u.id', '=', 'p.org_unit_id').where('u.path', '>=', lo).where('u.path', '<', hi).select('u.id')));
  }
  const a = f.after;
  switch (f.sort) {
    case 'code':
      if (a) q = q.where('p.code', '>', a.c);
      return q.orderBy('p.code').limit(limit).execute();
    case '-code':
      if (a) q = q.where('p.code', '<', a.c);
      return q.orderBy('p.code', 'desc').limit(limit).execute();
    case 'name':
      if (a) q = q.where((eb) => eb(eb.refTuple('p.name', 'p.code'), '>', eb.tuple(a.k ?? '', a.c)));
      return q.orderBy('p.name').orderBy('p.code').limit(limit).execute();
    case '-createdAt':
      if (a) q = q.where((eb) => eb(eb.refTuple('p.created_at', 'p.code'), '<', eb.tuple(new Date(a.k ?? 0) as never, a.c)));
      return q.orderBy('p.created_at', 'desc').orderBy('p.code', 'desc').limit(limit).execute();
  }
}

export async function getProject(db: Db, id: string) {
  return projectSelect(db).where('p.id', '=', id).executeTakeFirst();
}

export async function getProjectForUpdate(db: Db, id: string) {
  return projectSelect(db).where('p.id', '=', id).forUpdate().executeTakeFirst();
}

export async function projectsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return projectSelect(db).where('p.id', 'in', [...ids]).execute();
}

export async function nextCode(db: Db, unitId: string, year: number) {
  const r = await sql<{ code: string }>`select boai_project_next_code(${unitId}::uuid, ${year}::int) as code`.execute(db);
  return r.rows[0]!.code;
}

/** The county at or above the unit and its open brand projects other than `except`; undefined when the unit lies in no county. */
export async function brandSlot(db: Db, unitId: string, except: string | null) {
  const r = await sql<{ county_id: string; county_name: string; brand_count: number }>`select * from boai_project_brand_slot(${unitId}::uuid, ${except}::uuid)`.execute(db);
  return r.rows[0];
}

export async function insertProject(db: Db, row: Insertable<ProjectTable>) {
  return db.insertInto('project').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Optimistic: changes the row only at the version the caller saw. */
export async function updateProject(db: Db, id: string, version: number, patch: Updateable<ProjectTable>) {
  return db
    .updateTable('project')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}
