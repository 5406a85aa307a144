import type { z } from 'zod';
import { DomainError } from './errors.ts';

/** Keyset cursors are opaque to clients: base64url JSON of the last row's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, schema: T): z.infer<T> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    /* fall through */
  }
  throw new DomainError('validation_failed', undefined, [{ field: 'query.cursor', code: 'invalid_cursor', message: '分页游标无效 / invalid cursor' }]);
}

/** Fetch limit + 1 rows; the extra row tells whether there is a next page. */
export function pageFrom<R, I>(rows: R[], limit: number, map: (r: R) => I, keyOf: (r: R) => unknown) {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return {
    items: page.map(map),
    nextCursor: more && page.length ? encodeCursor(keyOf(page[page.length - 1]!)) : null,
  };
}

/** 'YYYY-MM-DD' means the whole day in Asia/Shanghai. */
export function dayStart(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+08:00`) : new Date(value);
}
/** Exclusive upper bound: the next day for a date, the next millisecond for a timestamp. */
export function dayEnd(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(new Date(`${value}T00:00:00+08:00`).getTime() + 86_400_000)
    : new Date(new Date(value).getTime() + 1);
}
