import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountsRoutes, sessionCookieName } from '../domains/accounts/server/accounts.routes.ts';
import { resolveSession } from '../domains/accounts/server/accounts.auth.service.ts';
import { auditRoutes } from '../domains/audit/server/audit.routes.ts';
import { orgsRoutes } from '../domains/orgs/server/orgs.routes.ts';
import { peopleRoutes } from '../domains/people/server/people.routes.ts';
import { registerPeopleImport } from '../domains/people/server/people.import.ts';
import { importsRoutes } from '../domains/imports/server/imports.routes.ts';
import { attachmentsRoutes } from '../domains/attachments/server/attachments.routes.ts';
import { registerPeopleAttachments } from '../domains/people/server/people.attachments.ts';
import { planRoutes } from '../domains/plan/server/plan.routes.ts';
import { registerPlanAttachments } from '../domains/plan/server/plan.attachments.ts';
import { projectsRoutes } from '../domains/projects/server/projects.routes.ts';
import { registerProjectAttachments } from '../domains/projects/server/projects.attachments.ts';
import { donationsRoutes } from '../domains/donations/server/donations.routes.ts';
import { ledgerRoutes } from '../domains/ledger/server/ledger.routes.ts';
import { ledgerExportsRoutes } from '../domains/ledger/server/ledger.exports.routes.ts';
import { warehousesRoutes } from '../domains/warehouses/server/warehouses.routes.ts';
import { registerWarehouseAttachments } from '../domains/warehouses/server/warehouses.attachments.ts';
import { registerWarehouseIndicators } from '../domains/warehouses/server/warehouses.indicators.ts';
import { registerDonationAttachments } from '../domains/donations/server/donations.attachments.ts';
import { donationsExportRoutes } from '../domains/donations/server/donations.export.routes.ts';
import { registerDonationErasure } from '../domains/donations/server/donations.erasure.ts';
import { registerWarehouseTodos } from '../domains/warehouses/server/warehouses.todos.ts';
import { registerDonationTodos } from '../domains/donations/server/donations.todos.ts';
import { settingsRoutes } from '../domains/settings/server/settings.routes.ts';
import { registerDonationIndicators, registerProjectRaised } from '../domains/donations/server/donations.indicators.ts';
import type { Deps } from '../platform/context.ts';
import { enforceRoutePolicies, errorBody, installAccessControl, installErrorHandling, parseQueryString, validatorCompiler } from '../platform/http.ts';
import { pickLang } from '../platform/i18n.ts';

export const APP_VERSION: string = JSON.parse(
  fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8'),
).version;

export const WEB_DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export type BuiltApp = { app: FastifyInstance; routes: RouteOptions[] };

/** Personal data and secrets never reach the logs (security.md item 35). */
const LOG_REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

export async function buildApp(deps: Deps, opts: { logger?: boolean | object; serveWeb?: boolean } = {}): Promise<BuiltApp> {
  const secure = deps.config.session.secureCookies;
  const app = Fastify({
    logger: opts.logger === undefined ? { level: deps.config.logLevel, redact: LOG_REDACT } : opts.logger,
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: deps.config.trustProxy ? deps.config.trustProxy.split(',').map((s) => s.trim()) : false,
    routerOptions: { querystringParser: parseQueryString },
  }).withTypeProvider<ZodTypeProvider>();
  deps = { ...deps, log: app.log };
  const routes: RouteOptions[] = [];

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  enforceRoutePolicies(app, routes);
  installErrorHandling(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time (CSS-in-JS).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false, errorResponseBuilder: (_req, ctx) => Object.assign(new Error('rate limited'), { statusCode: 429, code: 'FST_ERR_RATE_LIMIT_EXCEEDED', retryAfter: Math.ceil(ctx.ttl / 1000) }) });
  await app.register(swagger, {
    openapi: {
      info: { title: '博爱 · 衢州市红十字会数智红会平台 API', version: APP_VERSION, description: 'Errors: { "error": { "code", "message", "details" } }. State-changing requests carry the X-CSRF-Token from GET /api/auth/me.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(secure) } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  installAccessControl(app, deps, { cookieName: sessionCookieName(secure), resolve: resolveSession });

  app.get('/api/health', {
    config: { public: true },
    schema: {
      tags: ['platform'],
      summary: '健康检查',
      response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() }) },
    },
    handler: async () => {
      await deps.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return { status: 'ok' as const, database: deps.dbKind, version: APP_VERSION };
    },
  });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(orgsRoutes);
  await app.register(accountsRoutes, {
    cookieName: sessionCookieName(secure),
    secureCookies: secure,
    authRateLimitPerMinute: deps.config.authRateLimitPerMinute,
  });
  await app.register(auditRoutes);
  await app.register(peopleRoutes);
  registerPeopleImport();
  await app.register(importsRoutes);
  registerPeopleAttachments();
  await app.register(planRoutes);
  registerPlanAttachments();
  await app.register(projectsRoutes);
  registerProjectAttachments();
  await app.register(donationsRoutes);
  await app.register(donationsExportRoutes);
  await app.register(ledgerRoutes, { deps });
  await app.register(ledgerExportsRoutes);
  registerDonationAttachments();
  registerDonationIndicators();
  registerProjectRaised();
  registerDonationTodos();
  registerWarehouseTodos();
  registerDonationErasure();
  await app.register(warehousesRoutes);
  registerWarehouseAttachments();
  registerWarehouseIndicators();
  await app.register(settingsRoutes);
  await app.register(attachmentsRoutes);

  const serveWeb = opts.serveWeb ?? fs.existsSync(path.join(WEB_DIST, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: ['index.html'], cacheControl: false, setHeaders: (res, file) => {
      res.header('Cache-Control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    } });
  }
  app.setNotFoundHandler((req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    if (!req.url.startsWith('/api/') && serveWeb && (req.method === 'GET' || req.method === 'HEAD')) {
      // Client-side routes: the single-page app decides what to show (its own 404 page included).
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    const { status, body } = errorBody('route_not_found', lang);
    return reply.code(status).send(body);
  });
  await app.ready();
  return { app, routes };
}
