import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  allocation,
  confirmedDonation,
  CreateAllocation,
  CreateDisbursement,
  CreateDonation,
  CreateDisclosure,
  CreateDonor,
  Disbursement,
  DisclosureContent,
  DisclosureReport,
  DisclosureSummary,
  Donation,
  Donor,
  Fund,
  publicDisbursement,
  publicDonation,
  Trace,
} from '../donations.contract.ts';
import { api, queryString } from '../../../web/api.ts';
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
  disclosures: ['donations', 'disclosures'] as const,
  disclosure: (id: string) => ['donations', 'disclosures', id] as const,
};

export function fetchDonations(p: ListView & { cursor: string | undefined; limit: number; signal?: AbortSignal }): Promise<ListPage<Donation>> {
  return api<ListPage<Donation>>('/api/donations', { query: { ...p.filters, cursor: p.cursor, limit: p.limit }, signal: p.signal });
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

// ---------------------------------------------------------------- disclosure (公示)

/** A report in the staff's list: without its content. */
export type DisclosureListItem = Omit<DisclosureReport, 'content'>;
export type PublicDonation = z.infer<typeof publicDonation>;
export type PublicDisbursement = z.infer<typeof publicDisbursement>;
export type PublishedDisclosure = { id: string; title: string; periodStart: string; periodEnd: string; corrects: string | null; contentHash: string; publishedAt: string };
/** A period and, optionally, a unit (org code or id; the whole city when absent). */
export type DisclosureScope = { from: string; to: string; unit?: string | undefined };

export function useDisclosures() {
  return useQuery({
    queryKey: donationsKeys.disclosures,
    queryFn: ({ signal }) => api<{ items: DisclosureListItem[] }>('/api/donations/disclosures', { signal }).then((r) => r.items),
  });
}

/** A draft is recomputed by the server on every read (live figures and checks); a published one is frozen. */
export function useDisclosure(id: string | undefined) {
  return useQuery({
    queryKey: donationsKeys.disclosure(id ?? ''),
    queryFn: ({ signal }) => api<DisclosureReport>(`/api/donations/disclosures/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useCreateDisclosure() {
  return useDonationsMutation((body: CreateDisclosure) => api<DisclosureReport>('/api/donations/disclosures', { method: 'POST', body }));
}
export function usePublishDisclosure() {
  return useDonationsMutation(({ id, version }: { id: string; version: number }) => api<DisclosureReport>(`/api/donations/disclosures/${id}/publish`, { method: 'POST', body: { version } }));
}

const publicKeys = {
  summary: (s: DisclosureScope) => ['public-disclosure', 'summary', s.from, s.to, s.unit ?? ''] as const,
  donations: (s: DisclosureScope) => ['public-disclosure', 'donations', s.from, s.to, s.unit ?? ''] as const,
  disbursements: (s: DisclosureScope) => ['public-disclosure', 'disbursements', s.from, s.to, s.unit ?? ''] as const,
  reports: ['public-disclosure', 'reports'] as const,
  report: (id: string) => ['public-disclosure', 'report', id] as const,
};
const PUBLIC_PAGE = 50;

/** The public reads: no session (a 401 never sends the reader to the login page). */
export function usePublicSummary(s: DisclosureScope) {
  return useQuery({
    queryKey: publicKeys.summary(s),
    queryFn: ({ signal }) => api<DisclosureSummary>('/api/public/disclosure/summary', { query: { from: s.from, to: s.to, unit: s.unit }, signal, silentAuth: true }),
    retry: false,
    staleTime: 60_000,
  });
}
/** Every gift of the period, a page at a time (keyset cursor): 加载更多 fetches the next. */
export function usePublicDonations(s: DisclosureScope) {
  return useInfiniteQuery({
    queryKey: publicKeys.donations(s),
    queryFn: ({ signal, pageParam }) =>
      api<{ items: PublicDonation[]; nextCursor: string | null }>('/api/public/disclosure/donations', { query: { from: s.from, to: s.to, unit: s.unit, cursor: pageParam, limit: PUBLIC_PAGE }, signal, silentAuth: true }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
    staleTime: 60_000,
  });
}
export function usePublicDisbursements(s: DisclosureScope) {
  return useQuery({
    queryKey: publicKeys.disbursements(s),
    queryFn: ({ signal }) => api<{ items: PublicDisbursement[] }>('/api/public/disclosure/disbursements', { query: { from: s.from, to: s.to, unit: s.unit }, signal, silentAuth: true }).then((r) => r.items),
    retry: false,
    staleTime: 60_000,
  });
}
export function usePublishedDisclosures() {
  return useQuery({
    queryKey: publicKeys.reports,
    queryFn: ({ signal }) => api<{ items: PublishedDisclosure[] }>('/api/public/disclosures', { signal, silentAuth: true }).then((r) => r.items),
    retry: false,
    staleTime: 60_000,
  });
}
export function usePublishedDisclosure(id: string | undefined) {
  return useQuery({
    queryKey: publicKeys.report(id ?? ''),
    queryFn: ({ signal }) => api<{ id: string; contentHash: string; content: DisclosureContent }>(`/api/public/disclosures/${id}`, { signal, silentAuth: true }),
    enabled: !!id,
    retry: false,
    staleTime: 300_000,
  });
}
/** Where the browser downloads the period's list as xlsx (a plain link: the server names the file). */
export function publicXlsxUrl(kind: 'donations' | 'disbursements', s: DisclosureScope) {
  return `/api/public/disclosure/${kind}.xlsx${queryString({ from: s.from, to: s.to, unit: s.unit })}`;
}
