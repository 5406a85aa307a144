import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uuid, version } from '../../../platform/contract-kit.ts';
import {
  actualEntry,
  actualsQuery,
  breakdownInput,
  bulletin,
  bulletinSummary,
  comparison,
  createBulletin,
  createEvaluation,
  createIndicator,
  createPlan,
  enterActual,
  evaluation,
  evaluationDetail,
  evaluationVerify,
  indicator,
  indicatorParams,
  indicatorTable,
  indicatorTableQuery,
  plan,
  planDetail,
  planIdParams,
  progressQuery,
  progressResult,
  saveTarget,
  target,
  targetParams,
  updateBulletin,
  updateEvaluation,
  updateIndicator,
  updatePlan,
  warning,
} from '../plan.contract.ts';
import * as svc from './plan.service.ts';
import { bulletinXlsx, exportPlanXlsx, importPlanXlsx } from './plan.xlsx.ts';
import { contentDisposition } from '../../../platform/excel.ts';

const idOnly = z.strictObject({ id: uuid });
const XLSX_TYPES = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];
const PLAN_XLSX_MAX = 5 * 1024 * 1024;

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['plan 规划'];
  app.addContentTypeParser(XLSX_TYPES, { parseAs: 'buffer', bodyLimit: PLAN_XLSX_MAX }, (_req, body, done) => done(null, body));
  app.get('/api/plan/plans', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '规划列表', response: { 200: z.object({ items: z.array(plan) }) } },
    handler: async (req) => ({ items: await svc.listPlans(req.ctx) }),
  });
  app.post('/api/plan/plans', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '新建规划', body: createPlan, response: { 201: plan } },
    handler: async (req, reply) => reply.code(201).send(await svc.createPlan(req.ctx, req.body)),
  });
  app.post('/api/plan/plans/import', {
    config: { permission: 'plan.write' },
    bodyLimit: PLAN_XLSX_MAX,
    schema: { tags, summary: '从 Excel 导入整个规划（每表一个工作表），建成新规划', response: { 201: plan } },
    handler: async (req, reply) => reply.code(201).send(await importPlanXlsx(req.ctx, Buffer.isBuffer(req.body) ? req.body : null)),
  });
  app.get('/api/plan/plans/:id', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '规划详情：指标、分解目标、基期表', params: planIdParams, response: { 200: planDetail } },
    handler: (req) => svc.getPlanDetail(req.ctx, req.params.id),
  });
  app.patch('/api/plan/plans/:id', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '修改规划', params: planIdParams, body: updatePlan, response: { 200: plan } },
    handler: (req) => svc.updatePlan(req.ctx, req.params.id, req.body),
  });
  app.get('/api/plan/plans/:id/export.xlsx', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '导出整个规划为 Excel（每表一个工作表）', params: planIdParams },
    handler: async (req, reply) => {
      const { fileName, buffer } = await exportPlanXlsx(req.ctx, req.params.id);
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', contentDisposition(fileName)).send(buffer);
    },
  });
  app.post('/api/plan/plans/:id/indicators', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '新增指标', params: planIdParams, body: createIndicator, response: { 201: indicator } },
    handler: async (req, reply) => reply.code(201).send(await svc.createIndicator(req.ctx, req.params.id, req.body)),
  });
  app.patch('/api/plan/plans/:id/indicators/:code', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '修改指标', params: indicatorParams, body: updateIndicator, response: { 200: indicator } },
    handler: (req) => svc.updateIndicator(req.ctx, req.params.id, req.params.code, req.body),
  });
  app.put('/api/plan/plans/:id/indicators/:code/breakdown', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '确认累计指标的逐年分解', params: indicatorParams, body: breakdownInput, response: { 200: z.object({ items: z.array(target) }) } },
    handler: async (req) => ({ items: await svc.saveBreakdown(req.ctx, req.params.id, req.params.code, req.body) }),
  });
  app.get('/api/plan/plans/:id/indicators/:code/table', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '某指标本单位及各下级单位的进度与逐年序列', params: indicatorParams, querystring: indicatorTableQuery, response: { 200: indicatorTable } },
    handler: (req) => svc.indicatorTable(req.ctx, req.params.id, req.params.code, req.query),
  });
  app.put('/api/plan/plans/:id/targets', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '保存（补录或修改）一条分解目标', params: planIdParams, body: saveTarget, response: { 200: target } },
    handler: (req) => svc.saveTarget(req.ctx, req.params.id, req.body),
  });
  app.delete('/api/plan/plans/:id/targets/:targetId', {
    config: { permission: 'plan.write' },
    schema: { tags, summary: '删除一条分解目标', params: targetParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.deleteTarget(req.ctx, req.params.id, req.params.targetId);
      return reply.code(204).send(null);
    },
  });
  app.get('/api/plan/plans/:id/warnings', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '规划表格的不一致之处', params: planIdParams, response: { 200: z.object({ items: z.array(warning) }) } },
    handler: async (req) => ({ items: await svc.planWarnings(req.ctx, req.params.id) }),
  });
  app.get('/api/plan/plans/:id/progress', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '各指标进度（目标、完成数、进度、状态、预测）', params: planIdParams, querystring: progressQuery, response: { 200: progressResult } },
    handler: (req) => svc.progress(req.ctx, req.params.id, req.query),
  });
  app.get('/api/plan/plans/:id/actuals', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '人工填报的完成数（可含历史）', params: planIdParams, querystring: actualsQuery, response: { 200: z.object({ items: z.array(actualEntry) }) } },
    handler: async (req) => ({ items: await svc.listActuals(req.ctx, req.params.id, req.query) }),
  });
  app.post('/api/plan/plans/:id/actuals', {
    config: { permission: 'plan.actuals' },
    schema: { tags, summary: '人工填报某单位某年度的完成数（覆盖前一次，历史保留）', params: planIdParams, body: enterActual, response: { 201: actualEntry } },
    handler: async (req, reply) => reply.code(201).send(await svc.enterActual(req.ctx, req.params.id, req.body)),
  });
  app.get('/api/plan/plans/:id/bulletins', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '工作进度通报列表', params: planIdParams, response: { 200: z.object({ items: z.array(bulletinSummary) }) } },
    handler: async (req) => ({ items: await svc.listBulletins(req.ctx, req.params.id) }),
  });
  app.post('/api/plan/plans/:id/bulletins', {
    config: { permission: 'plan.report' },
    schema: { tags, summary: '生成季度、半年或年度工作进度通报', params: planIdParams, body: createBulletin, response: { 201: bulletin } },
    handler: async (req, reply) => reply.code(201).send(await svc.createBulletin(req.ctx, req.params.id, req.body)),
  });
  app.get('/api/plan/bulletins/:id', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '通报内容（各指标、县区排名、滞后项）', params: idOnly, response: { 200: bulletin } },
    handler: (req) => svc.getBulletin(req.ctx, req.params.id),
  });
  app.patch('/api/plan/bulletins/:id', {
    config: { permission: 'plan.report' },
    schema: { tags, summary: '修改通报说明', params: idOnly, body: updateBulletin, response: { 200: bulletin } },
    handler: (req) => svc.updateBulletin(req.ctx, req.params.id, req.body),
  });
  app.get('/api/plan/bulletins/:id/export.xlsx', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '通报导出为 Excel', params: idOnly },
    handler: async (req, reply) => {
      const { fileName, buffer } = await bulletinXlsx(req.ctx, req.params.id);
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', contentDisposition(fileName)).send(buffer);
    },
  });
  app.get('/api/plan/plans/:id/evaluations', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '评估报告列表', params: planIdParams, response: { 200: z.object({ items: z.array(evaluation) }) } },
    handler: async (req) => ({ items: await svc.listEvaluations(req.ctx, req.params.id) }),
  });
  app.post('/api/plan/plans/:id/evaluations', {
    config: { permission: 'plan.report' },
    schema: { tags, summary: '新建期中、期末或专项评估（草稿）', params: planIdParams, body: createEvaluation, response: { 201: evaluationDetail } },
    handler: async (req, reply) => reply.code(201).send(await svc.createEvaluation(req.ctx, req.params.id, req.body)),
  });
  app.get('/api/plan/plans/:id/comparison', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '基期、期中、期末对比', params: planIdParams, response: { 200: comparison } },
    handler: (req) => svc.comparison(req.ctx, req.params.id),
  });
  app.get('/api/plan/evaluations/:id', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '评估报告（已发布为冻结内容，草稿为实时预览）', params: idOnly, response: { 200: evaluationDetail } },
    handler: (req) => svc.getEvaluation(req.ctx, req.params.id),
  });
  app.patch('/api/plan/evaluations/:id', {
    config: { permission: 'plan.report' },
    schema: { tags, summary: '修改评估草稿', params: idOnly, body: updateEvaluation, response: { 200: evaluationDetail } },
    handler: (req) => svc.updateEvaluation(req.ctx, req.params.id, req.body),
  });
  app.delete('/api/plan/evaluations/:id', {
    config: { permission: 'plan.report' },
    schema: { tags, summary: '删除评估草稿', params: idOnly, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.deleteEvaluation(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  });
  app.post('/api/plan/evaluations/:id/publish', {
    config: { permission: 'plan.report' },
    schema: { tags, summary: '发布评估：冻结全部数值并计算内容哈希', params: idOnly, body: z.strictObject({ version }), response: { 200: evaluationDetail } },
    handler: (req) => svc.publishEvaluation(req.ctx, req.params.id, req.body.version),
  });
  app.get('/api/plan/evaluations/:id/verify', {
    config: { permission: 'plan.read' },
    schema: { tags, summary: '重新计算已发布评估的内容哈希', params: idOnly, response: { 200: evaluationVerify } },
    handler: (req) => svc.verifyEvaluation(req.ctx, req.params.id),
  });
};
