import crypto from 'node:crypto';
import { sql } from 'kysely';
import { FakeClock } from '../src/platform/clock.ts';
import type { Deps } from '../src/platform/context.ts';
import { openPGliteMemory, openPostgres, type Database } from '../src/server/db/connect.ts';
import { prepareDatabase } from '../src/server/bootstrap.ts';
import { makeTestDeps, testConfig, withAdminClient, adminUrl } from '../tests/support/env.ts';

export type Scale = 'city' | 'province';
export type BenchEnv = { backend: 'pglite' | 'postgres'; scale: Scale; deps: Deps; database: Database; close(): Promise<void> };

export type Stats = { n: number; mean: number; p50: number; p95: number; p99: number };
export type BenchRow = { benchmark: string; backend: string; scale: Scale; scenario: string; baseline: Stats; subject: Stats; ratio: number; note?: string };

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

/** Times `fn` `n` times after `warmup` runs, `concurrency` callers at once; milliseconds per call. */
export async function measure(fn: () => Promise<unknown>, opts: { n?: number; warmup?: number; concurrency?: number } = {}) {
  const n = opts.n ?? 400;
  const concurrency = opts.concurrency ?? 1;
  for (let i = 0; i < (opts.warmup ?? 40); i++) await fn();
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        const t = performance.now();
        await fn();
        samples.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - t0;
  return { ...stats(samples), throughput: (samples.length / wall) * 1000 };
}

/**
 * A database at the given scale: Quzhou's real tree and synthetic villages (city), plus 26 more
 * synthetic cities of the same shape (province: about 27× Quzhou, as Zhejiang is).
 */
export async function openBenchEnv(backend: 'pglite' | 'postgres', scale: Scale): Promise<BenchEnv> {
  let database: Database;
  let drop = async () => {};
  if (backend === 'pglite') database = await openPGliteMemory();
  else {
    const url = process.env.DATABASE_URL!;
    const name = `boai_bench_${crypto.randomBytes(4).toString('hex')}`;
    await withAdminClient(url, (c) => c.query(`create database "${name}"`));
    database = await openPostgres(adminUrl(url, name), { max: 20 });
    drop = () => withAdminClient(url, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined);
  }
  const deps = makeTestDeps(database, new FakeClock('2026-06-01T02:00:00Z'), testConfig({ BOAI_DATA_DIR: '/tmp/boai-bench-unused' }));
  await prepareDatabase({ ...deps, config: { ...deps.config, demo: true, dataDir: '/tmp/boai-bench-unused' } }).catch(async (err) => {
    // The demo writes its account file into the data dir; the bench does not need it.
    if (!String(err).includes('ENOENT')) throw err;
  });
  if (scale === 'province') await addSyntheticCities(database, 26);
  await sql`analyze`.execute(database.db);
  return { backend, scale, deps, database, close: async () => { await database.close(); await drop(); } };
}

async function addSyntheticCities(database: Database, cities: number) {
  const rows: { id: string; parent_id: string | null; name: string; kind: string; path: string; depth: number; synthetic: boolean }[] = [];
  for (let c = 0; c < cities; c++) {
    const cityId = crypto.randomUUID();
    rows.push({ id: cityId, parent_id: null, name: `合成市${c + 1}`, kind: 'city', path: `/${cityId}/`, depth: 0, synthetic: true });
    for (let k = 0; k < 6; k++) {
      const countyId = crypto.randomUUID();
      const countyPath = `/${cityId}/${countyId}/`;
      rows.push({ id: countyId, parent_id: cityId, name: `合成县${c + 1}-${k + 1}`, kind: 'county', path: countyPath, depth: 1, synthetic: true });
      for (let t = 0; t < 17; t++) {
        const townId = crypto.randomUUID();
        const townPath = `${countyPath}${townId}/`;
        rows.push({ id: townId, parent_id: countyId, name: `合成镇${t + 1}`, kind: 'township', path: townPath, depth: 2, synthetic: true });
        for (let v = 0; v < 5; v++) {
          const vid = crypto.randomUUID();
          rows.push({ id: vid, parent_id: townId, name: `合成村${v + 1}`, kind: 'village', path: `${townPath}${vid}/`, depth: 3, synthetic: true });
        }
      }
    }
  }
  for (let i = 0; i < rows.length; i += 1000) await database.db.insertInto('org_unit').values(rows.slice(i, i + 1000)).execute();
}
