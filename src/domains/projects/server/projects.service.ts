import crypto from 'node:crypto';
import { z } from 'zod';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError, type FieldError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { listAttachments, openAttachment } from '../../attachments/server/attachments.service.ts';
import { entityHistory, recordAudit } from '../../audit/server/audit.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import {
  projectIssues,
  type CloseProject,
  type CreateProjectParsed,
  type Project,
  type ProjectCategory,
  type ProjectDetail,
  type ProjectKind,
  type ProjectListQuery,
  type ProjectStatus,
  type PublicProject,
  type PublicProjectListQuery,
  type UpdateProject,
} from '../projects.contract.ts';
import * as repo from './projects.repository.ts';

/* ---------- raised: reported by the donations domain ---------- */

/** Money raised per project id, in fen, computed by the domain that owns the donations, in the caller's context. */
export type RaisedProvider = (ctx: Ctx, projectIds: readonly string[]) => Promise<Map<string, number>>;
let raisedProvider: RaisedProvider | null = null;

/** The donations domain registers how much each project has raised; until it does, every project has raised 0. */
export function registerRaisedProvider(fn: RaisedProvider | null) {
  raisedProvider = fn;
}

async function raisedOf(ctx: Ctx, ids: readonly string[]): Promise<Map<string, number>> {
  if (!raisedProvider || ids.length === 0) return new Map();
  return raisedProvider(ctx, ids);
}

/* ---------- shape of what leaves the service ---------- */

function toProject(r: repo.ProjectRow, raised: Map<string, number>): Project {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind as ProjectKind,
    category: r.category as ProjectCategory,
    summary: r.summary,
    ownerUnitId: r.org_unit_id,
    ownerUnitName: r.owner_name,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    affectedArea: r.affected_area,
    goalFen: r.goal_fen === null ? null : Number(r.goal_fen),
    raisedFen: raised.get(r.id) ?? 0,
    status: r.status as ProjectStatus,
    beneficiaryGroups: r.beneficiary_groups,
    brandProject: r.brand_project,
    publicText: r.public_text,
    publicImageId: r.public_image_id,
    internalNotes: r.internal_notes,
    closedAt: r.closed_at?.toISOString() ?? null,
    closedReason: r.closed_reason,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/** Exactly what the public may see: no internal notes, no people, no versions, no unit ids. */
function toPublic(p: Project): PublicProject {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind,
    category: p.category,
    summary: p.summary,
    ownerUnitName: p.ownerUnitName,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    affectedArea: p.affectedArea,
    goalFen: p.goalFen,
    raisedFen: p.raisedFen,
    status: p.status === 'closed' ? 'closed' : 'fundraising',
    beneficiaryGroups: p.beneficiaryGroups,
    brandProject: p.brandProject,
    publicText: p.publicText,
    hasImage: p.publicImageId !== null,
  };
}

/** What the audit log keeps of a project (everything but the long public text, which is marked as changed). */
function auditView(p: Project) {
  return {
    code: p.code,
    name: p.name,
    kind: p.kind,
    category: p.category,
    summary: p.summary,
    ownerUnitId: p.ownerUnitId,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    affectedArea: p.affectedArea,
    goalFen: p.goalFen,
    status: p.status,
    beneficiaryGroups: p.beneficiaryGroups,
    brandProject: p.brandProject,
    publicText: p.publicText ? `[${p.publicText.length} 字]` : null,
    publicImageId: p.publicImageId,
    internalNotes: p.internalNotes,
  };
}

async function load(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getProject(trx, id));
  if (!row) throw new DomainError('projects.not_found');
  return row;
}

/* ---------- reading ---------- */

const cursorSchema = z.object({ k: z.string().optional(), c: z.string() });

function keyOf(sort: repo.ProjectFilter['sort']) {
  return (r: repo.ProjectRow) => (sort === 'name' ? { k: r.name, c: r.code } : sort === '-createdAt' ? { k: r.created_at.toISOString(), c: r.code } : { c: r.code });
}

