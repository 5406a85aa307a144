import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DatabaseStartError, lockDataDir, openPGlite, openPGliteMemory, openPostgres, type Database } from './connect.ts';
import { adminUrl, withAdminClient } from '../../../tests/support/env.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boai-connect-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('data directory lock', () => {
  it('refuses a second opener while the holder lives, and takes over a stale lock', () => {
    const dir = path.join(tmp, 'locked');
    fs.mkdirSync(dir);
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DatabaseStartError);
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    release();
    const again = lockDataDir(dir);
    again();
    // A lock left by a dead process (pid 2^22 + 1 is above Linux's pid_max default range).
    fs.writeFileSync(path.join(tmp, 'locked.lock'), String(4_194_305));
    const taken = lockDataDir(dir);
    expect(fs.readFileSync(path.join(tmp, 'locked.lock'), 'utf8')).toBe(String(process.pid));
    taken();
  });

  it('reports a corrupt data directory clearly', async () => {
    const dir = path.join(tmp, 'corrupt');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), 'not a version\n');
    fs.mkdirSync(path.join(dir, 'base'));
    const err = await openPGlite(dir).then(
      async (d) => {
        await d.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatabaseStartError);
    expect(String((err as Error).message)).toMatch(/数据目录无法打开|cannot be opened/);
    // The failed open released its lock.
    lockDataDir(dir)();
  }, 120_000);
});

async function both(): Promise<Database[]> {
  const out = [await openPGliteMemory()];
  if (process.env.DATABASE_URL) out.push(await openPostgres(process.env.DATABASE_URL, { max: 25 }));
  return out;
}

describe('drivers', () => {
  it('serialises concurrent transactions on PGlite (20 parallel read-modify-write increments all count)', async () => {
    const d = await openPGliteMemory();
    try {
      await sql`create table counter (id int primary key, n int not null)`.execute(d.db);
      await sql`insert into counter values (1, 0)`.execute(d.db);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          d.db.transaction().execute(async (trx) => {
            const r = await sql<{ n: number }>`select n from counter where id = 1`.execute(trx);
            await new Promise((res) => setTimeout(res, 2));
            await sql`update counter set n = ${r.rows[0]!.n + 1} where id = 1`.execute(trx);
          }),
        ),
      );
      expect((await sql<{ n: number }>`select n from counter`.execute(d.db)).rows[0]!.n).toBe(20);
      const upd = await d.db.updateTable('counter' as never).set({ n: 0 } as never).executeTakeFirst();
      expect(Number(upd.numUpdatedRows)).toBe(1);
      // A failed statement inside a transaction rolls the whole transaction back.
      await expect(
        d.db.transaction().execute(async (trx) => {
          await sql`update counter set n = 99`.execute(trx);
          await sql`select * from no_such_table`.execute(trx).catch(() => undefined);
        }),
      ).rejects.toThrow(/aborted/);
      expect((await sql<{ n: number }>`select n from counter`.execute(d.db)).rows[0]!.n).toBe(0);
    } finally {
      await d.close();
    }
  });

  it('returns the same JavaScript types from PGlite and PostgreSQL', async () => {
    const results = [];
    for (const d of await both()) {
      try {
        const r = await sql<Record<string, unknown>>`select count(*) as c, 9007199254740991::bigint as big, 12.50::numeric(10,2) as num,
          '2026-06-01'::date as day, '2026-06-01T00:00:00Z'::timestamptz as ts, 3::int as i, true as b, '{"a":1}'::jsonb as j`.execute(d.db);
        results.push(r.rows[0]);
        await expect(sql`select 9007199254740993::bigint as too_big`.execute(d.db)).rejects.toThrow(/safe integer/);
      } finally {
        await d.close();
      }
    }
    for (const r of results) {
      expect(r).toEqual({ c: 1, big: 9007199254740991, num: '12.50', day: '2026-06-01', ts: new Date('2026-06-01T00:00:00Z'), i: 3, b: true, j: { a: 1 } });
    }
  });

  it.runIf(!!process.env.DATABASE_URL)('refuses an unreachable PostgreSQL with a clear message', async () => {
    const err = await openPostgres(adminUrl(process.env.DATABASE_URL!, 'boai_no_such_database')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseStartError);
    expect(String((err as Error).message)).toContain('cannot connect to PostgreSQL');
    expect(String((err as Error).message)).not.toMatch(/:[^@/]*@/);
    await withAdminClient(process.env.DATABASE_URL!, async () => undefined);
  });
});
