import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createAccountWithPassword } from '../src/domains/accounts/server/accounts.service.ts';
import { jobFinished, startImport } from '../src/domains/imports/server/imports.service.ts';
import { registerPeopleImport } from '../src/domains/people/server/people.import.ts';
import { insertPrepared, preparePerson, type NewPersonRow } from '../src/domains/people/server/people.service.ts';
import { makeCtx, systemCtx, type Ctx } from '../src/platform/context.ts';
import { xlsxStream } from '../src/platform/excel.ts';
import { readFirstSheet } from '../src/platform/xlsx-read.ts';
import { buildApp } from '../src/server/app.ts';
import { syntheticPeople } from '../src/server/seed/people-generator.ts';
import { xlsxBuffer } from '../tests/support/xlsx.ts';
import { measure, stats, type BenchEnv, type BenchRow } from './support.ts';

export const name = 'people';
export const description =
  'People registry at city scale. **import**: a 100,000-row xlsx through the importer (streamed read, header mapping, validation, duplicate checks against the registry, encryption and blind indexes, one all-or-nothing transaction) against reading the same file and inserting plain rows with raw SQL. **search**: `GET /api/people?q=<two characters>` signed in, against the same query in raw SQL. **export**: the masked xlsx export of every person over real HTTP, peak RSS growth against writing the same number of plain rows with the bare xlsx writer (flat memory means the ratio stays bounded as rows grow).';

const HEADER = ['姓名*', '证件类型', '证件号码*', '性别', '出生日期', '手机号', '地址', '备注'];
const PASSWORD = 'Bench-Pass-2026-ok';

async function bulkLoad(ctx: Ctx, unitIds: Map<string, string>, count: number, offset: number) {
  const now = ctx.deps.clock.now();
  let batch: NewPersonRow[] = [];
  const flush = async () => {
    if (batch.length) await ctx.run(() => insertPrepared(ctx, batch));
    batch = [];
  };
  for (const p of syntheticPeople(count, { seed: 501, offset })) {
    batch.push(preparePerson(ctx, { name: p.name, idType: 'resident_id', idNumber: p.idNumber, mobile: p.mobile, address: p.address }, unitIds.get(p.regionCode)!, now));
    if (batch.length === 5000) await flush();
  }
  await flush();
}

/** Peak RSS growth (MiB) while `fn` runs, sampled every 20 ms. */
async function peakRss(fn: () => Promise<void>) {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { mib: (peak - start) / 2 ** 20, ms: performance.now() - t0 };
}

