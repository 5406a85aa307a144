import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateOrgUnit, OrgUnit, OrgUnitDetail, Population, PopulationKind, SavePopulation, UpdateOrgUnit } from '../orgs.contract.ts';
import { api } from '../../../web/api.ts';

type Page = { items: OrgUnit[]; nextCursor: string | null };

export const orgsKeys = {
  all: ['orgs'] as const,
  children: (parentId: string | null) => ['orgs', 'children', parentId ?? 'roots'] as const,
  search: (q: string) => ['orgs', 'search', q] as const,
  detail: (id: string) => ['orgs', 'detail', id] as const,
};

/** Children follow the editors' sort order, then the name (the API lists them in tree-path order). */
export function bySortOrder(a: OrgUnit, b: OrgUnit): number {
  return a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN');
}

/** All children of a unit (or the roots of the caller's jurisdiction); a level has at most a few hundred. */
export async function fetchChildren(parentId: string | null, signal?: AbortSignal): Promise<OrgUnit[]> {
  const items: OrgUnit[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await api<Page>('/api/orgs', {
      query: parentId ? { parentId, cursor, limit: 200 } : { roots: 'true', cursor, limit: 200 },
      signal,
    });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items.sort(bySortOrder);
}

export function childrenQuery(parentId: string | null) {
  return { queryKey: orgsKeys.children(parentId), queryFn: ({ signal }: { signal: AbortSignal }) => fetchChildren(parentId, signal) };
}

export function loadChildren(qc: QueryClient, parentId: string | null) {
  return qc.fetchQuery({ ...childrenQuery(parentId), staleTime: 30_000 });
}

export function useOrgSearch(q: string) {
  return useQuery({
    queryKey: orgsKeys.search(q),
    queryFn: ({ signal }) => api<Page>('/api/orgs', { query: { q, limit: 50 }, signal }),
    enabled: q.length > 0,
  });
}

export function useOrgDetail(id: string | null) {
  return useQuery({
    queryKey: orgsKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api<OrgUnitDetail>(`/api/orgs/${id}`, { signal }),
    enabled: !!id,
  });
}

function useOrgMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  // Settled, not only succeeded: after a refusal (someone else changed the record) the screen shows the current version.
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: orgsKeys.all }) });
}

export function useCreateUnit() {
  return useOrgMutation((body: CreateOrgUnit) => api<OrgUnit>('/api/orgs', { method: 'POST', body }));
}
export function useUpdateUnit() {
  return useOrgMutation(({ id, body }: { id: string; body: UpdateOrgUnit }) => api<OrgUnit>(`/api/orgs/${id}`, { method: 'PATCH', body }));
}
export function useDeleteUnit() {
  return useOrgMutation((id: string) => api<void>(`/api/orgs/${id}`, { method: 'DELETE' }));
}
export function useSavePopulation() {
  return useOrgMutation(({ unitId, body }: { unitId: string; body: SavePopulation }) =>
    api<Population>(`/api/orgs/${unitId}/populations`, { method: 'PUT', body }),
  );
}
export function useDeletePopulation() {
  return useOrgMutation(({ unitId, year, kind }: { unitId: string; year: number; kind: PopulationKind }) =>
    api<void>(`/api/orgs/${unitId}/populations/${year}/${kind}`, { method: 'DELETE' }),
  );
}
