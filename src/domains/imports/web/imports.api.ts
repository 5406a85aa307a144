import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ImportJob, importRegistryInfo } from '../imports.contract.ts';
import { api, download, upload } from '../../../web/api.ts';

export type RegistryInfo = z.infer<typeof importRegistryInfo>;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const RUNNING = new Set<ImportJob['status']>(['queued', 'validating', 'importing']);
export const isRunning = (job: ImportJob | undefined) => !!job && RUNNING.has(job.status);

export const importsKeys = {
  registry: (r: string) => ['imports', 'registry', r] as const,
  jobs: (r: string) => ['imports', 'jobs', r] as const,
  job: (id: string) => ['imports', 'job', id] as const,
};

export function useRegistryInfo(registry: string) {
  return useQuery({
    queryKey: importsKeys.registry(registry),
    queryFn: ({ signal }) => api<RegistryInfo>(`/api/imports/registries/${registry}`, { signal }),
    staleTime: 10 * 60_000,
  });
}

export function useRecentJobs(registry: string) {
  return useQuery({
    queryKey: importsKeys.jobs(registry),
    queryFn: ({ signal }) => api<{ items: ImportJob[] }>('/api/imports', { query: { registry }, signal }).then((r) => r.items),
  });
}

/** One job, polled every half second while it runs. */
export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: importsKeys.job(id ?? ''),
    queryFn: ({ signal }) => api<ImportJob>(`/api/imports/${id}`, { signal }),
    enabled: !!id,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && !isRunning(q.state.data) ? false : 500),
    refetchIntervalInBackground: true,
  });
}

/** The file goes to the server in this request only, as it is. */
export function useStartImport(registry: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, unitId }: { file: File; unitId?: string }) =>
      upload<ImportJob>(`/api/imports/registries/${registry}`, file, { fileName: file.name, contentType: XLSX_TYPE, query: { unitId } }),
    onSuccess: (job) => qc.setQueryData(importsKeys.job(job.id), job),
    onSettled: () => qc.invalidateQueries({ queryKey: importsKeys.jobs(registry) }),
  });
}

export function useCancelImport(registry: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ImportJob>(`/api/imports/${id}/cancel`, { method: 'POST' }),
    onSuccess: (job) => qc.setQueryData(importsKeys.job(job.id), job),
    onSettled: () => qc.invalidateQueries({ queryKey: importsKeys.jobs(registry) }),
  });
}

export function downloadTemplate(registry: string, title: string) {
  return download(`/api/imports/registries/${registry}/template`, undefined, `${title}导入模板.xlsx`);
}

export function downloadReport(job: ImportJob) {
  return download(`/api/imports/${job.id}/report`, undefined, `${job.fileName.replace(/\.xlsx$/i, '')}-错误报告.xlsx`);
}
