import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../platform/contract-kit.ts';
import {
  createOrgUnit,
  orgListQuery,
  orgPage,
  orgUnit,
  orgUnitDetail,
  population,
  populationKeyParams,
  savePopulation,
  updateOrgUnit,
} from '../orgs.contract.ts';
import * as svc from './orgs.service.ts';

export const orgsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['orgs 组织机构'];
  app.get('/api/orgs', {
    config: { permission: 'orgs.read' },
    schema: { tags, summary: '管辖范围内的组织（树序）', querystring: orgListQuery, response: { 200: orgPage } },
    handler: (req) => svc.listUnits(req.ctx, req.query),
  });
  app.get('/api/orgs/:id', {
    config: { permission: 'orgs.read' },
    schema: { tags, summary: '组织详情、上级与人口数', params: idParams, response: { 200: orgUnitDetail } },
    handler: (req) => svc.getUnit(req.ctx, req.params.id),
  });
  app.post('/api/orgs', {
    config: { permission: 'orgs.write' },
    schema: { tags, summary: '新建下级组织', body: createOrgUnit, response: { 201: orgUnit } },
    handler: async (req, reply) => reply.code(201).send(await svc.createUnit(req.ctx, req.body)),
  });
  app.patch('/api/orgs/:id', {
    config: { permission: 'orgs.write' },
    schema: { tags, summary: '修改或移动组织', params: idParams, body: updateOrgUnit, response: { 200: orgUnit } },
    handler: (req) => svc.updateUnit(req.ctx, req.params.id, req.body),
  });
  app.delete('/api/orgs/:id', {
    config: { permission: 'orgs.write' },
    schema: { tags, summary: '删除没有下级与记录的组织', params: idParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.deleteUnit(req.ctx, req.params.id);
      return reply.code(204).send(null);
    },
  });
  app.get('/api/orgs/:id/populations', {
    config: { permission: 'orgs.read' },
    schema: { tags, summary: '组织各年度人口数', params: idParams, response: { 200: z.object({ items: z.array(population) }) } },
    handler: async (req) => ({ items: await svc.listPopulations(req.ctx, req.params.id) }),
  });
  app.put('/api/orgs/:id/populations', {
    config: { permission: 'orgs.write' },
    schema: { tags, summary: '保存某年度某口径的人口数', params: idParams, body: savePopulation, response: { 200: population } },
    handler: (req) => svc.savePopulation(req.ctx, req.params.id, req.body),
  });
  app.delete('/api/orgs/:id/populations/:year/:kind', {
    config: { permission: 'orgs.write' },
    schema: { tags, summary: '删除某年度某口径的人口数', params: populationKeyParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.deletePopulation(req.ctx, req.params.id, req.params.year, req.params.kind);
      return reply.code(204).send(null);
    },
  });
};
