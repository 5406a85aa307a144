import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { FastifyInstance, InjectOptions, RouteOptions } from 'fastify';
import { FakeClock } from '../../src/platform/clock.ts';
import { makeCtx, systemCtx, type Ctx, type Deps } from '../../src/platform/context.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Config } from '../../src/server/config.ts';
import { createAccountWithPassword } from '../../src/domains/accounts/server/accounts.service.ts';
import { listUnits } from '../../src/domains/orgs/server/orgs.service.ts';
import { backends, makeTestDeps, openTestDatabase, testConfig, type Backend, type TestDb } from './env.ts';

export const TEST_PASSWORD = 'Qz-Test-Pass-2026!';

export type TestUser = { id: string; username: string; password: string; unitId: string; ctx: Ctx };

export type Harness = {
  kind: Backend;
  deps: Deps;
  clock: FakeClock;
  /** Unit ids by GB/T 2260 code (city and counties) and by name (every reference unit). */
  unit(codeOrName: string): string;
  system: Ctx;
  createUser(opts: { username: string; unit: string; roles: string[]; password?: string; mustChange?: boolean }): Promise<TestUser>;
  ctxFor(userId: string): Promise<Ctx>;
  app(): Promise<{ app: FastifyInstance; routes: RouteOptions[] }>;
  close(): Promise<void>;
};

async function createHarness(kind: Backend, config?: Config): Promise<Harness> {
  const db: TestDb = await openTestDatabase(kind, { pglite: inject('pgliteTemplate'), postgres: inject('postgresTemplate') ?? undefined });
  const clock = new FakeClock('2026-06-01T02:00:00Z');
  const deps = makeTestDeps(db.database, clock, config ?? testConfig());
  const system = systemCtx(deps);
  const units = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await listUnits(system, { limit: 200, cursor });
    for (const u of page.items) {
      if (u.code) units.set(u.code, u.id);
      if (!units.has(u.name)) units.set(u.name, u.id);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  let built: { app: FastifyInstance; routes: RouteOptions[] } | undefined;
  const h: Harness = {
    kind,
    deps,
    clock,
    system,
    unit(key) {
      const id = units.get(key);
      if (!id) throw new Error(`no unit ${key}`);
      return id;
    },
    async createUser(o) {
      const password = o.password ?? TEST_PASSWORD;
      const unitId = h.unit(o.unit);
      const id = await createAccountWithPassword(deps, { username: o.username, displayName: o.username, unitId, roles: o.roles, password, mustChange: o.mustChange });
      return { id, username: o.username, password, unitId, ctx: await h.ctxFor(id) };
    },
    async ctxFor(userId) {
      const row = await system.run((trx) =>
        trx.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['u.username', 'u.display_name', 'u.org_unit_id', 'o.path']).where('u.id', '=', userId).executeTakeFirstOrThrow(),
      );
      const perms = await system.run((trx) =>
        trx.selectFrom('user_role as ur').innerJoin('role_permission as rp', 'rp.role_id', 'ur.role_id').innerJoin('role as r', 'r.id', 'ur.role_id').select(['rp.permission', 'r.code']).where('ur.user_id', '=', userId).execute(),
      );
      return makeCtx(deps, {
        kind: 'user',
        userId,
        username: row.username,
        displayName: row.display_name,
        unitId: row.org_unit_id,
        scopePath: row.path,
        permissions: new Set(perms.map((p) => p.permission)),
        roles: [...new Set(perms.map((p) => p.code))],
      });
    },
    async app() {
      built ??= await buildApp(deps, { logger: false, serveWeb: false });
      return built;
    },
    async close() {
      if (built) await built.app.close();
      await db.close();
    },
  };
  return h;
}

/** Runs the block once per backend: always PGlite, and PostgreSQL when DATABASE_URL is set. */
export function describeDb(name: string, body: (h: () => Harness) => void, opts: { config?: () => Config; only?: Backend } = {}) {
  for (const kind of backends()) {
    if (opts.only && opts.only !== kind) continue;
    describe(`${name} [${kind}]`, () => {
      let h: Harness | undefined;
      beforeAll(async () => {
        h = await createHarness(kind, opts.config?.());
      });
      afterAll(async () => {
        await h?.close();
      });
      body(() => h!);
    });
  }
}

/** A signed-in HTTP client over app.inject: keeps the session cookie and sends the CSRF token. */
export class Agent {
  cookie: string | undefined;
  csrf: string | undefined;
  lang = 'zh-CN';
  constructor(readonly app: FastifyInstance) {}

  async login(username: string, password: string, totp?: string) {
    const res = await this.request({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...(totp ? { totp } : {}) } });
    if (res.statusCode === 200) this.csrf = res.json().csrfToken;
    return res;
  }

  async request(opts: InjectOptions & { url: string }) {
    const headers: Record<string, string> = { 'accept-language': this.lang, ...(opts.headers as Record<string, string> | undefined) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && opts.method && opts.method !== 'GET') headers['x-csrf-token'] ??= this.csrf;
    const res = await this.app.inject({ ...opts, headers });
    const set = res.cookies.find((c) => c.name === 'boai_sid' || c.name === '__Host-boai_sid');
    if (set) {
      this.cookie = set.value ? `${set.name}=${set.value}` : undefined;
      if (res.headers['content-type']?.toString().includes('json') && res.statusCode === 200) {
        const body = res.json();
        if (body?.csrfToken) this.csrf = body.csrfToken;
      }
    }
    return res;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) });
  }
  put(url: string, payload: unknown) {
    return this.request({ method: 'PUT', url, payload: payload as object });
  }
  patch(url: string, payload: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as object });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}

/** The DomainError code a call ends with, or 'ok'. */
export async function errorCode(p: Promise<unknown>) {
  const { DomainError } = await import('../../src/platform/errors.ts');
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return 'ok';
}
