import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../../platform/contract-kit.ts';
import { systemCtx, type Ctx } from '../../../platform/context.ts';
import { closeProject, createProject, project, projectDetail, projectListQuery, projectPage, publicProject, publicProjectListQuery, publicProjectPage, updateProject } from '../projects.contract.ts';
import * as svc from './projects.service.ts';

/** Public reads see the whole tree; the service's status filter is what keeps drafts out. */
function asPublic(ctx: Ctx) {
  return systemCtx(ctx.deps, { requestId: ctx.requestId, ip: ctx.ip, lang: ctx.lang });
}

export const projectsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['projects 项目库'];
  app.get('/api/projects', {
    config: { permission: 'projects.read' },
    schema: { tags, summary: '项目库列表（筛选：类型、状态、类别、关键字、品牌项目）', querystring: projectListQuery, response: { 200: projectPage } },
    handler: (req) => svc.listProjects(req.ctx, req.query),
  });
  app.get('/api/projects/:id', {
    config: { permission: 'projects.read' },
    schema: { tags, summary: '项目详情与修改记录', params: idParams, response: { 200: projectDetail } },
    handler: (req) => svc.getProject(req.ctx, req.params.id),
  });
  app.post('/api/projects', {
    config: { permission: 'projects.write' },
    schema: { tags, summary: '新建项目或专项募捐（编号自动生成）', body: createProject, response: { 201: project } },
    handler: async (req, reply) => reply.code(201).send(await svc.createProject(req.ctx, req.body)),
  });
  app.patch('/api/projects/:id', {
    config: { permission: 'projects.write' },
    schema: { tags, summary: '修改项目（带版本号）', params: idParams, body: updateProject, response: { 200: project } },
    handler: (req) => svc.updateProject(req.ctx, req.params.id, req.body),
  });
  app.post('/api/projects/:id/close', {
    config: { permission: 'projects.write' },
    schema: { tags, summary: '结束项目（不再接受定向捐赠）', params: idParams, body: closeProject, response: { 200: project } },
    handler: (req) => svc.closeProject(req.ctx, req.params.id, req.body),
  });

  const publicTags = ['public 公众'];
  app.get('/api/public/projects', {
    config: { public: true },
    schema: { tags: publicTags, summary: '公开的项目列表（募捐中与已结束，含已筹与目标）', querystring: publicProjectListQuery, response: { 200: publicProjectPage } },
    handler: (req) => svc.listPublicProjects(asPublic(req.ctx), req.query),
  });
  app.get('/api/public/projects/:id', {
    config: { public: true },
    schema: { tags: publicTags, summary: '公开的项目详情', params: idParams, response: { 200: publicProject } },
    handler: (req) => svc.getPublicProject(asPublic(req.ctx), req.params.id),
  });
  app.get('/api/public/projects/:id/image', {
    config: { public: true },
    schema: { tags: publicTags, summary: '项目公开图片', params: idParams },
    handler: async (req, reply) => {
      const { attachment, stream } = await svc.openPublicImage(asPublic(req.ctx), req.params.id);
      reply.header('Content-Type', attachment.contentType);
      reply.header('Cache-Control', 'public, max-age=300');
      reply.header('X-Content-Type-Options', 'nosniff');
      return reply.send(stream);
    },
  });
};
