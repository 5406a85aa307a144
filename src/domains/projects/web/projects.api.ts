import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CloseProject, CreateProject, Project, ProjectDetail, UpdateProject } from '../projects.contract.ts';
import { api } from '../../../web/api.ts';
import type { ListPage, ListView } from '../../../web/records/RecordList.tsx';

export const projectsKeys = {
  all: ['projects'] as const,
  list: ['projects', 'list'] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
};

export function fetchProjects(p: ListView & { cursor: string | undefined; limit: number; signal?: AbortSignal }): Promise<ListPage<Project>> {
  return api<ListPage<Project>>('/api/projects', { query: { ...p.filters, sort: p.sort, cursor: p.cursor, limit: p.limit }, signal: p.signal });
}

export function useProject(id: string | undefined) {
  return useQuery({
    queryKey: projectsKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api<ProjectDetail>(`/api/projects/${id}`, { signal }),
    enabled: !!id,
  });
}

function useProjectsMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  // Settled, not only succeeded: after a conflict the screen shows the current version.
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: projectsKeys.all }) });
}

export function useCreateProject() {
  return useProjectsMutation((body: CreateProject) => api<Project>('/api/projects', { method: 'POST', body }));
}
export function useUpdateProject() {
  return useProjectsMutation(({ id, body }: { id: string; body: UpdateProject }) => api<Project>(`/api/projects/${id}`, { method: 'PATCH', body }));
}
export function useCloseProject() {
  return useProjectsMutation(({ id, body }: { id: string; body: CloseProject }) => api<Project>(`/api/projects/${id}/close`, { method: 'POST', body }));
}
