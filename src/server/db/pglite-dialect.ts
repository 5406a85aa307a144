import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for PGlite that serialises connections.
 *
 * PGlite is one PostgreSQL session. The published dialects hand that one session to every caller at
 * once, so two Kysely transactions interleave their statements and lose updates silently
 * (docs/decisions/0002). Here a connection is a lease on the session: whoever holds it — a single
 * query or a whole transaction — has the session alone until it is released.
 *
 * Durability: every statement goes through `PGlite.query()`, which syncs the file system after each
 * statement outside PGlite's own `transaction()` helper, so COMMIT is synced too (the bug in
 * pglite#1065 concerns `transaction()`, which we never use).
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite, private readonly options: { acquireTimeoutMs?: number } = {}) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg, this.options.acquireTimeoutMs ?? 60_000);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class Lease {
  #tail: Promise<void> = Promise.resolve();
  /** Resolves with a release function once every earlier holder has released. */
  acquire(timeoutMs: number): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A wait this long means a transaction is waiting on itself (a query sent through the root
        // handle while holding a transaction). Fail loudly instead of hanging the server forever.
        reject(new Error(`PGlite connection not available after ${timeoutMs} ms (nested use of the database handle inside a transaction?)`));
      }, timeoutMs);
      void before.then(() => {
        clearTimeout(timer);
        resolve(release);
      });
    });
  }
}

class PGliteDriver implements Driver {
  readonly #lease = new Lease();
  constructor(
    private readonly pg: PGlite,
    private readonly acquireTimeoutMs: number,
  ) {}
  async init() {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#lease.acquire(this.acquireTimeoutMs);
    return new PGliteConnection(this.pg, release);
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    let text = 'begin';
    if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await conn.executeQuery(CompiledQuery.raw(text));
    (conn as PGliteConnection).inTransaction = true;
    (conn as PGliteConnection).failed = false;
  }
  async commitTransaction(conn: DatabaseConnection) {
    const c = conn as PGliteConnection;
    if (c.failed) {
      // PostgreSQL turns COMMIT of an aborted transaction into ROLLBACK; say so instead of pretending.
      await c.executeQuery(CompiledQuery.raw('rollback'));
      c.inTransaction = false;
      throw new Error('transaction aborted by an earlier error; rolled back');
    }
    await c.executeQuery(CompiledQuery.raw('commit'));
    c.inTransaction = false;
  }
  async rollbackTransaction(conn: DatabaseConnection) {
    const c = conn as PGliteConnection;
    await c.executeQuery(CompiledQuery.raw('rollback'));
    c.inTransaction = false;
    c.failed = false;
  }
  async savepoint(conn: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await conn.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
    void compile;
  }
  async rollbackToSavepoint(conn: DatabaseConnection, name: string) {
    await conn.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
    (conn as PGliteConnection).failed = false;
  }
  async releaseSavepoint(conn: DatabaseConnection, name: string) {
    await conn.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }
  async releaseConnection(conn: DatabaseConnection) {
    const c = conn as PGliteConnection;
    if (c.inTransaction) {
      // Never hand a session with an open transaction to the next caller.
      await this.pg.query('rollback').catch(() => undefined);
      c.inTransaction = false;
    }
    c.release();
  }
  async destroy() {
    // The owner of the PGlite instance closes it (connect.ts), after the lock file is released.
  }
}

function quoteIdent(s: string) {
  return '"' + s.replaceAll('"', '""') + '"';
}

const WRITE_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

class PGliteConnection implements DatabaseConnection {
  inTransaction = false;
  failed = false;
  constructor(
    private readonly pg: PGlite,
    readonly release: () => void,
  ) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const res = await this.pg.query<R>(compiled.sql, [...compiled.parameters]);
      const kind = compiled.query.kind;
      const isWrite = WRITE_KINDS.has(kind) || (kind === 'RawNode' && /^\s*(insert|update|delete|merge)\b/i.test(compiled.sql));
      return {
        rows: res.rows ?? [],
        numAffectedRows: isWrite ? BigInt(res.affectedRows ?? 0) : undefined,
      };
    } catch (err) {
      if (this.inTransaction) this.failed = true;
      throw err;
    }
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite; page with keyset queries instead');
  }
}
