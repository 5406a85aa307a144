/**
 * The import part of people.bench.ts alone, for quick iterations on the import rate:
 * `node --import tsx bench/people-import.probe.ts [pglite|postgres] [rows]`. Prints the phase
 * timings the importer records and the raw baseline of the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createAccountWithPassword } from '../src/domains/accounts/server/accounts.service.ts';
import { jobFinished, startImport } from '../src/domains/imports/server/imports.service.ts';
import { registerPeopleImport } from '../src/domains/people/server/people.import.ts';
import { makeCtx } from '../src/platform/context.ts';
import { readFirstSheet } from '../src/platform/xlsx-read.ts';
import { syntheticPeople } from '../src/server/seed/people-generator.ts';
import { xlsxBuffer } from '../tests/support/xlsx.ts';
import { openBenchEnv } from './support.ts';

const backend = (process.argv[2] ?? 'pglite') as 'pglite' | 'postgres';
const N = Number(process.argv[3] ?? 100_000);
const HEADER = ['姓名*', '证件类型', '证件号码*', '性别', '出生日期', '手机号', '地址', '备注'];

const cache = path.join(os.tmpdir(), `boai-probe-${N}.xlsx`);
let file: Buffer;
if (fs.existsSync(cache)) file = fs.readFileSync(cache);
else {
  file = await xlsxBuffer(HEADER, (function* () {
    for (const p of syntheticPeople(N, { seed: 301, offset: 5_000_000 })) yield [p.name, '居民身份证', p.idNumber, p.sex === 'M' ? '男' : '女', p.birthDate, p.mobile, p.address, null];
  })());
  fs.writeFileSync(cache, file);
}

const env = await openBenchEnv(backend, 'city');
try {
  const { deps } = env;
  const units = new Map<string, string>();
  for (const u of await deps.db.selectFrom('org_unit').select(['id', 'code']).where('code', 'is not', null).execute()) units.set(u.code!, u.id);
  const cityId = units.get('330800')!;
  await createAccountWithPassword(deps, { username: 'bench.people', displayName: 'bench', unitId: cityId, roles: ['staff', 'data_officer'], password: 'Bench-Pass-2026-ok' });
  registerPeopleImport();
  const user = await deps.db.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['u.id', 'o.path']).where('username', '=', 'bench.people').executeTakeFirstOrThrow();
  const perms = (await deps.db.selectFrom('user_role as ur').innerJoin('role_permission as rp', 'rp.role_id', 'ur.role_id').select('rp.permission').where('ur.user_id', '=', user.id).execute()).map((p) => p.permission);
  const ctx = makeCtx(deps, { kind: 'user', userId: user.id, username: 'bench.people', displayName: 'bench', unitId: cityId, scopePath: user.path, permissions: new Set(perms), roles: ['staff'] });

  let rawMs = 0;
  if (!process.env.NO_RAW) {
    const tmp = path.join(os.tmpdir(), `boai-probe-${process.pid}.xlsx`);
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
    rawMs = performance.now() - tRaw;
    fs.rmSync(tmp, { force: true });
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const job = await startImport(ctx, 'people', { bytes: file, fileName: 'bench.xlsx', unitId: cityId });
  await jobFinished(job.id);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const done = await deps.db.selectFrom('import_job').select(['status', 'inserted_count', 'message', 'error_count', 'validation_ms', 'insert_ms']).where('id', '=', job.id).executeTakeFirstOrThrow();
  if (done.status !== 'done' || done.inserted_count !== N) throw new Error(`import ended ${done.status} with ${done.inserted_count} rows (${done.error_count} errors, ${done.message})`);
  const rate = (n: number, t: number) => Math.round(n / (t / 1000)).toLocaleString('en');
  console.log(
    `${backend} ${N} rows: total ${(ms / 1000).toFixed(1)} s (${rate(N, ms)}/s); validation ${done.validation_ms} ms (${rate(N, done.validation_ms!)}/s); insert ${done.insert_ms} ms (${rate(N, done.insert_ms!)}/s); raw ${(rawMs / 1000).toFixed(1)} s; node cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
  );
} finally {
  await env.close();
}
