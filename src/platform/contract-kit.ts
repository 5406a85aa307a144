import { z } from 'zod';
import type { Text } from './i18n.ts';

/**
 * Building blocks shared by every domain contract. Browser-safe: no server imports.
 */

/** The category keeps the three administrator duties apart (三权分立): a role may carry permissions of one of them at most. */
export type PermissionCategory = 'business' | 'system' | 'security' | 'audit';
export type PermissionSpec = Text & { category: PermissionCategory };

export function definePermissions<const T extends Record<string, PermissionSpec>>(spec: T): T {
  for (const code of Object.keys(spec)) {
    if (!/^[a-z_]+(\.[a-z_]+)+$/.test(code)) throw new Error(`bad permission code ${code}`);
  }
  return spec;
}

/** Timestamps travel as ISO-8601 strings. */
export const isoDateTime = z.string();
/** A filter bound: a date (Asia/Shanghai day) or a full timestamp. */
export const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const listQueryBase = {
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const uuid = z.uuid({ error: '应为有效的编号 (UUID)' });
export const idParams = z.strictObject({ id: uuid });

/** Optimistic concurrency: the version the client last saw. */
export const version = z.number().int().min(1);

/** What each built-in role (by code) receives of a domain's permissions. */
export type RoleGrants = Partial<Record<string, readonly string[]>>;

/** One line of the home page's 待办 list (platform/todos.ts gathers them from the domains). */
export const todoItem = z.object({
  /** Stable key, `<domain>.<what>`. */
  key: z.string(),
  domain: z.string(),
  count: z.number().int().min(1),
  /** Already in the caller's language. */
  label: z.string(),
  /** Where the work is done (a path of the staff web app, with filters). */
  path: z.string(),
  /** `urgent`: a deadline has passed or a citizen is waiting. */
  severity: z.enum(['normal', 'urgent']),
});
export type TodoItem = z.infer<typeof todoItem>;
export const todoList = z.object({ items: z.array(todoItem) });