export async function run(env: BenchEnv): Promise<BenchRow[]> {
  if (env.scale !== 'city') return []; // people benchmarks are at city scale (hundreds of thousands of people)
  const { deps } = env;
  const rows: BenchRow[] = [];
  const units = new Map<string, string>();
  for (const u of await deps.db.selectFrom('org_unit').select(['id', 'code']).where('code', 'is not', null).execute()) units.set(u.code!, u.id);
  const cityId = units.get('330800')!;
  await createAccountWithPassword(deps, { username: 'bench.people', displayName: 'bench', unitId: cityId, roles: ['staff', 'data_officer'], password: PASSWORD });
  registerPeopleImport();
  const user = await deps.db.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['u.id', 'o.path']).where('username', '=', 'bench.people').executeTakeFirstOrThrow();
  const perms = (await deps.db.selectFrom('user_role as ur').innerJoin('role_permission as rp', 'rp.role_id', 'ur.role_id').select('rp.permission').where('ur.user_id', '=', user.id).execute()).map((p) => p.permission);
  const ctx = makeCtx(deps, { kind: 'user', userId: user.id, username: 'bench.people', displayName: 'bench', unitId: cityId, scopePath: user.path, permissions: new Set(perms), roles: ['staff'] });

  // ---- import: 100k rows ----
  const N = 100_000;
  const file = await xlsxBuffer(HEADER, (function* () {
    for (const p of syntheticPeople(N, { seed: 301, offset: 5_000_000 })) yield [p.name, '居民身份证', p.idNumber, p.sex === 'M' ? '男' : '女', p.birthDate, p.mobile, p.address, null];
  })());
  const tmp = path.join(os.tmpdir(), `boai-bench-${process.pid}.xlsx`);
  fs.writeFileSync(tmp, file);
  await sql`create table bench_raw_person (id serial primary key, name text, id_number text, mobile text, address text)`.execute(deps.db);
  const tRaw = performance.now();
  let buf: { name: string; id_number: string; mobile: string; address: string }[] = [];
  let first = true;
  for await (const r of readFirstSheet(tmp)) {
    if (first) {
      first = false;
      continue;
    }
    buf.push({ name: r.cells[0] ?? '', id_number: r.cells[2] ?? '', mobile: r.cells[5] ?? '', address: r.cells[6] ?? '' });
    if (buf.length === 1000) {
      await deps.db.insertInto('bench_raw_person' as never).values(buf as never).execute();
      buf = [];
    }
  }
  if (buf.length) await deps.db.insertInto('bench_raw_person' as never).values(buf as never).execute();
  const rawMs = performance.now() - tRaw;
  fs.rmSync(tmp, { force: true });
  const tImp = performance.now();
  const job = await startImport(ctx, 'people', { bytes: file, fileName: 'bench.xlsx', unitId: cityId });
  await jobFinished(job.id);
  const impMs = performance.now() - tImp;
  const done = await deps.db.selectFrom('import_job').select(['status', 'inserted_count', 'message', 'error_count', 'validation_ms', 'insert_ms']).where('id', '=', job.id).executeTakeFirstOrThrow();
  if (done.status !== 'done' || done.inserted_count !== N) throw new Error(`bench import ended ${done.status} with ${done.inserted_count} rows (${done.error_count} errors, ${done.message})`);
  const one = (ms: number) => stats([ms]);
  rows.push({
    benchmark: name, backend: env.backend, scale: env.scale, scenario: `import ${N.toLocaleString('en')} rows`,
    baseline: one(rawMs), subject: one(impMs), ratio: impMs / rawMs,
    note: `validation ${Math.round(N / ((done.validation_ms ?? impMs) / 1000)).toLocaleString('en')} rows/s (goal ≥ 20,000; read, validate, check duplicates, encrypt); end to end ${Math.round(N / (impMs / 1000)).toLocaleString('en')} rows/s (insert phase ${((done.insert_ms ?? 0) / 1000).toFixed(1)} s); raw ${Math.round(N / (rawMs / 1000)).toLocaleString('en')} rows/s`,
  });

  console.log(`  import: ${impMs.toFixed(0)} ms, raw ${rawMs.toFixed(0)} ms`);
  // ---- search at 300k ----
  const tLoad = performance.now();
  await bulkLoad(systemCtx(deps), units, env.backend === 'postgres' ? 200_000 : 100_000, 1_000_000);
  await sql`analyze`.execute(deps.db);
  console.log(`  bulk load: ${(performance.now() - tLoad).toFixed(0)} ms`);
  const total = (await sql<{ n: number }>`select count(*)::int as n from person`.execute(deps.db)).rows[0]!.n;
  const { app } = await buildApp(deps, { logger: false, serveWeb: false });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench.people', password: PASSWORD } });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const terms = ['张伟', '李娜', '王芳', '陈杰', '欧阳'];
    let k = 0;
    const endpoint = async () => {
      const q = terms[k++ % terms.length]!;
      const r = await app.inject({ method: 'GET', url: `/api/people?limit=50&q=${encodeURIComponent(q)}`, headers: { cookie } });
      if (r.statusCode !== 200) throw new Error(`search answered ${r.statusCode}`);
    };
    let j = 0;
    const raw = () => {
      const q = terms[j++ % terms.length]!;
      const grams = [q.slice(0, 2)];
      return sql`select p.id, p.name, p.id_type, p.id_number_mask, p.sex, p.birth_date, p.mobile_mask, p.address, p.created_at
        from person p where p.name_grams @> ${sql.val(grams)}::text[] and p.name like ${'%' + q + '%'} and p.merged_into is null
        order by p.created_at desc, p.id desc limit 51`.execute(deps.db);
    };
    const baseline = await measure(raw, { n: 300 });
    const subject = await measure(endpoint, { n: 300 });
    console.log(`  search: ${subject.mean.toFixed(1)} ms vs ${baseline.mean.toFixed(1)} ms`);
    rows.push({ benchmark: name, backend: env.backend, scale: env.scale, scenario: `search by name part, ${total.toLocaleString('en')} people`, baseline, subject, ratio: subject.mean / baseline.mean });

    // ---- export: every person, over real HTTP ----
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const sizes = env.backend === 'postgres' ? [total, 1_000_000] : [total];
    for (const size of sizes) {
      const have = (await sql<{ n: number }>`select count(*)::int as n from person`.execute(deps.db)).rows[0]!.n;
      if (have < size) {
        await bulkLoad(systemCtx(deps), units, size - have, 2_000_000);
        await sql`analyze`.execute(deps.db);
      }
      const base = await peakRss(async () => {
        const out = xlsxStream({ sheetName: 's', title: 't', watermark: 'w', columns: Array.from({ length: 10 }, (_, c) => ({ header: `c${c}`, key: `c${c}` })), rows: (function* () {
          for (let i = 0; i < size; i++) yield { c0: '张三丰', c1: '居民身份证', c2: '330802********1234', c3: '男', c4: 40, c5: '138****8000', c6: '柯城区', c7: '', c8: '衢州市柯城区信安路 1 号', c9: '2026-06-01' };
        })() });
        for await (const _chunk of out) void _chunk;
      });
      const subj = await peakRss(async () => {
        const res = await fetch(`${address}/api/people/export`, { headers: { cookie } });
        if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
        const reader = res.body.getReader();
        for (;;) if ((await reader.read()).done) break;
      });
      console.log(`  export ${size}: ${subj.ms.toFixed(0)} ms, +${subj.mib.toFixed(0)} MiB (bare +${base.mib.toFixed(0)} MiB in ${base.ms.toFixed(0)} ms)`);
      rows.push({
        benchmark: name, backend: env.backend, scale: env.scale, scenario: `export ${size.toLocaleString('en')} people (peak RSS growth)`,
        baseline: { ...one(base.mib) }, subject: { ...one(subj.mib) }, ratio: subj.mib / Math.max(base.mib, 1),
        note: `MiB, not ms: +${subj.mib.toFixed(0)} MiB vs +${base.mib.toFixed(0)} MiB bare writer; ${Math.round(size / (subj.ms / 1000)).toLocaleString('en')} rows/s`,
      });
    }
  } finally {
    await app.close();
  }
  return rows;
}
