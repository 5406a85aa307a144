import crypto from 'node:crypto';
import { z } from 'zod';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import {
  allowedChildKinds,
  type CreateOrgUnit,
  type OrgKind,
  type OrgListQuery,
  type OrgUnitDetail,
  type PopulationKind,
  type SavePopulation,
  type UpdateOrgUnit,
} from '../orgs.contract.ts';
import * as repo from './orgs.repository.ts';

const pathCursor = z.object({ p: z.string().regex(/^\/([0-9a-f-]{36}\/)+$/) });
const siblingCursor = z.object({ o: z.number().int(), n: z.string(), i: z.uuid() });

/** Units in the caller's scope: children of one parent in display order, anything else in tree order. */
export async function listUnits(ctx: Ctx, q: OrgListQuery) {
  requirePermission(ctx, 'orgs.read');
  const filter = { parentId: q.parentId, rootsOnly: q.roots === 'true', kind: q.kind, q: q.q, maxDepth: q.maxDepth };
  if (q.parentId) {
    const after = decodeCursor(q.cursor, siblingCursor);
    const rows = await ctx.run((trx) => repo.listUnits(trx, { ...filter, afterSibling: after }, q.limit + 1));
    return pageFrom(rows, q.limit, repo.toUnit, (r) => ({ o: r.sort_order, n: r.name, i: r.id }));
  }
  const after = decodeCursor(q.cursor, pathCursor);
  const rows = await ctx.run((trx) => repo.listUnits(trx, { ...filter, afterPath: after?.p }, q.limit + 1));
  return pageFrom(rows, q.limit, repo.toUnit, (r) => ({ p: r.path }));
}

async function loadUnit(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getUnit(trx, id));
  if (!row) throw new DomainError('orgs.not_found');
  return row;
}

export async function getUnit(ctx: Ctx, id: string): Promise<OrgUnitDetail> {
  requirePermission(ctx, 'orgs.read');
  return ctx.run(async (trx) => {
    const row = await loadUnit(ctx, id);
    const [ancestors, pops] = [await repo.ancestorsOf(trx, row.path), await repo.listPopulations(trx, id)];
    return { ...repo.toUnit(row), ancestors, populations: pops.map(repo.toPopulation) };
  });
}

/** Name and code of a unit in the caller's scope, for other domains (headers, labels). */
export async function unitBrief(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getUnit(trx, id));
  return row ? { id: row.id, name: row.name, code: row.code, kind: row.kind as OrgKind, path: row.path } : null;
}

/** The materialised path of a unit (used to turn a jurisdiction unit into a scope). */
export async function unitPath(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getUnit(trx, id));
  return row?.path ?? null;
}

function checkKind(parentKind: string, kind: string) {
  if (!(allowedChildKinds[parentKind as OrgKind] ?? []).includes(kind as OrgKind)) {
    throw new DomainError('orgs.kind_not_allowed', { parentKind, kind }, [{ field: 'body.kind', code: 'kind_not_allowed', message: `${parentKind} → ${kind}` }]);
  }
}

/** The root of the caller's own jurisdiction is managed from the level above. */
function refuseScopeRoot(ctx: Ctx, row: { id: string; name: string; path: string }) {
  if (ctx.actor.kind !== 'system' && row.path === ctx.actor.scopePath) throw new DomainError('orgs.root_protected', { name: row.name });
}

export async function createUnit(ctx: Ctx, input: CreateOrgUnit) {
  requirePermission(ctx, 'orgs.write');
  return ctx.run(async (trx) => {
    const parent = await repo.getUnit(trx, input.parentId);
    if (!parent) throw new DomainError('orgs.parent_not_found', undefined, [{ field: 'body.parentId', code: 'not_found', message: 'parent' }]);
    checkKind(parent.kind, input.kind);
    if (input.code && (await repo.codeTaken(trx, input.code))) throw new DomainError('orgs.code_taken', { code: input.code });
    const id = crypto.randomUUID();
    const now = ctx.deps.clock.now();
    await repo.insertUnit(trx, {
      id,
      parent_id: parent.id,
      code: input.code ?? null,
      name: input.name,
      short_name: input.shortName ?? null,
      kind: input.kind,
      path: parent.path + id + '/',
      depth: parent.depth + 1,
      sort_order: input.sortOrder ?? 0,
      now,
    });
    const created = repo.toUnit((await repo.getUnit(trx, id))!);
    await recordAudit(ctx, { action: 'orgs.unit_created', entityType: 'org_unit', entityId: id, unitId: id, after: created });
    return created;
  });
}