export async function listProjects(ctx: Ctx, q: ProjectListQuery) {
  requirePermission(ctx, 'projects.read');
  const after = decodeCursor(q.cursor, cursorSchema);
  return ctx.run(async (trx) => {
    let unitPath: string | undefined;
    if (q.unitId) {
      const unit = await unitBrief(ctx, q.unitId);
      if (!unit) throw new DomainError('projects.unit_not_found', undefined, [{ field: 'query.unitId', code: 'not_found', message: '' }]);
      unitPath = unit.path;
    }
    const brand = q.brand === undefined ? undefined : q.brand === 'true';
    const rows = await repo.listProjects(trx, { q: q.q, kind: q.kind, status: q.status, category: q.category, brand, unitPath, sort: q.sort, after }, q.limit + 1);
    const raised = await raisedOf(ctx, rows.slice(0, q.limit).map((r) => r.id));
    return pageFrom(rows, q.limit, (r) => toProject(r, raised), keyOf(q.sort));
  });
}

export async function getProject(ctx: Ctx, id: string): Promise<ProjectDetail> {
  requirePermission(ctx, 'projects.read');
  return ctx.run(async () => {
    const row = await load(ctx, id);
    const raised = await raisedOf(ctx, [id]);
    const history = await entityHistory(ctx, 'project', id);
    return { ...toProject(row, raised), history };
  });
}

/**
 * For the donations domain: the project as its caller may see it (jurisdiction applies), or null.
 * No permission of this domain is needed: the calling service checked its own.
 */
export async function projectBrief(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getProject(trx, id));
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind as ProjectKind,
    status: row.status as ProjectStatus,
    ownerUnitId: row.org_unit_id,
    ownerUnitName: row.owner_name,
    goalFen: row.goal_fen === null ? null : Number(row.goal_fen),
  };
}

/**
 * For the donations domain, before a designated donation: the project exists in the caller's view
 * and is fundraising. A closed project takes no new designated donations; neither does a draft,
 * which the public cannot see yet. Locks the row until the caller's transaction ends, so a close
 * running at the same moment waits for the donation (or the donation sees the close).
 */
export async function assertOpenForDonations(ctx: Ctx, projectId: string) {
  return ctx.run(async (trx) => {
    const row = await repo.getProjectForUpdate(trx, projectId);
    if (!row) throw new DomainError('projects.not_found');
    if (row.status === 'closed') throw new DomainError('projects.closed', { name: row.name });
    if (row.status !== 'fundraising') throw new DomainError('projects.not_fundraising', { name: row.name });
    return { id: row.id, code: row.code, name: row.name, ownerUnitId: row.org_unit_id };
  });
}

/** The unit of a project the caller can see, else null (attachments). */
export async function projectUnit(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getProject(trx, id));
  return row?.org_unit_id ?? null;
}

/* ---------- writing ---------- */

function invalid(details: FieldError[]): never {
  throw new DomainError('validation_failed', undefined, details);
}

async function checkBrand(ctx: Ctx, unitId: string, exceptId: string | null) {
  const slot = await ctx.run((trx) => repo.brandSlot(trx, unitId, exceptId));
  const field = [{ field: 'body.brandProject', code: 'brand_limit', message: '' }];
  if (!slot) throw new DomainError('projects.brand_needs_county', undefined, field);
  if (slot.brand_count >= 2) throw new DomainError('projects.brand_limit', { county: slot.county_name, count: slot.brand_count }, field);
}

/** The database's own guard (a trigger) said no: two requests raced past the service's check. */
function brandGuardError(err: unknown): never {
  const e = err as { code?: string; message?: string };
  if (e.code === '23514' && /project_brand_limit/.test(e.message ?? '')) {
    throw new DomainError('projects.brand_limit', { county: '该县（市、区）', count: 2 }, [{ field: 'body.brandProject', code: 'brand_limit', message: '' }]);
  }
  if (e.code === '23514' && /project_brand_needs_county/.test(e.message ?? '')) {
    throw new DomainError('projects.brand_needs_county', undefined, [{ field: 'body.brandProject', code: 'needs_county', message: '' }]);
  }
  throw err;
}

/** An image attachment of this project that is still there. */
async function checkImage(ctx: Ctx, projectId: string, attachmentId: string) {
  const reader: Ctx = { ...ctx, actor: { ...ctx.actor, permissions: new Set([...ctx.actor.permissions, 'projects.read']) } };
  const found = (await listAttachments(reader, 'project', projectId)).find((a) => a.id === attachmentId);
  if (!found || !found.contentType.startsWith('image/')) throw new DomainError('projects.image_invalid', undefined, [{ field: 'body.publicImageId', code: 'invalid', message: '' }]);
}

