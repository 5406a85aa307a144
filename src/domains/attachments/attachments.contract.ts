import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { isoDateTime, uuid } from '../../platform/contract-kit.ts';

export const attachmentsErrors = {
  'attachments.unknown_owner_type': { status: 404, zh: '不支持给“{ownerType}”添加附件', en: 'Attachments are not supported on "{ownerType}"' },
  'attachments.not_found': { status: 404, zh: '附件不存在或无权查看', en: 'Attachment not found, or not visible to you' },
  'attachments.type_not_allowed': { status: 415, zh: '只接受 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断）', en: 'Only JPEG, PNG or WebP images and PDF files are accepted (judged by content)' },
  'attachments.too_large': { status: 413, zh: '附件不能超过 {mb} MB', en: 'Attachments may not exceed {mb} MB' },
  'attachments.frozen': { status: 409, zh: '该记录已发布并冻结，附件不能再增删', en: 'The record is published and frozen; its attachments cannot change' },
  'attachments.empty': { status: 400, zh: '文件为空', en: 'The file is empty' },
} satisfies ErrorCatalog;

export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export const attachment = z.object({
  id: z.string(),
  ownerType: z.string(),
  ownerId: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: isoDateTime,
});
export type Attachment = z.infer<typeof attachment>;

export const ownerQuery = z.strictObject({ ownerType: z.string().regex(/^[a-z][a-z_]{1,40}$/), ownerId: uuid });
export const uploadQuery = ownerQuery.extend({ note: z.string().trim().max(200).optional() });
