import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkIdempotencyKey, idempotent } from '../../../platform/idempotency.ts';
import { idParams, uuid } from '../../../platform/contract-kit.ts';
import {
  allocation,
  confirmDonation,
  confirmedDonation,
  createAllocation,
  createDisbursement,
  createDonation,
  createDonor,
  decideDisbursement,
  disbursement,
  donation,
  donationListQuery,
  donationPage,
  donor,
  fund,
  lookupQuery,
  reverseInput,
  trace,
  createDisclosure,
  disclosureQuery,
  disclosureReport,
  disclosureContent,
  disclosureSummary,
  publicDisbursement,
  publicDonation,
} from '../donations.contract.ts';
import { donationLedgerRef } from './donations.ledger.ts';
import * as svc from './donations.service.ts';
import * as pub from './donations.disclosure.ts';
import { contentDisposition, xlsxStream } from '../../../platform/excel.ts';
import { designationLabels } from '../donations.contract.ts';

/** Every POST that moves money accepts an Idempotency-Key: a replay returns the first answer. */
export const donationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['donations 捐赠与资金'];
  const once = async <T>(req: { ctx: Parameters<typeof idempotent>[0]; headers: Record<string, unknown>; body: unknown }, route: string, status: number, work: () => Promise<T>) => {
    const key = checkIdempotencyKey(req.headers['idempotency-key'] as string | undefined);
    return idempotent(req.ctx, key, { route, body: req.body }, async () => ({ status, body: await work() }));
  };
  /** Runs a money POST once per Idempotency-Key and answers with the first response (marked when replayed). */
  const sendOnce = async <T>(req: Parameters<typeof once>[0], reply: FastifyReply, route: string, status: number, work: () => Promise<T>) => {
    const r = await once(req, route, status, work);
    if (r.replayed) reply.header('Idempotent-Replayed', 'true');
    return reply.code(r.status).send(r.body);
  };

  app.get('/api/donations/donors', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '捐赠人', querystring: z.strictObject({ q: z.string().trim().max(50).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }), response: { 200: z.object({ items: z.array(donor) }) } },
    handler: async (req) => ({ items: await svc.listDonors(req.ctx, req.query) }),
  });
  app.post('/api/donations/donors', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '登记捐赠人（个人须先在人员库登记）', body: createDonor, response: { 201: donor } },
    handler: async (req, reply) => reply.code(201).send(await svc.createDonor(req.ctx, req.body)),
  });
  app.get('/api/donations', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '捐赠记录', querystring: donationListQuery, response: { 200: donationPage } },
    handler: (req) => svc.listDonations(req.ctx, req.query),
  });
  app.post('/api/donations', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '登记捐赠（草稿）', body: createDonation, response: { 201: donation } },
    handler: async (req, reply) => {
      return sendOnce(req, reply, 'POST /api/donations', 201, () => svc.createDonation(req.ctx, req.body));
    },
  });
  app.get('/api/donations/:id', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '捐赠详情', params: idParams, response: { 200: donation } },
    handler: (req) => svc.getDonation(req.ctx, req.params.id),
  });
  app.post('/api/donations/:id/confirm', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '确认捐赠（须有票据号或不开票记录），入账并生成查询码（仅首次应答携带）', params: idParams, body: confirmDonation, response: { 200: confirmedDonation } },
    handler: async (req, reply) => {
      // The lookup code is never stored with the idempotent response (that table is not sealed): a
      // replay answers without it, and the receipt can be reprinted through the audited lookup-code route.
      let code: string | null = null;
      const r = await once(req, `POST /api/donations/${req.params.id}/confirm`, 200, async () => {
        const { lookupCode, ...rest } = await svc.confirmDonation(req.ctx, req.params.id, req.body);
        code = lookupCode;
        return rest;
      });
      if (r.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.code(200).send({ ...r.body, lookupCode: code });
    },
  });
  app.post('/api/donations/:id/reverse', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '冲销误录的捐赠（尚未使用的）', params: idParams, body: reverseInput, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await once(req, `POST /api/donations/${req.params.id}/reverse`, 204, async () => {
        await svc.reverseDonation(req.ctx, req.params.id, req.body.reason);
        return null;
      });
      return reply.code(204).send(null);
    },
  });
  app.get('/api/donations/:id/lookup-code', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '补打收据用的查询码（留痕）', params: idParams, response: { 200: z.object({ lookupCode: z.string() }) } },
    handler: async (req) => ({ lookupCode: await svc.donationLookupCode(req.ctx, req.params.id) }),
  });
  app.get('/api/donations/:id/ledger', {
    config: { permission: 'donations.write' },
    schema: {
      tags,
      summary: '收据上的公开账本凭证：条目序号、叶哈希、捐赠人承诺的盐值',
      params: idParams,
      response: { 200: z.object({ index: z.number().int().nullable(), leafHash: z.string().nullable(), party: z.object({ salt: z.string(), id: z.string() }).nullable() }) },
    },
    handler: (req) => donationLedgerRef(req.ctx, req.params.id),
  });
  app.get('/api/donations/:id/trace', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '爱心轨迹：捐赠的分配与拨付去向', params: idParams, response: { 200: trace } },
    handler: (req) => svc.donationTrace(req.ctx, req.params.id),
  });
  app.get('/api/donations/funds', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '资金账户与余额（由分录汇总）', response: { 200: z.object({ items: z.array(fund) }) } },
    handler: async (req) => ({ items: await svc.listFunds(req.ctx) }),
  });
  app.post('/api/donations/allocations', {
    config: { permission: 'donations.allocate' },
    schema: { tags, summary: '非定向资金分配到项目', body: createAllocation, response: { 201: allocation } },
    handler: async (req, reply) => {
      return sendOnce(req, reply, 'POST /api/donations/allocations', 201, () => svc.allocate(req.ctx, req.body));
    },
  });
  app.get('/api/donations/allocations', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '非定向资金分配记录', querystring: z.strictObject({ projectId: uuid.optional() }), response: { 200: z.object({ items: z.array(allocation) }) } },
    handler: async (req) => ({ items: await svc.listAllocations(req.ctx, req.query) }),
  });
  app.get('/api/donations/disbursements/:id', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '拨付详情', params: idParams, response: { 200: disbursement } },
    handler: (req) => svc.getDisbursement(req.ctx, req.params.id),
  });
  app.get('/api/donations/disbursements', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '拨付记录', querystring: z.strictObject({ status: z.enum(['submitted', 'approved', 'rejected']).optional() }), response: { 200: z.object({ items: z.array(disbursement) }) } },
    handler: async (req) => ({ items: await svc.listDisbursements(req.ctx, req.query) }),
  });
  app.post('/api/donations/disbursements', {
    config: { permission: 'donations.disburse' },
    schema: { tags, summary: '提交拨付（待他人审批）', body: createDisbursement, response: { 201: disbursement } },
    handler: async (req, reply) => {
      return sendOnce(req, reply, 'POST /api/donations/disbursements', 201, () => svc.submitDisbursement(req.ctx, req.body));
    },
  });
  app.post('/api/donations/disbursements/:id/decision', {
    config: { permission: 'donations.approve' },
    schema: { tags, summary: '审批拨付（不得审批本人提交的）', params: idParams, body: decideDisbursement, response: { 200: disbursement } },
    handler: async (req, reply) => {
      return sendOnce(req, reply, `POST /api/donations/disbursements/${req.params.id}/decision`, 200, () => svc.decideDisbursement(req.ctx, req.params.id, req.body));
    },
  });
  app.get('/api/public/donations/trace', {
    config: { public: true, rateLimit: { max: 20, timeWindow: 60_000 } },
    schema: { tags, summary: '捐赠人凭收据上的查询码查看爱心轨迹（无需登录）', querystring: lookupQuery, response: { 200: trace } },
    handler: (req) => svc.publicTrace(req.ctx.deps, req.query.code),
  });

  // ---------------------------------------------------------------- disclosure (公示)
  const reportSummary = z.object({ id: z.string(), unitId: z.string(), title: z.string(), periodStart: z.string(), periodEnd: z.string(), status: z.enum(['draft', 'published']), corrects: z.string().nullable(), contentHash: z.string().nullable(), publishedAt: z.string().nullable(), publishedByName: z.string().nullable(), version: z.number().int() });
  app.get('/api/donations/disclosures', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '公示报告', response: { 200: z.object({ items: z.array(reportSummary) }) } },
    handler: async (req) => ({ items: await pub.listDisclosures(req.ctx) }),
  });
  app.post('/api/donations/disclosures', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '起草某期公示报告（实时预览与发布前核对）', body: createDisclosure, response: { 201: disclosureReport } },
    handler: async (req, reply) => reply.code(201).send(await pub.createDisclosure(req.ctx, req.body)),
  });
  app.get('/api/donations/disclosures/:id', {
    config: { permission: 'donations.read' },
    schema: { tags, summary: '公示报告内容与核对结果', params: idParams, response: { 200: disclosureReport } },
    handler: (req) => pub.getDisclosure(req.ctx, req.params.id),
  });
  app.post('/api/donations/disclosures/:id/publish', {
    config: { permission: 'donations.write' },
    schema: { tags, summary: '通过核对后发布并冻结公示报告', params: idParams, body: z.strictObject({ version: z.number().int().min(1) }), response: { 200: disclosureReport } },
    handler: (req) => pub.publishDisclosure(req.ctx, req.params.id, req.body.version),
  });
  const publicLimit = { max: 120, timeWindow: 60_000 };
  app.get('/api/public/disclosure/donations', {
    config: { public: true, rateLimit: publicLimit },
    schema: { tags, summary: '公示：期间内收到的全部捐赠（经同意具名）', querystring: disclosureQuery, response: { 200: z.object({ items: z.array(publicDonation), nextCursor: z.string().nullable() }) } },
    handler: (req) => pub.publicDonations(req.ctx.deps, req.query),
  });
  app.get('/api/public/disclosure/disbursements', {
    config: { public: true, rateLimit: publicLimit },
    schema: { tags, summary: '公示：期间内的全部拨付', querystring: disclosureQuery, response: { 200: z.object({ items: z.array(publicDisbursement) }) } },
    handler: async (req) => ({ items: await pub.publicDisbursements(req.ctx.deps, req.query) }),
  });
  app.get('/api/public/disclosure/summary', {
    config: { public: true, rateLimit: publicLimit },
    schema: { tags, summary: '公示：各单位与各项目收支汇总', querystring: disclosureQuery, response: { 200: disclosureSummary } },
    handler: (req) => pub.publicSummary(req.ctx.deps, req.query),
  });
  app.get('/api/public/disclosure/donations.xlsx', {
    config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
    schema: { tags, summary: '公示：捐赠明细导出 Excel', querystring: disclosureQuery },
    handler: async (req, reply) => {
      const { items } = await pub.publicDonations(req.ctx.deps, { ...req.query, limit: 100_000 });
      const title = `捐赠明细公示（${req.query.from} 至 ${req.query.to}）`;
      const stream = xlsxStream({
        sheetName: '捐赠明细', title, watermark: `公开数据 · 导出于 ${new Date().toISOString().slice(0, 10)}`,
        columns: [{ header: '编号', key: 'number', width: 24 }, { header: '日期', key: 'receivedOn', width: 12 }, { header: '捐赠人', key: 'donorName', width: 24 }, { header: '金额（元）', key: 'yuan', width: 14 }, { header: '物资（品名、规格型号、数量）', key: 'goods', width: 40 }, { header: '物资价值（元）', key: 'goodsYuan', width: 14 }, { header: '用途', key: 'designation', width: 12 }, { header: '项目', key: 'projectName', width: 24 }, { header: '接收单位', key: 'unitName', width: 16 }],
        rows: items.map((d) => ({ ...d, yuan: d.amountFen / 100, goods: d.goods ?? '', goodsYuan: (d.goodsValueFen ?? 0) / 100, designation: designationLabels[d.designation].zh })),
      });
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', contentDisposition(`${title}.xlsx`)).send(stream);
    },
  });
  app.get('/api/public/disclosure/disbursements.xlsx', {
    config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
    schema: { tags, summary: '公示：拨付明细导出 Excel', querystring: disclosureQuery },
    handler: async (req, reply) => {
      const items = await pub.publicDisbursements(req.ctx.deps, req.query);
      const title = `拨付明细公示（${req.query.from} 至 ${req.query.to}）`;
      const stream = xlsxStream({
        sheetName: '拨付明细', title, watermark: `公开数据 · 导出于 ${new Date().toISOString().slice(0, 10)}`,
        columns: [{ header: '日期', key: 'paidOn', width: 12 }, { header: '受助方', key: 'beneficiary', width: 24 }, { header: '金额（元）', key: 'yuan', width: 14 }, { header: '用途', key: 'purpose', width: 30 }, { header: '资金来源', key: 'fundName', width: 24 }, { header: '类别', key: 'cat', width: 10 }, { header: '单位', key: 'unitName', width: 16 }],
        rows: items.map((d) => ({ ...d, yuan: d.amountFen / 100, cat: d.category === 'management' ? '管理费用' : '救助支出' })),
      });
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', contentDisposition(`${title}.xlsx`)).send(stream);
    },
  });
  app.get('/api/public/disclosures', {
    config: { public: true, rateLimit: publicLimit },
    schema: { tags, summary: '已发布的公示报告', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), periodStart: z.string(), periodEnd: z.string(), corrects: z.string().nullable(), contentHash: z.string(), publishedAt: z.string() })) }) } },
    handler: async (req) => ({ items: await pub.publicDisclosures(req.ctx.deps) }),
  });
  app.get('/api/public/disclosures/:id', {
    config: { public: true, rateLimit: publicLimit },
    schema: { tags, summary: '已发布公示报告的冻结内容及其哈希', params: idParams, response: { 200: z.object({ id: z.string(), contentHash: z.string(), content: disclosureContent }) } },
    handler: (req) => pub.publicDisclosure(req.ctx.deps, req.params.id),
  });
};