export async function createProject(ctx: Ctx, input: CreateProjectParsed, opts: { audit?: boolean } = {}): Promise<Project> {
  requirePermission(ctx, 'projects.write');
  const ownerId = input.ownerUnitId ?? ctx.actor.unitId;
  return ctx.run(async (trx) => {
    const unit = ownerId ? await unitBrief(ctx, ownerId) : null;
    if (!unit) throw new DomainError('projects.unit_not_found', undefined, [{ field: 'body.ownerUnitId', code: 'not_found', message: '' }]);
    if (input.brandProject) await checkBrand(ctx, unit.id, null);
    const now = ctx.deps.clock.now();
    const id = crypto.randomUUID();
    const code = await repo.nextCode(trx, unit.id, Number(shanghaiDate(now).slice(0, 4)));
    await repo
      .insertProject(trx, {
        id,
        org_unit_id: unit.id,
        code,
        name: input.name,
        kind: input.kind,
        category: input.category,
        summary: input.summary ?? null,
        period_start: input.periodStart ?? null,
        period_end: input.periodEnd ?? null,
        affected_area: input.kind === 'appeal' ? (input.affectedArea ?? null) : null,
        goal_fen: input.goalFen ?? null,
        status: input.status,
        beneficiary_groups: JSON.stringify(input.beneficiaryGroups ?? []),
        brand_project: input.brandProject ?? false,
        public_text: input.publicText ?? null,
        public_image_id: null,
        internal_notes: input.internalNotes ?? null,
        closed_at: null,
        closed_reason: null,
        created_by: ctx.actor.userId,
        created_at: now,
        updated_at: now,
      })
      .catch(brandGuardError);
    const created = toProject((await repo.getProject(trx, id))!, new Map());
    if (opts.audit !== false) await recordAudit(ctx, { action: 'projects.created', entityType: 'project', entityId: id, unitId: unit.id, after: auditView(created) });
    return created;
  });
}

/** Fields a closed project still lets change: what is said about it, not what it is. */
const CLOSED_EDITABLE = new Set(['summary', 'publicText', 'publicImageId', 'internalNotes']);

export async function updateProject(ctx: Ctx, id: string, input: UpdateProject): Promise<Project> {
  requirePermission(ctx, 'projects.write');
  return ctx.run(async (trx) => {
    const row = await repo.getProjectForUpdate(trx, id);
    if (!row) throw new DomainError('projects.not_found');
    const before = toProject(row, new Map());
    if (row.version !== input.version) throw new DomainError('conflict');
    const sent = Object.keys(input).filter((k) => k !== 'version' && input[k as keyof UpdateProject] !== undefined);
    if (before.status === 'closed' && sent.some((k) => !CLOSED_EDITABLE.has(k))) throw new DomainError('projects.closed_locked');

    const merged = {
      kind: before.kind,
      periodStart: input.periodStart !== undefined ? input.periodStart : before.periodStart,
      periodEnd: input.periodEnd !== undefined ? input.periodEnd : before.periodEnd,
      affectedArea: input.affectedArea !== undefined ? input.affectedArea : before.affectedArea,
    };
    const issues = projectIssues(merged);
    if (issues.length) invalid(issues.map((i) => ({ field: `body.${i.path}`, code: 'custom', message: i.message })));
    if (input.brandProject && !before.brandProject) await checkBrand(ctx, row.org_unit_id, id);
    if (input.status === 'draft' && before.status === 'fundraising' && ((await raisedOf(ctx, [id])).get(id) ?? 0) > 0) throw new DomainError('projects.has_donations');
    if (input.publicImageId) await checkImage(ctx, id, input.publicImageId);

    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.category !== undefined ? { category: input.category } : {}),
      ...(input.summary !== undefined ? { summary: input.summary } : {}),
      ...(input.periodStart !== undefined ? { period_start: input.periodStart } : {}),
      ...(input.periodEnd !== undefined ? { period_end: input.periodEnd } : {}),
      ...(input.affectedArea !== undefined ? { affected_area: input.affectedArea } : {}),
      ...(input.goalFen !== undefined ? { goal_fen: input.goalFen } : {}),
      ...(input.beneficiaryGroups !== undefined ? { beneficiary_groups: JSON.stringify(input.beneficiaryGroups) } : {}),
      ...(input.brandProject !== undefined ? { brand_project: input.brandProject } : {}),
      ...(input.publicText !== undefined ? { public_text: input.publicText } : {}),
      ...(input.publicImageId !== undefined ? { public_image_id: input.publicImageId } : {}),
      ...(input.internalNotes !== undefined ? { internal_notes: input.internalNotes } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: ctx.deps.clock.now(),
    };
    const done = await repo.updateProject(trx, id, input.version, patch).catch(brandGuardError);
    if (!done) throw new DomainError('conflict');
    const after = toProject((await repo.getProject(trx, id))!, new Map());
    const b = auditView(before) as Record<string, unknown>;
    const a = auditView(after) as Record<string, unknown>;
    const changed = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    await recordAudit(ctx, {
      action: 'projects.updated',
      entityType: 'project',
      entityId: id,
      unitId: row.org_unit_id,
      before: Object.fromEntries(changed.map((k) => [k, b[k]])),
      after: Object.fromEntries(changed.map((k) => [k, a[k]])),
      details: { changed },
    });
    return { ...after, raisedFen: (await raisedOf(ctx, [id])).get(id) ?? 0 };
  });
}

