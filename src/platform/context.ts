import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../server/config.ts';
import type { DB } from '../server/db/schema.ts';
import type { Clock } from './clock.ts';
import type { Lang } from './i18n.ts';
import type { Keys } from './keys.ts';

export type Trx = Transaction<DB>;

/** Who is acting, and over which part of the org tree. */
export type Actor = {
  kind: 'user' | 'system' | 'anonymous';
  userId: string | null;
  username: string | null;
  displayName: string | null;
  /** The unit at the root of the actor's jurisdiction. */
  unitId: string | null;
  /** Materialised path of that unit; '/' (everything) for the system. */
  scopePath: string;
  permissions: ReadonlySet<string>;
  roles: readonly string[];
};

/** What services need from the outside world. */
export type Deps = {
  db: Kysely<DB>;
  dbKind: 'pglite' | 'postgres';
  clock: Clock;
  keys: Keys;
  config: Config;
  log: FastifyBaseLogger;
};

export type Ctx = {
  readonly actor: Actor;
  readonly deps: Deps;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly lang: Lang;
  /**
   * Runs `fn` in a database transaction that sees only the actor's jurisdiction: the transaction
   * takes the role boai_app, whose row-level security policies filter every read, count, aggregate
   * and write by `boai.scope`. Nested calls with the same context join the open transaction, so
   * services can call services and still commit or roll back as one.
   */
  run<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
};

const current = new AsyncLocalStorage<{ ctx: Ctx; trx: Trx }>();

const RETRYABLE = new Set(['40001', '40P01']);

export function makeCtx(deps: Deps, actor: Actor, extra: { requestId?: string | null; ip?: string | null; lang?: Lang } = {}): Ctx {
  const ctx: Ctx = {
    actor,
    deps,
    requestId: extra.requestId ?? null,
    ip: extra.ip ?? null,
    lang: extra.lang ?? 'zh-CN',
    async run<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
      const open = current.getStore();
      if (open) {
        if (open.ctx === ctx) return fn(open.trx);
        throw new Error('a transaction of another actor is already open in this call chain');
      }
      for (let attempt = 1; ; attempt++) {
        try {
          return await deps.db.transaction().execute(async (trx) => {
            // JIT compilation costs ~100 ms on the row-level policies' plans and pays off only for
            // long analytical queries, which do not run through here.
            await sql`select set_config('role', 'boai_app', true), set_config('boai.scope', ${actor.scopePath}, true),
              set_config('boai.actor', ${actor.userId ?? ''}, true), set_config('jit', 'off', true)`.execute(trx);
            return current.run({ ctx, trx }, () => fn(trx));
          });
        } catch (err) {
          // Serialisation failures and deadlocks are the database asking us to try again.
          const code = (err as { code?: string }).code;
          if (code && RETRYABLE.has(code) && attempt < 5) {
            await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
            continue;
          }
          throw err;
        }
      }
    },
  };
  return ctx;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({
  kind: 'system',
  userId: null,
  username: 'system',
  displayName: '系统',
  unitId: null,
  scopePath: '/',
  permissions: new Set<string>(),
  roles: [],
});

/** A context for the platform's own work (start-up, login before a user is known, jobs). */
export function systemCtx(deps: Deps, extra: { requestId?: string | null; ip?: string | null; lang?: Lang } = {}) {
  return makeCtx(deps, SYSTEM_ACTOR, extra);
}

export function hasPermission(actor: Actor, permission: string) {
  return actor.permissions.has(permission);
}

/**
 * Runs `fn` inside the caller's open transaction with the schema owner's rights: row-level
 * security off. Only for platform-defined steps whose effect the service has already checked and
 * that must reach rows outside the caller's view (a merge moving another county's links to the
 * kept record). Everything stays in the caller's transaction and is audited by the caller.
 */
export async function withOwnerRights<T>(trx: Trx, fn: (trx: Trx) => Promise<T>): Promise<T> {
  await sql`set local role none`.execute(trx);
  // If fn throws, the transaction is rolled back and the role with it.
  const result = await fn(trx);
  await sql`select set_config('role', 'boai_app', true)`.execute(trx);
  return result;
}
