import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../server/db/schema.ts';
import type { AuditEntry } from '../audit.contract.ts';
import type { AuditLogTable } from './audit.tables.ts';

type Db = Kysely<DB>;

/** Locks the chain head until the transaction ends: appends are serialised in commit order. */
export async function lockChainHead(db: Db) {
  return db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
}

export type NewAuditRow = Omit<AuditLogTable, 'unit_path'>;

export async function appendRows(db: Db, rows: NewAuditRow[]) {
  await db.insertInto('audit_log').values(rows.map((r) => ({ ...r, before: json(r.before), after: json(r.after), details: json(r.details) }))).execute();
  const last = rows[rows.length - 1]!;
  await db.updateTable('audit_chain_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
}

function json(v: unknown) {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

export type AuditFilterRow = {
  from?: Date;
  to?: Date;
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  result?: string;
  beforeSeq?: number;
};

function filtered(db: Db, f: AuditFilterRow) {
  let q = db.selectFrom('audit_log as a').leftJoin('org_unit as u', 'u.id', 'a.org_unit_id');
  if (f.from) q = q.where('a.at', '>=', f.from);
  if (f.to) q = q.where('a.at', '<', f.to);
  if (f.actor) q = q.where('a.actor_username', '=', f.actor);
  if (f.action) q = q.where((eb) => eb.or([eb('a.action', '=', f.action!), eb('a.action', 'like', f.action!.replace(/[\\%_]/g, '\\$&') + '.%')]));
  if (f.entityType) q = q.where('a.entity_type', '=', f.entityType);
  if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
  if (f.result) q = q.where('a.result', '=', f.result);
  if (f.beforeSeq !== undefined) q = q.where('a.seq', '<', f.beforeSeq);
  return q;
}

const columns = [
  'a.seq', 'a.at', 'a.actor_id', 'a.actor_username', 'a.actor_unit_id', 'a.org_unit_id', 'a.action', 'a.entity_type',
  'a.entity_id', 'a.result', 'a.request_id', 'a.ip', 'a.before', 'a.after', 'a.details', 'u.name as unit_name',
] as const;

export async function listAudit(db: Db, f: AuditFilterRow, limit: number) {
  const rows = await filtered(db, f).select(columns).orderBy('a.seq', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

export function toEntry(r: {
  seq: number; at: Date; actor_id: string | null; actor_username: string | null; actor_unit_id: string | null;
  org_unit_id: string | null; action: string; entity_type: string | null; entity_id: string | null; result: string;
  request_id: string | null; ip: string | null; before: unknown; after: unknown; details: unknown; unit_name: string | null;
}): AuditEntry {
  return {
    seq: r.seq,
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    actorUnitId: r.actor_unit_id,
    unitId: r.org_unit_id,
    unitName: r.unit_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    result: r.result as AuditEntry['result'],
    requestId: r.request_id,
    ip: r.ip,
    before: r.before ?? null,
    after: r.after ?? null,
    details: r.details ?? null,
  };
}

/** Rows in chain order for verification, from `afterSeq` on. */
export async function chainSlice(db: Db, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .select(['seq', 'at', 'actor_id', 'actor_username', 'actor_unit_id', 'org_unit_id', 'action', 'entity_type', 'entity_id',
      'result', 'request_id', 'ip', 'before', 'after', 'details', 'payload', 'prev_hash', 'hash'])
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function chainHead(db: Db) {
  return db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function countAudit(db: Db) {
  const r = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return r.n;
}

export async function entityRows(db: Db, entityType: string, entityId: string) {
  return db.selectFrom('audit_log').select(['at', 'action', 'actor_username', 'details']).where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('seq').execute();
}
