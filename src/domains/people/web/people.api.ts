import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Consent, CreatePerson, IdType, Person, PersonDetail, UpdatePerson, unmasked, UNMASK_FIELDS } from '../people.contract.ts';
import { api, download, type QueryParams } from '../../../web/api.ts';
import type { ListPage, ListView } from '../../../web/records/RecordList.tsx';

export type Unmasked = z.infer<typeof unmasked>;
export type UnmaskField = (typeof UNMASK_FIELDS)[number];
export type LookupResult = { items: Person[]; registeredElsewhere: boolean };
export type LookupInput = { idType: IdType; idNumber?: string; mobile?: string };

export const peopleKeys = {
  all: ['people'] as const,
  list: ['people', 'list'] as const,
  detail: (id: string) => ['people', 'detail', id] as const,
  search: (q: string) => ['people', 'search', q] as const,
};

export function fetchPeople(p: ListView & { cursor: string | undefined; limit: number; signal?: AbortSignal }): Promise<ListPage<Person>> {
  return api<ListPage<Person>>('/api/people', { query: { ...p.filters, sort: p.sort, cursor: p.cursor, limit: p.limit }, signal: p.signal });
}

/** The masked list export, with the filters and sort on screen, in the UI language. */
export function exportPeople(view: ListView) {
  const query: QueryParams = { ...view.filters, sort: view.sort };
  return download('/api/people/export', query, '人员名单.xlsx');
}

export function usePerson(id: string | undefined) {
  return useQuery({
    queryKey: peopleKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api<PersonDetail>(`/api/people/${id}`, { signal }),
    enabled: !!id,
  });
}

/** People whose name contains `q` (a picker), at most 20. */
export function usePeopleSearch(q: string) {
  return useQuery({
    queryKey: peopleKeys.search(q),
    queryFn: ({ signal }) => api<ListPage<Person>>('/api/people', { query: { q, limit: 20, sort: 'name' }, signal }).then((r) => r.items),
    enabled: q.length > 0,
    staleTime: 10_000,
  });
}

/**
 * The exact search by document or mobile. The number goes in the request body, never a URL, and
 * is not kept in the query cache (a mutation without cache time).
 */
export function useLookup() {
  return useMutation({
    mutationFn: (body: LookupInput) => api<LookupResult>('/api/people/lookup', { method: 'POST', body }),
    gcTime: 0,
  });
}

function usePeopleMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  // Settled, not only succeeded: after a refusal (someone else changed the record) the screen shows the current version.
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: peopleKeys.all }), gcTime: 0 });
}

/** Registration with an Idempotency-Key: a retry of the same form after a lost answer does not register twice. */
export function useCreatePerson() {
  return usePeopleMutation(({ body, key }: { body: CreatePerson; key: string }) =>
    api<Person>('/api/people', { method: 'POST', body, headers: { 'Idempotency-Key': key } }),
  );
}

export function useUpdatePerson() {
  return usePeopleMutation(({ id, body }: { id: string; body: UpdatePerson }) => api<Person>(`/api/people/${id}`, { method: 'PATCH', body }));
}
export function useLinkPerson() {
  return usePeopleMutation((body: { idType: IdType; idNumber: string }) => api<Person>('/api/people/link', { method: 'POST', body }));
}
export function useGiveConsent() {
  return usePeopleMutation(
    ({ personId, body }: { personId: string; body: { purpose: Consent['purpose']; scope: string; givenBy: 'self' | 'guardian'; givenAt?: string; evidence?: string | null } }) =>
      api<Consent>(`/api/people/${personId}/consents`, { method: 'POST', body }),
  );
}
export function useWithdrawConsent() {
  return usePeopleMutation(({ personId, consentId, reason }: { personId: string; consentId: string; reason: string }) =>
    api<Consent>(`/api/people/${personId}/consents/${consentId}/withdraw`, { method: 'POST', body: { reason } }),
  );
}
export function useMergePeople() {
  return usePeopleMutation((body: { keepId: string; mergeId: string; reason: string }) => api<Person>('/api/people/merge', { method: 'POST', body }));
}
export function useErasePerson() {
  return usePeopleMutation(({ id, reason, requestRef }: { id: string; reason: string; requestRef?: string }) =>
    api<Person>(`/api/people/${id}/erase`, { method: 'POST', body: { reason, ...(requestRef ? { requestRef } : {}) } }),
  );
}

/** Full identifiers: asked for with a reason, returned to the caller only (never cached). */
export function unmaskPerson(id: string, fields: UnmaskField[], reason: string) {
  return api<Unmasked>(`/api/people/${id}/unmask`, { method: 'POST', body: { fields, reason } });
}

/** The data-subject copy (JSON, identifiers in clear): a download for the person who asked. */
export function downloadPersonData(id: string) {
  return download(`/api/people/${id}/data-export`, undefined, `personal-data-${id.slice(0, 8)}.json`);
}
