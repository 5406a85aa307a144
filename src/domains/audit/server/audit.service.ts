import { canonicalJson } from '../../../platform/canonical-json.ts';
import { type Ctx, type Deps, systemCtx } from '../../../platform/context.ts';
import { hmacHex } from '../../../platform/crypto.ts';
import { DomainError } from '../../../platform/errors.ts';
import { dayEnd, dayStart, decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { z } from 'zod';
import type { AuditListQuery, AuditVerifyResult } from '../audit.contract.ts';
import * as repo from './audit.repository.ts';

export type AuditEvent = {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  /** The unit the event concerns: decides who may read it. */
  unitId?: string | null;
  result?: 'success' | 'failure' | 'denied';
  before?: unknown;
  after?: unknown;
  details?: unknown;
  /** Defaults to the context's actor; login names the account being signed in to. */
  actor?: { id: string | null; username: string | null; unitId: string | null };
};

/**
 * Fields never written to the audit log in clear (security.md item 35): secrets are dropped,
 * personal identifiers replaced by a marker saying they changed.
 */
const REDACTED_KEYS = new Set([
  'password', 'newPassword', 'currentPassword', 'passwordHash', 'password_hash', 'oneTimePassword',
  'totp', 'totpSecret', 'totp_secret_enc', 'secret', 'token', 'csrfToken', 'csrf_token', 'sessionId',
  'idNumber', 'id_number', 'idNumberEnc', 'phone', 'mobile', 'phoneEnc',
]);

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = REDACTED_KEYS.has(k) ? '[已隐藏]' : redact(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

function payloadOf(row: Omit<repo.NewAuditRow, 'payload' | 'prev_hash' | 'hash'>) {
  return canonicalJson({
    seq: row.seq,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorUsername: row.actor_username,
    actorUnitId: row.actor_unit_id,
    unitId: row.org_unit_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    result: row.result,
    requestId: row.request_id,
    ip: row.ip,
    before: row.before ?? null,
    after: row.after ?? null,
    details: row.details ?? null,
  });
}

export function chainHash(key: Buffer, prevHash: string, payload: string) {
  return hmacHex(key, prevHash + '\n' + payload);
}

/**
 * Appends events to the audit log inside the caller's transaction: if the business write rolls
 * back, so does its audit row, and if the audit row cannot be written, the business write fails
 * (security.md item 36). The chain head is locked until commit so rows chain in commit order.
 */
export async function recordAudit(ctx: Ctx, ...events: AuditEvent[]) {
  if (events.length === 0) return;
  await ctx.run(async (trx) => {
    const head = await repo.lockChainHead(trx);
    let seq = head.seq;
    let prev = head.hash;
    const at = ctx.deps.clock.now();
    const rows: repo.NewAuditRow[] = events.map((e) => {
      const actor = e.actor ?? { id: ctx.actor.userId, username: ctx.actor.username, unitId: ctx.actor.unitId };
      seq += 1;
      const base = {
        seq,
        at,
        actor_id: actor.id,
        actor_username: actor.username,
        actor_unit_id: actor.unitId,
        org_unit_id: e.unitId === undefined ? actor.unitId : e.unitId,
        action: e.action,
        entity_type: e.entityType ?? null,
        entity_id: e.entityId ?? null,
        result: e.result ?? 'success',
        request_id: ctx.requestId,
        ip: ctx.ip,
        before: e.before === undefined ? null : redact(e.before),
        after: e.after === undefined ? null : redact(e.after),
        details: e.details === undefined ? null : redact(e.details),
      };
      const payload = payloadOf(base);
      const hash = chainHash(ctx.deps.keys.auditChain, prev, payload);
      const row: repo.NewAuditRow = { ...base, payload, prev_hash: prev, hash };
      prev = hash;
      return row;
    });
    await repo.appendRows(trx, rows);
  });
}

const seqCursor = z.object({ s: z.number().int() });

export async function listAudit(ctx: Ctx, q: AuditListQuery) {
  requirePermission(ctx, 'audit.read');
  const after = decodeCursor(q.cursor, seqCursor);
  const rows = await ctx.run((trx) => repo.listAudit(trx, toFilter(q, after?.s), q.limit + 1));
  return pageFrom(rows, q.limit, (r) => r, (r) => ({ s: r.seq }));
}

function toFilter(q: Omit<AuditListQuery, 'limit' | 'cursor'>, beforeSeq?: number): repo.AuditFilterRow {
  return {
    from: q.from ? dayStart(q.from) : undefined,
    to: q.to ? dayEnd(q.to) : undefined,
    actor: q.actor,
    action: q.action,
    entityType: q.entityType,
    entityId: q.entityId,
    result: q.result,
    beforeSeq,
  };
}

/** Every row the caller may read that matches the filter, newest first, page by page (permission checked before the first row). */
export function iterateAudit(ctx: Ctx, q: Omit<AuditListQuery, 'limit' | 'cursor'>, pageSize = 2000) {
  requirePermission(ctx, 'audit.export');
  return (async function* () {
    let before: number | undefined;
    for (;;) {
      const rows = await ctx.run((trx) => repo.listAudit(trx, toFilter(q, before), pageSize));
      if (rows.length === 0) return;
      yield rows;
      before = rows[rows.length - 1]!.seq;
      if (rows.length < pageSize) return;
    }
  })();
}

/**
 * Re-checks the whole chain: dense sequence from 1, each row chained to its predecessor, each hash
 * the keyed hash of its payload, each column equal to what the payload says, the head at the last
 * row. Runs as the system over every unit.
 */
export async function verifyAuditChain(deps: Deps, opts: { maxProblems?: number } = {}): Promise<AuditVerifyResult> {
  const ctx = systemCtx(deps);
  const maxProblems = opts.maxProblems ?? 100;
  const problems: { seq: number; problem: string }[] = [];
  let expectedSeq = 1;
  let prev = '0'.repeat(64);
  let checked = 0;
  const head = await ctx.run((trx) => repo.chainHead(trx));
  for (;;) {
    const rows = await ctx.run((trx) => repo.chainSlice(trx, expectedSeq - 1, 1000));
    if (rows.length === 0) break;
    for (const r of rows) {
      if (problems.length >= maxProblems) break;
      if (r.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, problem: `missing rows ${expectedSeq}…${r.seq - 1}` });
        prev = r.prev_hash; // resynchronise to report later problems separately
      }
      if (r.prev_hash !== prev) problems.push({ seq: r.seq, problem: 'not chained to the previous row' });
      if (chainHash(deps.keys.auditChain, r.prev_hash, r.payload) !== r.hash) problems.push({ seq: r.seq, problem: 'hash does not match the payload' });
      const recomputed = payloadOf({ ...r, before: r.before ?? null, after: r.after ?? null, details: r.details ?? null });
      if (!sameJson(recomputed, r.payload)) problems.push({ seq: r.seq, problem: 'columns differ from the hashed payload' });
      prev = r.hash;
      expectedSeq = r.seq + 1;
      checked++;
    }
    if (problems.length >= maxProblems || rows.length < 1000) break;
  }
  if (head.seq !== expectedSeq - 1) problems.push({ seq: head.seq, problem: `chain head at ${head.seq} but last row is ${expectedSeq - 1}` });
  else if (checked > 0 && head.hash !== prev) problems.push({ seq: head.seq, problem: 'chain head hash differs from the last row' });
  return { ok: problems.length === 0, checked, headSeq: head.seq, problems };
}

/** jsonb normalises what it stores (key order, number text): compare parsed values canonically. */
function sameJson(a: string, b: string) {
  return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
}

export function assertChainOk(r: AuditVerifyResult) {
  if (!r.ok) throw new DomainError('audit.chain_broken', undefined, r.problems);
}

/**
 * What was done to one record, oldest first, for a data-subject export (the person's own history).
 * The caller's service has checked its own permission; rows outside its jurisdiction stay hidden.
 */
export async function entityHistory(ctx: Ctx, entityType: string, entityId: string) {
  const rows = await ctx.run((trx) => repo.entityRows(trx, entityType, entityId));
  return rows.map((h) => ({ at: h.at.toISOString(), action: h.action, by: h.actor_username, details: h.details }));
}
