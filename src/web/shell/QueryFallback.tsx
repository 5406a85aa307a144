import { Button, Card, Result, Skeleton } from 'antd';
import { Link } from 'react-router';
import { ApiError } from '../api.ts';

/**
 * What a record page shows before its record is there: a skeleton while it loads, else the error
 * (404 — not found or outside the caller's jurisdiction — or the server's message), with a way back.
 */
export function QueryFallback({ q, notFoundTitle, back }: { q: { isPending: boolean; error: unknown }; notFoundTitle?: string; back?: { to: string; label: string } }) {
  if (q.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  const notFound = q.error instanceof ApiError && q.error.status === 404;
  const message = q.error instanceof Error ? q.error.message : String(q.error);
  return (
    <Card>
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound && notFoundTitle ? notFoundTitle : message}
        extra={
          back ? (
            <Link to={back.to}>
              <Button type="primary">{back.label}</Button>
            </Link>
          ) : undefined
        }
      />
    </Card>
  );
}
