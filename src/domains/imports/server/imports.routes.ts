import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition } from '../../../platform/excel.ts';
import { XLSX_LIMITS } from '../../../platform/xlsx-read.ts';
import { permissionCatalog } from '../../catalog.ts';
import { importJob, importRegistryInfo, jobListQuery, jobParams, registryParams, startImportQuery } from '../imports.contract.ts';
import * as svc from './imports.service.ts';

/** Any registry's import permission lets a caller reach these routes; the service checks the registry's own. */
const IMPORT_PERMISSIONS = Object.keys(permissionCatalog).filter((p) => p.endsWith('.import'));
const XLSX_TYPES = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['imports Excel 导入'];
  app.addContentTypeParser(XLSX_TYPES, { parseAs: 'buffer', bodyLimit: XLSX_LIMITS.maxBytes }, (_req, body, done) => done(null, body));

  app.get('/api/imports', {
    config: { permission: IMPORT_PERMISSIONS },
    schema: { tags, summary: '最近的导入任务', querystring: jobListQuery, response: { 200: z.object({ items: z.array(importJob) }) } },
    handler: async (req) => ({ items: await svc.listJobs(req.ctx, req.query.registry) }),
  });
  app.get('/api/imports/registries/:registry', {
    config: { permission: IMPORT_PERMISSIONS },
    schema: { tags, summary: '导入类型：列与说明', params: registryParams, response: { 200: importRegistryInfo } },
    handler: (req) => svc.registryInfo(req.ctx, req.params.registry),
  });
  app.get('/api/imports/registries/:registry/template', {
    config: { permission: IMPORT_PERMISSIONS },
    schema: { tags, summary: '下载导入模板（xlsx）', params: registryParams },
    handler: async (req, reply) => {
      const stream = svc.templateStream(req.ctx, req.params.registry);
      reply.header('Content-Type', XLSX_TYPES[0]!);
      reply.header('Content-Disposition', contentDisposition(`${req.params.registry}-导入模板.xlsx`));
      return reply.send(stream);
    },
  });
  app.post('/api/imports/registries/:registry', {
    config: { permission: IMPORT_PERMISSIONS },
    bodyLimit: XLSX_LIMITS.maxBytes,
    schema: { tags, summary: '上传 xlsx 开始导入（后台校验，全部正确才写入）', params: registryParams, querystring: startImportQuery, response: { 202: importJob } },
    handler: async (req, reply) => {
      const raw = req.headers['x-file-name'];
      let fileName = 'upload.xlsx';
      try {
        if (typeof raw === 'string') fileName = decodeURIComponent(raw);
      } catch {
        /* keep the default name */
      }
      const job = await svc.startImport(req.ctx, req.params.registry, { bytes: Buffer.isBuffer(req.body) ? req.body : null, fileName, unitId: req.query.unitId });
      return reply.code(202).send(job);
    },
  });
  app.get('/api/imports/:id', {
    config: { permission: IMPORT_PERMISSIONS },
    schema: { tags, summary: '导入进度', params: jobParams, response: { 200: importJob } },
    handler: (req) => svc.getJob(req.ctx, req.params.id),
  });
  app.post('/api/imports/:id/cancel', {
    config: { permission: IMPORT_PERMISSIONS },
    schema: { tags, summary: '取消导入', params: jobParams, response: { 200: importJob } },
    handler: (req) => svc.cancelJob(req.ctx, req.params.id),
  });
  app.get('/api/imports/:id/report', {
    config: { permission: IMPORT_PERMISSIONS },
    schema: { tags, summary: '下载错误报告（行、列、内容、原因）', params: jobParams },
    handler: async (req, reply) => {
      const r = await svc.reportFile(req.ctx, req.params.id);
      reply.header('Content-Type', XLSX_TYPES[0]!);
      reply.header('Content-Disposition', contentDisposition(r.name));
      return reply.send(fs.createReadStream(r.path));
    },
  });
};