export async function closeProject(ctx: Ctx, id: string, input: CloseProject): Promise<Project> {
  requirePermission(ctx, 'projects.write');
  return ctx.run(async (trx) => {
    const row = await repo.getProjectForUpdate(trx, id);
    if (!row) throw new DomainError('projects.not_found');
    if (row.version !== input.version) throw new DomainError('conflict');
    if (row.status === 'closed') throw new DomainError('projects.closed', { name: row.name });
    const now = ctx.deps.clock.now();
    const done = await repo.updateProject(trx, id, input.version, { status: 'closed', closed_at: now, closed_reason: input.reason, updated_at: now });
    if (!done) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'projects.closed', entityType: 'project', entityId: id, unitId: row.org_unit_id, before: { status: row.status }, after: { status: 'closed' }, details: { reason: input.reason } });
    const raised = await raisedOf(ctx, [id]);
    return toProject((await repo.getProject(trx, id))!, raised);
  });
}

/* ---------- the public ---------- */

const PUBLIC_STATUSES = ['fundraising', 'closed'] as const;

/**
 * What anyone may read, without signing in: projects that are fundraising or closed (never drafts),
 * with raised against goal. `ctx` must see the whole tree (the routes pass a system context); the
 * status filter here is what keeps drafts out.
 */
export async function listPublicProjects(ctx: Ctx, q: PublicProjectListQuery) {
  const after = decodeCursor(q.cursor, cursorSchema);
  return ctx.run(async (trx) => {
    const rows = await repo.listProjects(trx, { q: q.q, kind: q.kind, status: q.status, statuses: PUBLIC_STATUSES, category: q.category, sort: 'code', after }, q.limit + 1);
    const raised = await raisedOf(ctx, rows.slice(0, q.limit).map((r) => r.id));
    return pageFrom(rows, q.limit, (r) => toPublic(toProject(r, raised)), keyOf('code'));
  });
}

async function loadPublic(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => repo.getProject(trx, id));
  if (!row || !(PUBLIC_STATUSES as readonly string[]).includes(row.status)) throw new DomainError('projects.not_found');
  return row;
}

export async function getPublicProject(ctx: Ctx, id: string): Promise<PublicProject> {
  return ctx.run(async () => {
    const row = await loadPublic(ctx, id);
    return toPublic(toProject(row, await raisedOf(ctx, [id])));
  });
}

/** The public image of a public project: an image attachment staff chose for it. */
export async function openPublicImage(ctx: Ctx, id: string) {
  const row = await loadPublic(ctx, id);
  if (!row.public_image_id) throw new DomainError('projects.not_found');
  const opened = await openAttachment(ctx, row.public_image_id);
  if (opened.attachment.ownerType !== 'project' || opened.attachment.ownerId !== id || !opened.attachment.contentType.startsWith('image/')) {
    opened.stream.destroy();
    throw new DomainError('projects.not_found');
  }
  return opened;
}