export async function updateUnit(ctx: Ctx, id: string, input: UpdateOrgUnit) {
  requirePermission(ctx, 'orgs.write');
  return ctx.run(async (trx) => {
    const row = await loadUnit(ctx, id);
    refuseScopeRoot(ctx, row);
    const before = repo.toUnit(row);
    const kind = input.kind ?? row.kind;
    let parent = row.parent_id ? await repo.getUnit(trx, row.parent_id) : undefined;
    const moving = input.parentId !== undefined && input.parentId !== row.parent_id;
    if (moving) {
      parent = await repo.getUnit(trx, input.parentId!);
      if (!parent) throw new DomainError('orgs.parent_not_found', undefined, [{ field: 'body.parentId', code: 'not_found', message: 'parent' }]);
      if (parent.path.startsWith(row.path)) throw new DomainError('orgs.cycle');
    }
    if (parent && (moving || input.kind !== undefined)) checkKind(parent.kind, kind);
    if (input.code && input.code !== row.code && (await repo.codeTaken(trx, input.code, id))) throw new DomainError('orgs.code_taken', { code: input.code });
    const now = ctx.deps.clock.now();
    const updated = await repo.updateUnit(trx, id, input.version, {
      ...(moving ? { parent_id: parent!.id } : {}),
      ...(input.code !== undefined ? { code: input.code } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.shortName !== undefined ? { short_name: input.shortName } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
    }, now);
    if (!updated) throw new DomainError('conflict');
    if (moving) await repo.moveSubtree(trx, row.path, parent!.path + id + '/', parent!.depth + 1 - row.depth);
    const after = repo.toUnit((await repo.getUnit(trx, id))!);
    await recordAudit(ctx, { action: 'orgs.unit_updated', entityType: 'org_unit', entityId: id, unitId: id, before, after });
    return after;
  });
}

export async function deleteUnit(ctx: Ctx, id: string) {
  requirePermission(ctx, 'orgs.write');
  await ctx.run(async (trx) => {
    const row = await loadUnit(ctx, id);
    refuseScopeRoot(ctx, row);
    if (row.child_count > 0) throw new DomainError('orgs.in_use');
    // The audit row names the parent as its unit: the deleted unit will no longer exist to scope it.
    await recordAudit(ctx, { action: 'orgs.unit_deleted', entityType: 'org_unit', entityId: id, unitId: row.parent_id, before: repo.toUnit(row) });
    try {
      await repo.deleteUnit(trx, id);
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new DomainError('orgs.in_use');
      throw err;
    }
  });
}

export async function listPopulations(ctx: Ctx, unitId: string) {
  requirePermission(ctx, 'orgs.read');
  return ctx.run(async (trx) => {
    await loadUnit(ctx, unitId);
    return (await repo.listPopulations(trx, unitId)).map(repo.toPopulation);
  });
}

export async function savePopulation(ctx: Ctx, unitId: string, input: SavePopulation) {
  requirePermission(ctx, 'orgs.write');
  return ctx.run(async (trx) => {
    await loadUnit(ctx, unitId);
    const existing = await repo.getPopulation(trx, unitId, input.year, input.kind);
    const saved = await repo.upsertPopulation(trx, {
      org_unit_id: unitId,
      year: input.year,
      kind: input.kind,
      value: input.value,
      source: input.source,
      note: input.note ?? null,
      updated_at: ctx.deps.clock.now(),
    });
    const after = repo.toPopulation(saved);
    await recordAudit(ctx, {
      action: 'orgs.population_saved',
      entityType: 'org_population',
      entityId: `${unitId}/${input.year}/${input.kind}`,
      unitId,
      before: existing ? repo.toPopulation(existing) : null,
      after,
    });
    return after;
  });
}

export async function deletePopulation(ctx: Ctx, unitId: string, year: number, kind: PopulationKind) {
  requirePermission(ctx, 'orgs.write');
  await ctx.run(async (trx) => {
    await loadUnit(ctx, unitId);
    const removed = await repo.deletePopulation(trx, unitId, year, kind);
    if (!removed) throw new DomainError('orgs.population_not_found');
    await recordAudit(ctx, {
      action: 'orgs.population_deleted',
      entityType: 'org_population',
      entityId: `${unitId}/${year}/${kind}`,
      unitId,
      before: repo.toPopulation(removed),
    });
  });
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** parentKey: the key of an earlier node, or the id of a unit that exists already. */
export type TreeNode = { key: string; parentKey: string | null; code: string | null; name: string; kind: OrgKind; synthetic?: boolean; sortOrder?: number };

/**
 * Loads a whole tree in one transaction (reference data, a city's own division list). Parents come
 * before their children; a key already present as a code is skipped, so loading twice adds nothing.
 * Returns the id of every node by key.
 */
export async function importTree(ctx: Ctx, nodes: TreeNode[], opts: { source: string }) {
  requirePermission(ctx, 'orgs.write');
  return ctx.run(async (trx) => {
    const ids = new Map<string, { id: string; path: string; depth: number; kind: string }>();
    const now = ctx.deps.clock.now();
    let created = 0;
    for (const n of nodes) {
      const existing = n.code ? await repo.getUnitByCode(trx, n.code) : undefined;
      if (existing) {
        ids.set(n.key, { id: existing.id, path: existing.path, depth: existing.depth, kind: existing.kind });
        continue;
      }
      let parent = n.parentKey ? ids.get(n.parentKey) : undefined;
      if (n.parentKey && !parent && UUID_RE.test(n.parentKey)) {
        // A parent that exists already, named by its id.
        const row = await repo.getUnit(trx, n.parentKey);
        if (row) ids.set(n.parentKey, (parent = { id: row.id, path: row.path, depth: row.depth, kind: row.kind }));
      }
      if (n.parentKey && !parent) throw new Error(`tree import: parent ${n.parentKey} of ${n.key} comes later or is missing`);
      if (parent) checkKind(parent.kind, n.kind);
      const id = crypto.randomUUID();
      const path = (parent?.path ?? '/') + id + '/';
      await repo.insertUnit(trx, {
        id, parent_id: parent?.id ?? null, code: n.code, name: n.name, short_name: null, kind: n.kind, path,
        depth: parent ? parent.depth + 1 : 0, synthetic: n.synthetic ?? false, sort_order: n.sortOrder ?? 0, now,
      });
      ids.set(n.key, { id, path, depth: parent ? parent.depth + 1 : 0, kind: n.kind });
      created++;
    }
    if (created > 0) {
      await recordAudit(ctx, { action: 'orgs.unit_created', entityType: 'org_unit', unitId: null, details: { imported: created, source: opts.source } });
    }
    return new Map([...ids].map(([k, v]) => [k, v.id]));
  });
}

/**
 * For other domains (the plan's ratios and roll-ups). No permission of its own: what the caller may
 * see is decided by the jurisdiction policies, as for every read.
 */
export async function populationsOf(ctx: Ctx, unitIds: readonly string[]) {
  const rows = await ctx.run((trx) => repo.populationsOf(trx, unitIds));
  return rows.map((r) => ({ unitId: r.org_unit_id, year: r.year, kind: r.kind as PopulationKind, value: Number(r.value) }));
}

/** The visible direct children of a unit, in display order. */
export async function childrenOf(ctx: Ctx, parentId: string) {
  const rows = await ctx.run((trx) => repo.childrenOf(trx, parentId));
  return rows.map((r) => ({ id: r.id, name: r.name, code: r.code, kind: r.kind as OrgKind, path: r.path, depth: r.depth }));
}

/** A visible unit named by its code (e.g. 330802) or its id. */
export async function unitByRef(ctx: Ctx, ref: string) {
  const row = await ctx.run((trx) => (/^[0-9a-f-]{36}$/.test(ref) ? repo.getUnit(trx, ref) : repo.getUnitByCode(trx, ref)));
  return row ? { id: row.id, name: row.name, code: row.code, kind: row.kind as OrgKind, path: row.path, depth: row.depth } : null;
}

/** The visible units with exactly this name (a workbook names 市本级, which has no code). */
export async function unitsNamed(ctx: Ctx, name: string) {
  const rows = await ctx.run((trx) => trx.selectFrom('org_unit').select(['id', 'name', 'code', 'kind', 'path', 'depth']).where('name', '=', name).orderBy('depth').limit(5).execute());
  return rows.map((r) => ({ id: r.id, name: r.name, code: r.code, kind: r.kind as OrgKind, path: r.path, depth: r.depth }));
}
