import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActionLabels, auditFilter, auditListQuery, auditPage, auditVerifyResult } from '../audit.contract.ts';
import { contentDisposition, xlsxStream } from '../../../platform/excel.ts';
import { shanghaiDate, t } from '../../../platform/i18n.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import * as svc from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['audit 审计日志'];
  app.get('/api/audit', {
    config: { permission: 'audit.read' },
    schema: { tags, summary: '审计日志（管辖范围内，新在前）', querystring: auditListQuery, response: { 200: auditPage } },
    handler: (req) => svc.listAudit(req.ctx, req.query),
  });
  app.get('/api/audit/verify', {
    config: { permission: 'audit.read' },
    schema: { tags, summary: '校验审计日志哈希链', response: { 200: auditVerifyResult } },
    handler: async (req) => {
      requirePermission(req.ctx, 'audit.read');
      return svc.verifyAuditChain(req.ctx.deps);
    },
  });
  app.get('/api/audit/export', {
    config: { permission: 'audit.export' },
    schema: { tags, summary: '导出审计日志（xlsx）', querystring: auditFilter },
    handler: async (req, reply) => {
      const { ctx } = req;
      const lang = ctx.lang;
      const en = lang === 'en';
      const pages = svc.iterateAudit(ctx, req.query);
      await svc.recordAudit(ctx, { action: 'audit.exported', details: { filter: req.query } });
      const stream = xlsxStream({
        sheetName: en ? 'Audit log' : '审计日志',
        title: en ? 'Boai audit log' : '博爱平台审计日志',
        watermark: `${ctx.actor.username} · ${ctx.deps.clock.now().toISOString()}`,
        columns: [
          { header: en ? 'No.' : '序号', key: 'seq', width: 10 },
          { header: en ? 'Time' : '时间', key: 'at', width: 22 },
          { header: en ? 'User' : '操作人', key: 'actor', width: 18 },
          { header: en ? 'Unit' : '单位', key: 'unit', width: 20 },
          { header: en ? 'Action' : '操作', key: 'action', width: 20 },
          { header: en ? 'Object' : '对象', key: 'entity', width: 30 },
          { header: en ? 'Result' : '结果', key: 'result', width: 10 },
          { header: en ? 'IP' : 'IP 地址', key: 'ip', width: 16 },
          { header: en ? 'Request' : '请求编号', key: 'requestId', width: 20 },
          { header: en ? 'Details' : '详情', key: 'details', width: 60 },
        ],
        rows: (async function* () {
          for await (const page of pages) {
            for (const e of page) {
              yield {
                seq: e.seq,
                at: new Date(e.at).toLocaleString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }),
                actor: e.actorUsername ?? '',
                unit: e.unitName ?? '',
                action: auditActionLabels[e.action] ? t(auditActionLabels[e.action]!, lang) : e.action,
                entity: [e.entityType, e.entityId].filter(Boolean).join(' '),
                result: { success: en ? 'success' : '成功', failure: en ? 'failure' : '失败', denied: en ? 'denied' : '拒绝' }[e.result],
                ip: e.ip ?? '',
                requestId: e.requestId ?? '',
                details: JSON.stringify({ before: e.before, after: e.after, details: e.details }),
              };
            }
          }
        })(),
      });
      reply.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('Content-Disposition', contentDisposition(`${en ? 'audit-log' : '审计日志'}-${shanghaiDate(ctx.deps.clock.now())}.xlsx`));
      return reply.send(stream);
    },
  });
};
