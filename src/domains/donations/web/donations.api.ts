import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  allocation,
  confirmedDonation,
  CreateAllocation,
  CreateDisbursement,
  CreateDonation,
  CreateDonor,
  Disbursement,
  Donation,
  Donor,
  Fund,
  Trace,
} from '../donations.contract.ts';
import { api, type QueryParams } from '../../../web/api.ts';
import type { ListPage, ListView } from '../../../web/records/RecordList.tsx';

export type ConfirmedDonation = z.infer<typeof confirmedDonation>;
export type Allocation = z.infer<typeof allocation>;
export type DisbursementStatus = Disbursement['status'];
export type ConfirmInput = { version: number; receiptNo?: string; receiptWaiver?: 'anonymous' | 'declined'; waiverNote?: string | null };

export const donationsKeys = {
  all: ['donations'] as const,
  list: ['donations', 'list'] as const,
  detail: (id: string) => ['donations', 'detail', id] as const,
  trace: (id: string) => ['donations', 'trace', id] as const,
  donors: (q: string) => ['donations', 'donors', q] as const,
  funds: ['donations', 'funds'] as const,
  disbursements: (status: string) => ['donations', 'disbursements', status] as const,
};

export function fetchDonations(p: ListView & { cursor: string | undefined; limit: number; signal?: AbortSignal }): Promise<ListPage<Donation>> {
  return api<ListPage<Donation>>('/api/donations', { query: { ...p.filters, cursor: p.cursor, limit: p.limit }, signal: p.signal });
}

/** Every page of the current filters (an export), at most `max` rows. */
export async function fetchAllDonations(filters: QueryParams, max = 5000): Promise<Donation[]> {
  const out: Donation[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<ListPage<Donation>>('/api/donations', { query: { ...filters, cursor, limit: 200 } });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out.slice(0, max);
}

export function useDonation(id: string | undefined) {
  return useQuery({
    queryKey: donationsKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api<Donation>(`/api/donations/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useTrace(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: donationsKeys.trace(id ?? ''),
    queryFn: ({ signal }) => api<Trace>(`/api/donations/${id}/trace`, { signal }),
    enabled: !!id && enabled,
  });
}

/** Donors: the most recent, or those whose organisation name contains `q`. */
export function useDonors(q: string) {
  return useQuery({
    queryKey: donationsKeys.donors(q),
    queryFn: ({ signal }) => api<{ items: Donor[] }>('/api/donations/donors', { query: { q, limit: 50 }, signal }).then((r) => r.items),
    staleTime: 10_000,
    placeholderData: (prev) => prev,
  });
}

export function useFunds() {
  return useQuery({
    queryKey: donationsKeys.funds,
    queryFn: ({ signal }) => api<{ items: Fund[] }>('/api/donations/funds', { signal }).then((r) => r.items),
  });
}

export function useDisbursements(status: DisbursementStatus | undefined) {
  return useQuery({
    queryKey: donationsKeys.disbursements(status ?? 'all'),
    queryFn: ({ signal }) => api<{ items: Disbursement[] }>('/api/donations/disbursements', { query: { status }, signal }).then((r) => r.items),
  });
}

/** Money moves: every change refreshes every donations screen (balances, traces, lists). */
function useDonationsMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: donationsKeys.all }), gcTime: 0 });
}

/** The `Idempotency-Key` travels with every POST that moves money: a retry after a lost answer replays it. */
const once = (key: string) => ({ 'Idempotency-Key': key });

export function useCreateDonor() {
  return useDonationsMutation((body: CreateDonor) => api<Donor>('/api/donations/donors', { method: 'POST', body }));
}
export function useCreateDonation() {
  return useDonationsMutation(({ body, key }: { body: CreateDonation; key: string }) => api<Donation>('/api/donations', { method: 'POST', body, headers: once(key) }));
}
export function useConfirmDonation() {
  return useDonationsMutation(({ id, body, key }: { id: string; body: ConfirmInput; key: string }) =>
    api<ConfirmedDonation>(`/api/donations/${id}/confirm`, { method: 'POST', body, headers: once(key) }),
  );
}
export function useReverseDonation() {
  return useDonationsMutation(({ id, reason, key }: { id: string; reason: string; key: string }) =>
    api<void>(`/api/donations/${id}/reverse`, { method: 'POST', body: { reason }, headers: once(key) }),
  );
}
export function useAllocate() {
  return useDonationsMutation(({ body, key }: { body: CreateAllocation; key: string }) => api<Allocation>('/api/donations/allocations', { method: 'POST', body, headers: once(key) }));
}
export function useSubmitDisbursement() {
  return useDonationsMutation(({ body, key }: { body: CreateDisbursement; key: string }) =>
    api<Disbursement>('/api/donations/disbursements', { method: 'POST', body, headers: once(key) }),
  );
}
export function useDecideDisbursement() {
  return useDonationsMutation(({ id, body, key }: { id: string; body: { version: number; decision: 'approve' | 'reject'; reason?: string | null }; key: string }) =>
    api<Disbursement>(`/api/donations/disbursements/${id}/decision`, { method: 'POST', body, headers: once(key) }),
  );
}

/** The code again for a reprint: asked for each time (the server records every look), never cached. */
export function fetchLookupCode(id: string) {
  return api<{ lookupCode: string }>(`/api/donations/${id}/lookup-code`).then((r) => r.lookupCode);
}

/** The donor's own view, without a session. */
export function fetchPublicTrace(code: string, signal?: AbortSignal) {
  return api<Trace>('/api/public/donations/trace', { query: { code }, signal, silentAuth: true });
}
