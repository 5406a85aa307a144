import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Fastify from 'fastify';
import { Agent, describeDb, TEST_PASSWORD } from './support/harness.ts';
import { enforceRoutePolicies } from '../src/platform/http.ts';
import { errorCatalog } from '../src/domains/catalog.ts';

describeDb('HTTP edge: errors, validation, headers, OpenAPI', (h) => {
  let a: Agent;
  let en: Agent;
  beforeAll(async () => {
    await h().createUser({ username: 'h.staff', unit: '330802', roles: ['staff'] });
    a = new Agent((await h().app()).app);
    await a.login('h.staff', TEST_PASSWORD);
    en = new Agent((await h().app()).app);
    en.lang = 'en';
    await en.login('h.staff', TEST_PASSWORD);
  });

  it('names each bad field, in the request’s language, and changes nothing', async () => {
    const before = await h().system.run((trx) => trx.selectFrom('org_unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    const res = await a.post('/api/orgs', { parentId: 'not-a-uuid', name: '', kind: 'planet', extra: 1 });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('validation_failed');
    expect(err.message).toMatch(/[\u4e00-\u9fa5]/);
    const fields = err.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.parentId', 'body.name', 'body.kind', 'body.extra']));
    expect(err.details.find((d: { field: string }) => d.field === 'body.name').message).toBe('请填写名称');
    const resEn = await en.post('/api/orgs', { parentId: 'x', name: 'n', kind: 'village' });
    expect(resEn.json().error.message).toBe('Some fields are invalid');
    expect(resEn.json().error.details[0].message).toMatch(/^[\x20-\x7e]+$/);
    const after = await h().system.run((trx) => trx.selectFrom('org_unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses malformed JSON, wrong types, oversize bodies, duplicate parameters and prototype pollution', async () => {
    const bad = await a.request({ method: 'POST', url: '/api/orgs', payload: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
    const wrongType = await a.put(`/api/orgs/${h().unit('330802')}/populations`, { year: '2024', kind: 'resident', value: 1.5, source: 'x' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['body.year', 'body.value']));
    const big = await a.request({ method: 'POST', url: '/api/orgs', payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const dup = await a.get('/api/orgs?limit=1&limit=2');
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.code).toBe('duplicate_parameter');
    const proto = await a.request({ method: 'POST', url: '/api/orgs', payload: '{"__proto__":{"isAdmin":true}}', headers: { 'content-type': 'application/json' } });
    expect(proto.statusCode).toBe(400);
    const ctor = await a.request({ method: 'POST', url: '/api/orgs', payload: '{"constructor":{"prototype":{"isAdmin":true}}}', headers: { 'content-type': 'application/json' } });
    expect(ctor.statusCode).toBe(400);
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    const form = await a.request({ method: 'POST', url: '/api/orgs', payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
  });

  it('answers random JSON at every write route with a 4xx, never a 5xx (fuzz)', async () => {
    const { routes } = await h().app();
    const writes = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(String(r.method)) && !r.url.includes('/auth/'));
    const samples = fc.sample(fc.jsonValue(), { numRuns: 25, seed: 5 });
    for (const r of writes) {
      const url = r.url.replace(/:(\w+)/g, () => h().unit('330802'));
      for (const body of samples) {
        const res = await a.request({ method: r.method as 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(body).slice(0, 80)}`).toBeLessThan(500);
      }
    }
  });

  it('sends the security headers and no-store on API responses', async () => {
    const res = await a.get('/api/orgs?limit=1');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(res.headers['content-security-policy']);
    for (const d of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"]) expect(csp).toContain(d);
  });

  it('publishes OpenAPI with every route and a browsable page', async () => {
    const anon = new Agent((await h().app()).app);
    const spec = (await anon.get('/api/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    const { routes } = await h().app();
    for (const r of routes) {
      if (r.url === '/api/openapi.json' || String(r.method) === 'HEAD') continue;
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      expect(spec.paths[p]?.[String(r.method).toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    expect((await anon.get('/api/docs')).statusCode).toBeLessThan(400);
    expect((await anon.get('/api/health')).json()).toMatchObject({ status: 'ok', database: h().kind });
  });

  it('returns the route-not-found error for unknown API paths', async () => {
    const res = await a.get('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });

  it('hides internals in 5xx bodies', async () => {
    const { app } = await h().app();
    const agent = new Agent(app);
    await agent.login('h.staff', TEST_PASSWORD);
    // Break the database under the running app: the next query fails inside the server.
    await h().deps.db.schema.alterTable('org_unit').renameTo('org_unit_gone').execute();
    try {
      const res = await agent.get('/api/orgs?limit=1');
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      expect(res.json().error.code).toBe('internal');
      expect(res.json().error.requestId).toBeTruthy();
      expect(res.body).not.toMatch(/ at |select|org_unit|\/src\//i);
    } finally {
      await h().deps.db.schema.alterTable('org_unit_gone').renameTo('org_unit').execute();
    }
  });
});

describe('route policies', () => {
  it('refuses to register a route that declares no policy (default deny)', async () => {
    const app = Fastify();
    enforceRoutePolicies(app, []);
    expect(() => app.get('/api/forgotten', async () => 'x')).toThrow(/must declare exactly one of permission/);
  });
  it('refuses a route that declares two policies', async () => {
    const app = Fastify();
    enforceRoutePolicies(app, []);
    expect(() => app.get('/api/both', { config: { public: true, permission: 'orgs.read' } }, async () => 'x')).toThrow(/exactly one/);
    expect(() => app.get('/outside', { config: { public: true } }, async () => 'x')).toThrow(/under \/api\//);
  });
  it('every error code has both languages', () => {
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(spec.zh, code).toMatch(/[\u4e00-\u9fa5]/);
      expect(spec.en, code).not.toMatch(/[\u4e00-\u9fa5]/);
      expect(spec.en.length, code).toBeGreaterThan(3);
      expect(spec.status).toBeGreaterThanOrEqual(400);
    }
  });
});
