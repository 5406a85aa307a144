import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { ATTACHMENT_MAX_BYTES, type Attachment } from '../attachments.contract.ts';

/**
 * Evidence files on any record (photos, scans, PDFs): the type is decided by the bytes, not the
 * name; files are stored once by SHA-256 under the files directory (never a static root) and served
 * only to whoever may see the owning record. The owning domain says who that is.
 */
export type AttachmentOwner = {
  ownerType: string;
  readPermission: string;
  writePermission: string;
  /** The unit of the owning record if the caller can see it, else null (→ 404). */
  unitOf(ctx: Ctx, ownerId: string): Promise<string | null>;
  /** The owning record is frozen (a published report): its evidence can no longer change. */
  frozen?(ctx: Ctx, ownerId: string): Promise<boolean>;
};

const owners = new Map<string, AttachmentOwner>();
export function registerAttachmentOwner(o: AttachmentOwner) {
  owners.set(o.ownerType, o);
}
export function attachmentOwners() {
  return [...owners.values()];
}

/** Content sniffing: the magic bytes of the few types evidence comes in. */
export function sniff(bytes: Buffer): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

function ownerFor(ctx: Ctx, ownerType: string, mode: 'read' | 'write') {
  const o = owners.get(ownerType);
  if (!o) throw new DomainError('attachments.unknown_owner_type', { ownerType });
  requirePermission(ctx, mode === 'read' ? o.readPermission : o.writePermission);
  return o;
}

function blobPath(ctx: Ctx, sha: string) {
  return path.join(ctx.deps.config.filesDir, 'blobs', sha.slice(0, 2), sha);
}

function toAttachment(r: { id: string; owner_type: string; owner_id: string; file_name: string; content_type: string; size: number; sha256: string; note: string | null; created_by: string | null; created_by_name: string | null; created_at: Date }): Attachment {
  return { id: r.id, ownerType: r.owner_type, ownerId: r.owner_id, fileName: r.file_name, contentType: r.content_type, size: r.size, sha256: r.sha256, note: r.note, createdBy: r.created_by, createdByName: r.created_by_name, createdAt: r.created_at.toISOString() };
}

export async function addAttachment(ctx: Ctx, input: { ownerType: string; ownerId: string; bytes: Buffer | null; fileName: string; note?: string | undefined }) {
  const owner = ownerFor(ctx, input.ownerType, 'write');
  const unitId = await owner.unitOf(ctx, input.ownerId);
  if (!unitId) throw new DomainError('attachments.not_found');
  if (await owner.frozen?.(ctx, input.ownerId)) throw new DomainError('attachments.frozen');
  const bytes = input.bytes;
  if (!bytes || bytes.length === 0) throw new DomainError('attachments.empty');
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw new DomainError('attachments.too_large', { mb: ATTACHMENT_MAX_BYTES / 1024 / 1024 });
  const contentType = sniff(bytes);
  if (!contentType) throw new DomainError('attachments.type_not_allowed');
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const file = blobPath(ctx, sha);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes, { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  const fileName = [...input.fileName].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' || '"\\/'.includes(ch) ? '_' : ch)).join('').slice(0, 200) || 'file';
  return ctx.run(async (trx) => {
    const row = await trx
      .insertInto('attachment')
      .values({ id: crypto.randomUUID(), org_unit_id: unitId, owner_type: input.ownerType, owner_id: input.ownerId, sha256: sha, size: bytes.length, content_type: contentType, file_name: fileName, note: input.note ?? null, created_by: ctx.actor.userId, created_by_name: ctx.actor.displayName ?? ctx.actor.username, created_at: ctx.deps.clock.now(), deleted_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, { action: 'attachments.added', entityType: input.ownerType, entityId: input.ownerId, unitId, details: { attachmentId: row.id, fileName, sha256: sha, size: bytes.length, contentType } });
    return toAttachment(row);
  });
}

export async function listAttachments(ctx: Ctx, ownerType: string, ownerId: string) {
  const owner = ownerFor(ctx, ownerType, 'read');
  if (!(await owner.unitOf(ctx, ownerId))) throw new DomainError('attachments.not_found');
  const rows = await ctx.run((trx) => trx.selectFrom('attachment').selectAll().where('owner_type', '=', ownerType).where('owner_id', '=', ownerId).where('deleted_at', 'is', null).orderBy('created_at').execute());
  return rows.map(toAttachment);
}

async function loadVisible(ctx: Ctx, id: string, mode: 'read' | 'write') {
  const row = await ctx.run((trx) => trx.selectFrom('attachment').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst());
  if (!row) throw new DomainError('attachments.not_found');
  const owner = ownerFor(ctx, row.owner_type, mode);
  if (!(await owner.unitOf(ctx, row.owner_id))) throw new DomainError('attachments.not_found');
  return row;
}

export async function openAttachment(ctx: Ctx, id: string) {
  const row = await loadVisible(ctx, id, 'read');
  const file = blobPath(ctx, row.sha256);
  if (!fs.existsSync(file)) throw new DomainError('attachments.not_found');
  return { attachment: toAttachment(row), stream: fs.createReadStream(file) };
}

export async function removeAttachment(ctx: Ctx, id: string) {
  const row = await loadVisible(ctx, id, 'write');
  if (await owners.get(row.owner_type)?.frozen?.(ctx, row.owner_id)) throw new DomainError('attachments.frozen');
  await ctx.run(async (trx) => {
    await trx.updateTable('attachment').set({ deleted_at: ctx.deps.clock.now() }).where('id', '=', id).execute();
    // The file itself stays: evidence is withdrawn from view, not destroyed, and the audit row says so.
    await recordAudit(ctx, { action: 'attachments.removed', entityType: row.owner_type, entityId: row.owner_id, unitId: row.org_unit_id, details: { attachmentId: id, fileName: row.file_name, sha256: row.sha256 } });
  });
}
