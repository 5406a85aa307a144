import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** PostgreSQL server version string, e.g. "PostgreSQL 15.20" or "PostgreSQL 18.x (PGlite)". */
  version: string;
  close(): Promise<void>;
};

export class DatabaseStartError extends Error {}

/**
 * Both drivers return the same JavaScript types (docs/decisions/0002): int8 as a number (refusing
 * values beyond 2^53 rather than rounding them), numeric as a string, date as 'YYYY-MM-DD',
 * timestamptz as a Date.
 */
export function parseInt8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds the safe integer range`);
  return n;
}
const identity = (v: string) => v;
const OID = { int8: 20, date: 1082, numeric: 1700 } as const;

export const pgliteParsers = { [OID.int8]: parseInt8, [OID.date]: identity, [OID.numeric]: identity };

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: string) {
      if (oid === OID.int8) return parseInt8;
      if (oid === OID.date) return identity;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  } as pg.CustomTypesConfig;
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types: pgTypes() });
  // An idle connection the server closes (a restart, an administrator, a dropped database) is
  // reported on the pool; unhandled, that event would end the process. The pool replaces the
  // connection on the next query, and a query that fails says so where it runs.
  pool.on('error', (err) => console.warn(`PostgreSQL 空闲连接已断开 / idle PostgreSQL connection closed: ${err.message}`));
  try {
    const r = await pool.query<{ v: string }>(`select current_setting('server_version') as v`);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      version: `PostgreSQL ${r.rows[0]!.v}`,
      close: () => db.destroy(),
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseStartError(`无法连接 PostgreSQL / cannot connect to PostgreSQL (${redactUrl(url)}): ${(err as Error).message}`);
  }
}

/** Refuse to run a real server whose settings can lose acknowledged commits (security.md item 44). */
export async function checkPostgresDurability(db: Kysely<DB>) {
  for (const name of ['fsync', 'full_page_writes', 'synchronous_commit']) {
    const r = await sql<{ v: string }>`select current_setting(${name}) as v`.execute(db);
    const v = r.rows[0]?.v;
    if (v !== 'on') {
      throw new DatabaseStartError(`PostgreSQL ${name} = ${v}: Boai requires ${name} = on so that committed data survives a crash`);
    }
  }
}

function redactUrl(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Opens the embedded database in `dataDir`, holding an exclusive lock file so that no second
 * process opens the same directory (PGlite itself does not lock it).
 */
export async function openPGlite(dataDir: string): Promise<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let pgl: PGlite;
  try {
    pgl = new PGlite(dataDir, { relaxedDurability: false, parsers: pgliteParsers });
    await pgl.waitReady;
  } catch (err) {
    unlock();
    throw new DatabaseStartError(
      `数据目录无法打开，可能已损坏 / the data directory cannot be opened, it may be corrupt: ${dataDir} (${(err as Error)?.message ?? String(err)})`,
    );
  }
  return wrapPGlite(pgl, async () => {
    await pgl.close();
    unlock();
  });
}

/** An in-memory PGlite, optionally loaded from a dump of a migrated template (tests). */
export async function openPGliteMemory(loadDataDir?: Blob): Promise<Database> {
  const pgl = new PGlite({ relaxedDurability: false, parsers: pgliteParsers, ...(loadDataDir ? { loadDataDir } : {}) });
  await pgl.waitReady;
  return wrapPGlite(pgl, () => pgl.close());
}

async function wrapPGlite(pgl: PGlite, close: () => Promise<void>): Promise<Database> {
  const r = await pgl.query<{ v: string }>(`select current_setting('server_version') as v`);
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pgl) });
  let closed = false;
  return {
    kind: 'pglite',
    db,
    version: `PostgreSQL ${r.rows[0]!.v} (PGlite)`,
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
      await close();
    },
    // Exposed for tests that dump a migrated template.
    ...({ pglite: pgl } as object),
  };
}

export function pgliteOf(d: Database): PGlite | undefined {
  return (d as unknown as { pglite?: PGlite }).pglite;
}

export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, '..', path.basename(dataDir) + '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new DatabaseStartError(
          `数据目录正被进程 ${holder} 使用 / the data directory ${dataDir} is in use by process ${holder}; stop it first (lock: ${lockPath})`,
        );
      }
      // A stale lock left by a process that died: take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseStartError(`无法锁定数据目录 / cannot lock the data directory ${dataDir}`);
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
