import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../platform/contract-kit.ts';
import { contentDisposition } from '../../../platform/excel.ts';
import { ATTACHMENT_MAX_BYTES, attachment, ownerQuery, uploadQuery } from '../attachments.contract.ts';
import * as svc from './attachments.service.ts';

/** Route permissions: any owner's read (or write) permission; the service checks the owner type's own. */
export const attachmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['attachments 附件'];
  const read = [...new Set(svc.attachmentOwners().map((o) => o.readPermission))];
  const write = [...new Set(svc.attachmentOwners().map((o) => o.writePermission))];
  // Whatever type the browser guessed, the bytes are judged by the service (content, not name or header).
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES + 1 }, (_req, body, done) => done(null, body));

  app.get('/api/attachments', {
    config: { permission: read },
    schema: { tags, summary: '记录的附件', querystring: ownerQuery, response: { 200: z.object({ items: z.array(attachment) }) } },
    handler: async (req) => ({ items: await svc.listAttachments(req.ctx, req.query.ownerType, req.query.ownerId) }),
  });
  app.post('/api/attachments', {
    config: { permission: write },
    bodyLimit: ATTACHMENT_MAX_BYTES + 1,
    schema: { tags, summary: '上传附件（图片或 PDF，按内容识别类型）', querystring: uploadQuery, response: { 201: attachment } },
    handler: async (req, reply) => {
      let fileName = 'file';
      const raw = req.headers['x-file-name'];
      try {
        if (typeof raw === 'string') fileName = decodeURIComponent(raw);
      } catch {
        /* keep the default */
      }
      const a = await svc.addAttachment(req.ctx, { ownerType: req.query.ownerType, ownerId: req.query.ownerId, bytes: Buffer.isBuffer(req.body) ? req.body : null, fileName, note: req.query.note });
      return reply.code(201).send(a);
    },
  });
  app.get('/api/attachments/:id/content', {
    config: { permission: read },
    schema: { tags, summary: '下载附件', params: idParams },
    handler: async (req, reply) => {
      const { attachment: a, stream } = await svc.openAttachment(req.ctx, req.params.id);
      reply.header('Content-Type', a.contentType);
      reply.header('Content-Disposition', contentDisposition(a.fileName));
      reply.header('Cache-Control', 'private, no-store');
      return reply.send(stream);
    },
  });
  app.delete('/api/attachments/:id', {
    config: { permission: write },
    schema: { tags, summary: '撤下附件（文件保留，留痕）', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.removeAttachment(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  });
};
