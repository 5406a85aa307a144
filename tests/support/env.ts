import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { FakeClock } from '../../src/platform/clock.ts';
import type { Deps } from '../../src/platform/context.ts';
import { keysFromSecret } from '../../src/platform/keys.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { openPGliteMemory, openPostgres, pgliteOf, type Database } from '../../src/server/db/connect.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { syncBuiltinRoles } from '../../src/domains/accounts/server/accounts.service.ts';
import { loadReferenceData } from '../../src/server/seed/reference.ts';

/**
 * Test databases. Every database test runs on PGlite; with DATABASE_URL set it also runs on that
 * PostgreSQL server. One migrated template per backend (made once per run in global-setup.ts,
 * reused across runs while the migrations and seed files are unchanged); each test file gets its
 * own copy: a PGlite loaded from the template's dump, or a PostgreSQL database created from the
 * template database and dropped afterwards.
 */
export type Backend = 'pglite' | 'postgres';

export const TEST_SECRET = Buffer.alloc(32, 7);
export const silentLog = { info() {}, error() {}, warn() {}, debug() {}, trace() {}, fatal() {}, child() { return silentLog; }, level: 'silent' } as unknown as FastifyBaseLogger;

export function backends(): Backend[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ BOAI_DATA_DIR: '/nonexistent-test-data-dir', BOAI_FILES_DIR: path.join(os.tmpdir(), `boai-test-files-${process.pid}`), BOAI_REQUIRE_ADMIN_MFA: '0', BOAI_AUTH_RATE_LIMIT: '10000', BOAI_LOG_LEVEL: 'silent', ...overrides });
}

export function makeTestDeps(database: Database, clock: FakeClock, config: Config = testConfig()): Deps {
  return { db: database.db, dbKind: database.kind, clock, keys: keysFromSecret(TEST_SECRET), config, log: silentLog };
}

/** A hash of everything that shapes the template: a change rebuilds it. */
export function templateFingerprint() {
  const h = crypto.createHash('sha256');
  const files = [
    ...fs.readdirSync('src/server/db/migrations').map((f) => path.join('src/server/db/migrations', f)),
    'src/server/seed/quzhou.ts',
    'src/server/seed/reference.ts',
    'src/domains/plan/server/plan.reference.ts',
    'src/domains/projects/server/projects.reference.ts',
    'src/domains/warehouses/server/warehouses.reference.ts',
    'src/domains/catalog.ts',
    ...fs.readdirSync('src/domains').flatMap((d) => (fs.existsSync(`src/domains/${d}/${d}.contract.ts`) ? [`src/domains/${d}/${d}.contract.ts`] : [])),
  ].sort();
  for (const f of files) h.update(f).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

export const CACHE_DIR = path.resolve('.test-cache');

export async function seedTemplate(database: Database) {
  const deps = makeTestDeps(database, new FakeClock('2026-01-05T01:00:00Z'));
  await migrateToLatest(database.db);
  await syncBuiltinRoles(deps);
  await loadReferenceData(deps);
}

export async function buildPgliteTemplate(file: string) {
  const database = await openPGliteMemory();
  try {
    await seedTemplate(database);
    const dump = await pgliteOf(database)!.dumpDataDir('none');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file + '.tmp', Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(file + '.tmp', file);
  } finally {
    await database.close();
  }
}

export function adminUrl(url: string, dbName = 'postgres') {
  const u = new URL(url);
  u.pathname = '/' + dbName;
  return u.toString();
}

export async function withAdminClient<T>(url: string, fn: (c: pg.Client) => Promise<T>) {
  const c = new pg.Client({ connectionString: adminUrl(url) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function buildPostgresTemplate(url: string, name: string) {
  await withAdminClient(url, async (c) => {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    // Older templates of this project are dropped; so are test databases left by killed runs (a day old).
    const old = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'boai_tpl_%' or datname like 'boai_t_%'`);
    for (const { datname } of old.rows) {
      const m = /^boai_t_(\d+)_/.exec(datname);
      if (datname.startsWith('boai_tpl_') || (m && Number(m[1]) < Date.now() / 1000 - 86_400)) {
        await c.query(`drop database if exists "${datname}" with (force)`);
      }
    }
    const building = `${name}_build_${process.pid}`;
    await c.query(`drop database if exists "${building}"`);
    await c.query(`create database "${building}"`);
    const database = await openPostgres(adminUrl(url, building), { max: 4 });
    try {
      await seedTemplate(database);
    } finally {
      await database.close();
    }
    await c.query(`alter database "${building}" rename to "${name}"`).catch(async (err) => {
      // Another run built it meanwhile.
      await c.query(`drop database if exists "${building}"`);
      if (!/already exists/.test(String(err))) throw err;
    });
  });
}

export type TestDb = { database: Database; kind: Backend; close(): Promise<void> };

export async function openTestDatabase(kind: Backend, template: { pglite?: string; postgres?: string }): Promise<TestDb> {
  if (kind === 'pglite') {
    const buf = fs.readFileSync(template.pglite!);
    const database = await openPGliteMemory(new Blob([buf]));
    return { database, kind, close: () => database.close() };
  }
  const url = process.env.DATABASE_URL!;
  const name = `boai_t_${Math.floor(Date.now() / 1000)}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdminClient(url, async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database "${name}" template "${template.postgres!}"`);
        return;
      } catch (err) {
        // Two files cloning the template at the same moment: wait and retry.
        if (attempt < 20 && /being accessed by other users/.test(String(err))) {
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
          continue;
        }
        throw err;
      }
    }
  });
  const database = await openPostgres(adminUrl(url, name), { max: 20 });
  return {
    database,
    kind,
    close: async () => {
      await database.close();
      await withAdminClient(url, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export { sql };
