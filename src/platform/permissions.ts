import type { Ctx } from './context.ts';
import { DomainError } from './errors.ts';

/**
 * Services check permissions first (the routes check them too, but a service can be called from
 * elsewhere — a job, another service, a test — and must not rely on its caller).
 */
export function requirePermission(ctx: Ctx, ...anyOf: string[]) {
  if (ctx.actor.kind === 'system') return;
  if (!anyOf.some((p) => ctx.actor.permissions.has(p))) throw new DomainError('forbidden', { permission: anyOf.join(' | ') });
}
