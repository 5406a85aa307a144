import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { ExcelJS } from '../src/platform/exceljs.ts';
import type { RouteOptions } from 'fastify';
import { permissionCatalog } from '../src/domains/catalog.ts';
import { createRole } from '../src/domains/accounts/server/accounts.service.ts';
import { Agent, describeDb, TEST_PASSWORD } from './support/harness.ts';
import type { AuthzFixtures, ForeignWorld, Probe } from './support/authz.ts';

/**
 * The authorisation matrix, over EVERY route the server registers — later domains included,
 * without editing this file:
 * 1. every route declares a policy (the server refuses to start otherwise) and every protected
 *    route has a probe in its domain's `*.fixtures.ts`;
 * 2. without a session, every protected route answers 401;
 * 3. a user of 柯城区 holding exactly the route's permission, aimed at a record of 江山市, gets
 *    403/404 and none of that record's data; lists and exports leak nothing of 江山市.
 */
async function loadFixtures(): Promise<AuthzFixtures> {
  const all: AuthzFixtures = {};
  for (const domain of fs.readdirSync('src/domains')) {
    const dir = path.join('src/domains', domain, 'server');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.fixtures.ts'))) {
      const mod = (await import(pathToFileURL(path.resolve(dir, f)).href)) as { authzFixtures: AuthzFixtures };
      for (const [k, v] of Object.entries(mod.authzFixtures)) {
        if (all[k]) throw new Error(`duplicate fixture ${k}`);
        all[k] = v;
      }
    }
  }
  return all;
}

const methodsOf = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]) as string[];
const keyOf = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`;
const isProtected = (r: RouteOptions) => !(r.config as { public?: boolean } | undefined)?.public;

function fillUrl(url: string, params: Record<string, string> | undefined, query?: Record<string, string>) {
  const filled = url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params?.[name] ?? '00000000-0000-4000-8000-000000000000'));
  const qs = query ? '?' + new URLSearchParams(query).toString() : '';
  return filled + qs;
}

async function bodyText(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }) {
  if (String(res.headers['content-type'] ?? '').includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value ?? '')))));
    return cells.join('\n');
  }
  return res.body;
}

describeDb('authorisation matrix', (h) => {
  let routes: RouteOptions[];
  let fixtures: AuthzFixtures;
  let world: ForeignWorld;
  const agents = new Map<string, Agent>();

  beforeAll(async () => {
    ({ routes } = await h().app());
    fixtures = await loadFixtures();
    world = {
      h: h(),
      countyId: h().unit('330881'),
      townshipId: h().unit('双塔街道'),
      user: await h().createUser({ username: 'foreign.user', unit: '330881', roles: ['staff'] }),
      homeCountyId: h().unit('330802'),
      homeTownshipId: h().unit('信安街道'),
    };
    // One 柯城区 user per permission, holding exactly that permission.
    for (const perm of Object.keys(permissionCatalog)) {
      const code = 'm_' + perm.replace(/\./g, '_');
      await createRole(h().system, { code, nameZh: code, nameEn: code, permissions: [perm] });
      const username = ('m.' + perm).slice(0, 40);
      await h().createUser({ username, unit: '330802', roles: [code] });
      const a = new Agent((await h().app()).app);
      expect((await a.login(username, TEST_PASSWORD)).statusCode).toBe(200);
      agents.set(perm, a);
    }
  });

  it('covers every protected route with a probe, and has no probe for a route that does not exist', () => {
    const keys = new Set(routes.filter(isProtected).flatMap((r) => methodsOf(r).filter((m) => m !== 'HEAD').map((m) => keyOf(m, r.url))));
    const missing = [...keys].filter((k) => !fixtures[k]);
    expect(missing, 'routes without an authorisation probe in their domain’s *.fixtures.ts').toEqual([]);
    expect(Object.keys(fixtures).filter((k) => !keys.has(k)), 'probes for routes that do not exist').toEqual([]);
    expect(keys.size).toBeGreaterThan(20);
  });

  it('answers 401 to every protected route without a session', async () => {
    const anon = new Agent((await h().app()).app);
    const failures: string[] = [];
    for (const r of routes.filter(isProtected)) {
      for (const method of methodsOf(r)) {
        const probe = await fixtures[keyOf(method, r.url)]!(world);
        const res = await anon.request({ method: method as 'GET', url: fillUrl(r.url, probe.params), ...(probe.body !== undefined ? { payload: probe.body as object } : {}) });
        if (res.statusCode !== 401) failures.push(`${method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a county user every record of another county, and leaks nothing in lists', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes.filter(isProtected)) {
      const policy = r.config as { permission?: string | string[]; auth?: string };
      for (const method of methodsOf(r)) {
        const probe: Probe = await fixtures[keyOf(method, r.url)]!(world);
        if (probe.kind === 'not-jurisdictional') continue;
        const perm = Array.isArray(policy.permission) ? policy.permission[0]! : policy.permission!;
        const agent = agents.get(perm)!;
        const res = await agent.request({ method: method as 'GET', url: fillUrl(r.url, probe.params, probe.query), ...(probe.body !== undefined ? { payload: probe.body as object } : {}) });
        checked++;
        const label = `${method} ${r.url} as holder of ${perm}`;
        if (probe.kind === 'foreign' && res.statusCode !== 403 && res.statusCode !== 404) failures.push(`${label} → ${res.statusCode} (expected 403/404): ${res.body.slice(0, 200)}`);
        if (probe.kind === 'no-leak' && res.statusCode >= 500) failures.push(`${label} → ${res.statusCode}`);
        if (method !== 'HEAD') {
          const text = await bodyText(res);
          for (const s of probe.secrets) if (text.includes(s)) failures.push(`${label} leaked "${s}"`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(15);
    // The home county's own records remain reachable for the same users: the refusals above are about jurisdiction.
    expect((await agents.get('orgs.read')!.get(`/api/orgs/${world.homeTownshipId}`)).statusCode).toBe(200);
    // And nothing of the foreign county changed.
    const t = await h().system.run((trx) => trx.selectFrom('org_unit').select(['name', 'version']).where('id', '=', world.townshipId).executeTakeFirstOrThrow());
    expect(t).toEqual({ name: '双塔街道', version: 1 });
    const u = await h().system.run((trx) => trx.selectFrom('app_user').select(['status', 'display_name']).where('id', '=', world.user.id).executeTakeFirstOrThrow());
    expect(u).toEqual({ status: 'active', display_name: 'foreign.user' });
  });
});
