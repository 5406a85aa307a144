import { canonicalJson } from './canonical-json.ts';
import type { Ctx, Deps } from './context.ts';
import { sha256Hex } from './crypto.ts';
import { DomainError } from './errors.ts';

/**
 * Idempotency-Key support (security.md §6; Stripe's contract): the key is claimed with
 * `INSERT … ON CONFLICT DO NOTHING` in the same transaction as the work, so the work and the
 * stored response commit or vanish together. A retry with the same key and the same request gets
 * the first response again; with a different request, 422. A concurrent duplicate waits on the
 * claim (PostgreSQL blocks on the conflicting row until the first commits) and then replays.
 * Failures (validation, business refusals) roll back with the claim: the key can be used again.
 * Keys are kept at least 24 hours.
 */
export type IdempotentResult<T> = { status: number; body: T; replayed: boolean };

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export function checkIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new DomainError('validation_failed', undefined, [{ field: 'headers.idempotency-key', code: 'invalid', message: 'Idempotency-Key: 1–255 个可打印 ASCII 字符 / 1–255 printable ASCII characters' }]);
  }
  return key;
}

export async function idempotent<T>(
  ctx: Ctx,
  key: string | undefined,
  request: { route: string; body: unknown },
  work: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  if (!key) return { ...(await work()), replayed: false };
  const actorId = ctx.actor.userId;
  if (!actorId) throw new DomainError('unauthenticated');
  const hash = sha256Hex(canonicalJson(request));
  return ctx.run(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_key')
      .values({ actor_id: actorId, key, route: request.route, request_hash: hash, created_at: ctx.deps.clock.now() })
      .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      const first = await trx.selectFrom('idempotency_key').selectAll().where('actor_id', '=', actorId).where('key', '=', key).executeTakeFirstOrThrow();
      if (first.request_hash !== hash) throw new DomainError('idempotency.key_reused');
      if (first.status_code === null) throw new DomainError('idempotency.in_flight');
      return { status: first.status_code, body: first.response as T, replayed: true };
    }
    const result = await work();
    await trx
      .updateTable('idempotency_key')
      .set({ status_code: result.status, response: JSON.stringify(result.body) })
      .where('actor_id', '=', actorId)
      .where('key', '=', key)
      .execute();
    return { ...result, replayed: false };
  });
}

export async function purgeIdempotencyKeys(deps: Deps) {
  await deps.db.deleteFrom('idempotency_key').where('created_at', '<', new Date(deps.clock.now().getTime() - IDEMPOTENCY_TTL_MS)).execute();
}
