import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarDay, calendarQuery, calendarYear, dayParams, putCalendarDay, putSettings, settingsView } from '../settings.contract.ts';
import * as svc from './settings.service.ts';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['settings 系统设置'];
  app.get('/api/settings/calendar', {
    config: { permission: 'settings.read' },
    schema: { tags, summary: '工作日历（某年的放假与调休上班日期）', querystring: calendarQuery, response: { 200: calendarYear } },
    handler: (req) => svc.calendarYear(req.ctx, req.query.year),
  });
  app.put('/api/settings/calendar/:day', {
    config: { permission: 'settings.manage' },
    schema: { tags, summary: '设置某日为放假或调休上班', params: dayParams, body: putCalendarDay, response: { 200: calendarDay } },
    handler: (req) => svc.putCalendarDay(req.ctx, req.params.day, req.body),
  });
  app.delete('/api/settings/calendar/:day', {
    config: { permission: 'settings.manage' },
    schema: { tags, summary: '删除某日的日历条目（恢复为普通工作日或周末）', params: dayParams, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await svc.deleteCalendarDay(req.ctx, req.params.day);
      return reply.code(204).send(null);
    },
  });
  app.get('/api/settings/business', {
    config: { permission: 'settings.read' },
    schema: { tags, summary: '业务参数（公示期限、管理费用提示线等）', response: { 200: settingsView.extend({ version: z.number().int() }) } },
    handler: (req) => svc.getSettings(req.ctx),
  });
  app.put('/api/settings/business', {
    config: { permission: 'settings.manage' },
    schema: { tags, summary: '修改业务参数', body: putSettings, response: { 200: settingsView.extend({ version: z.number().int() }) } },
    handler: (req) => svc.updateSettings(req.ctx, req.body),
  });
};
