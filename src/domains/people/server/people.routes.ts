import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, uuid } from '../../../platform/contract-kit.ts';
import { contentDisposition, xlsxStream } from '../../../platform/excel.ts';
import { shanghaiDate, t } from '../../../platform/i18n.ts';
import { checkIdempotencyKey, idempotent } from '../../../platform/idempotency.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import {
  createPerson,
  eraseBody,
  giveConsentBody,
  idTypeLabels,
  linkBody,
  mergeBody,
  person,
  personDetail,
  personListQuery,
  personLookup,
  personPage,
  sexLabels,
  consent,
  unmaskBody,
  unmasked,
  updatePerson,
  withdrawConsentBody,
} from '../people.contract.ts';
import * as svc from './people.service.ts';

export const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['people 人员'];
  app.get('/api/people', {
    config: { permission: 'people.read' },
    schema: { tags, summary: '人员名单（证件号、手机号脱敏）', querystring: personListQuery, response: { 200: personPage } },
    handler: (req) => svc.listPeople(req.ctx, req.query),
  });
  app.post('/api/people/lookup', {
    config: { permission: 'people.read' },
    schema: { tags, summary: '按证件号或手机号精确查找（号码放在请求体中）', body: personLookup, response: { 200: z.object({ items: z.array(person), registeredElsewhere: z.boolean() }) } },
    handler: (req) => svc.lookupPeople(req.ctx, req.body),
  });
  app.get('/api/people/export', {
    config: { permission: 'people.export' },
    schema: { tags, summary: '导出人员名单（xlsx，脱敏）', querystring: personListQuery.omit({ cursor: true, limit: true }) },
    handler: async (req, reply) => {
      const { ctx } = req;
      const lang = ctx.lang;
      const en = lang === 'en';
      const pages = svc.iteratePeople(ctx, req.query);
      await recordAudit(ctx, { action: 'people.exported', details: { filter: req.query } });
      const rows = (async function* () {
        for await (const page of pages) {
          for (const p of page) {
            yield {
              name: p.name,
              idType: t(idTypeLabels[p.idType], lang),
              idNumber: p.idNumberMasked ?? '',
              sex: t(sexLabels[p.sex], lang),
              age: p.age ?? '',
              mobile: p.mobileMasked ?? '',
              unit: p.unitName,
              homeUnit: p.homeUnitName ?? '',
              address: p.address ?? '',
              createdAt: shanghaiDate(new Date(p.createdAt)),
            };
          }
        }
      })();
      reply.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('Content-Disposition', contentDisposition(`${en ? 'people' : '人员名单'}-${shanghaiDate(ctx.deps.clock.now())}.xlsx`));
      return reply.send(
        xlsxStream({
          sheetName: en ? 'People' : '人员',
          title: en ? 'People' : '人员名单',
          watermark: `${ctx.actor.username} · ${ctx.deps.clock.now().toISOString()}`,
          columns: [
            { header: en ? 'Name' : '姓名', key: 'name', width: 12 },
            { header: en ? 'Document' : '证件类型', key: 'idType', width: 14 },
            { header: en ? 'Number (masked)' : '证件号（脱敏）', key: 'idNumber', width: 22 },
            { header: en ? 'Sex' : '性别', key: 'sex', width: 6 },
            { header: en ? 'Age' : '年龄', key: 'age', width: 6 },
            { header: en ? 'Mobile (masked)' : '手机号（脱敏）', key: 'mobile', width: 14 },
            { header: en ? 'Registered by' : '登记单位', key: 'unit', width: 16 },
            { header: en ? 'Home unit' : '所在地', key: 'homeUnit', width: 16 },
            { header: en ? 'Address' : '地址', key: 'address', width: 30 },
            { header: en ? 'Registered on' : '登记日期', key: 'createdAt', width: 12 },
          ],
          rows,
        }),
      );
    },
  });
  app.get('/api/people/:id', {
    config: { permission: 'people.read' },
    schema: { tags, summary: '人员详情：同意记录、在各业务中的身份', params: idParams, response: { 200: personDetail } },
    handler: (req) => svc.getPerson(req.ctx, req.params.id),
  });
  app.post('/api/people', {
    config: { permission: 'people.write' },
    schema: { tags, summary: '登记人员（支持 Idempotency-Key）', body: createPerson, response: { 201: person } },
    handler: async (req, reply) => {
      const key = checkIdempotencyKey(req.headers['idempotency-key']);
      const r = await idempotent(req.ctx, key, { route: 'POST /api/people', body: req.body }, async () => ({ status: 201, body: await svc.createPerson(req.ctx, req.body) }));
      if (r.replayed) reply.header('Idempotent-Replayed', 'true');
      return reply.code(r.status as 201).send(r.body);
    },
  });
  app.post('/api/people/link', {
    config: { permission: 'people.write' },
    schema: { tags, summary: '关联其他单位已登记的人员（须提供完整证件号）', body: linkBody, response: { 200: person } },
    handler: (req) => svc.linkPerson(req.ctx, req.body),
  });
  app.patch('/api/people/:id', {
    config: { permission: 'people.write' },
    schema: { tags, summary: '更正人员信息', params: idParams, body: updatePerson, response: { 200: person } },
    handler: (req) => svc.updatePerson(req.ctx, req.params.id, req.body),
  });
  app.post('/api/people/:id/unmask', {
    config: { permission: 'people.view_full' },
    schema: { tags, summary: '查看完整证件号/手机号（留痕）', params: idParams, body: unmaskBody, response: { 200: unmasked } },
    handler: (req) => svc.unmaskPerson(req.ctx, req.params.id, req.body),
  });
  app.post('/api/people/:id/consents', {
    config: { permission: 'people.write' },
    schema: { tags, summary: '记录同意', params: idParams, body: giveConsentBody, response: { 201: consent } },
    handler: async (req, reply) => reply.code(201).send(await svc.giveConsent(req.ctx, req.params.id, req.body)),
  });
  app.post('/api/people/:id/consents/:consentId/withdraw', {
    config: { permission: 'people.write' },
    schema: { tags, summary: '撤回同意', params: z.strictObject({ id: uuid, consentId: uuid }), body: withdrawConsentBody, response: { 200: consent } },
    handler: (req) => svc.withdrawConsent(req.ctx, req.params.id, req.params.consentId, req.body.reason),
  });
  app.post('/api/people/merge', {
    config: { permission: 'people.merge' },
    schema: { tags, summary: '合并重复人员（关联记录并入保留的一方）', body: mergeBody, response: { 200: person } },
    handler: (req) => svc.mergePeople(req.ctx, req.body),
  });
  app.get('/api/people/:id/data-export', {
    config: { permission: ['people.erase', 'people.view_full'] },
    schema: { tags, summary: '个人信息查阅复制（数据主体请求，JSON）', params: idParams },
    handler: async (req, reply) => {
      const data = await svc.exportPersonData(req.ctx, req.params.id);
      reply.header('Content-Disposition', contentDisposition(`personal-data-${req.params.id.slice(0, 8)}.json`));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
    },
  });
  app.post('/api/people/:id/erase', {
    config: { permission: 'people.erase' },
    schema: { tags, summary: '删除个人信息（密钥销毁，保留依法须保存的记录）', params: idParams, body: eraseBody, response: { 200: person } },
    handler: (req) => svc.erasePerson(req.ctx, req.params.id, req.body),
  });
};
