import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import type { AuditEntry, AuditVerifyResult } from '../audit.contract.ts';
import { api, download } from '../../../web/api.ts';

export type AuditFilters = {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  entityType?: string;
  result?: 'success' | 'failure' | 'denied';
};

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api<{ items: AuditEntry[]; nextCursor: string | null }>('/api/audit', { query: { ...filters, cursor: pageParam, limit: 50 }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useVerifyChain() {
  return useMutation({ mutationFn: () => api<AuditVerifyResult>('/api/audit/verify') });
}

export function useExportAudit() {
  return useMutation({ mutationFn: (filters: AuditFilters) => download('/api/audit/export', filters, 'audit-log.xlsx') });
}
