import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ActualEntry,
  BreakdownInput,
  Bulletin,
  BulletinSummary,
  Comparison,
  CreateBulletin,
  CreateEvaluation,
  EnterActual,
  Evaluation,
  EvaluationDetail,
  IndicatorTable,
  Plan,
  PlanDetail,
  ProgressResult,
  SaveTarget,
  Target,
  UpdateEvaluation,
  Warning,
} from '../plan.contract.ts';
import { api, download, upload } from '../../../web/api.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const planKeys = {
  all: ['plan'] as const,
  plans: ['plan', 'plans'] as const,
  detail: (id: string) => ['plan', 'detail', id] as const,
  warnings: (id: string) => ['plan', 'warnings', id] as const,
  progress: (id: string, q: ProgressParams) => ['plan', 'progress', id, q] as const,
  table: (id: string, code: string, q: ProgressParams) => ['plan', 'table', id, code, q] as const,
  actuals: (id: string, q: ActualsParams) => ['plan', 'actuals', id, q] as const,
  bulletins: (id: string) => ['plan', 'bulletins', id] as const,
  bulletin: (id: string) => ['plan', 'bulletin', id] as const,
  evaluations: (id: string) => ['plan', 'evaluations', id] as const,
  evaluation: (id: string) => ['plan', 'evaluation', id] as const,
  comparison: (id: string) => ['plan', 'comparison', id] as const,
};

export type ProgressParams = { year?: number | undefined; unit?: string | undefined; asOf?: string | undefined };
export type ActualsParams = { indicatorCode?: string | undefined; unitId?: string | undefined; year?: number | undefined; history?: boolean };

export function usePlans() {
  return useQuery({
    queryKey: planKeys.plans,
    queryFn: ({ signal }) => api<{ items: Plan[] }>('/api/plan/plans', { signal }).then((r) => r.items),
  });
}

export function usePlanDetail(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api<PlanDetail>(`/api/plan/plans/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useWarnings(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.warnings(id ?? ''),
    queryFn: ({ signal }) => api<{ items: Warning[] }>(`/api/plan/plans/${id}/warnings`, { signal }).then((r) => r.items),
    enabled: !!id,
  });
}

export function useProgress(id: string | undefined, q: ProgressParams) {
  return useQuery({
    queryKey: planKeys.progress(id ?? '', q),
    queryFn: ({ signal }) => api<ProgressResult>(`/api/plan/plans/${id}/progress`, { query: q, signal }),
    enabled: !!id,
    placeholderData: (prev) => prev,
  });
}

export function useIndicatorTable(id: string | undefined, code: string | undefined, q: ProgressParams) {
  return useQuery({
    queryKey: planKeys.table(id ?? '', code ?? '', q),
    queryFn: ({ signal }) => api<IndicatorTable>(`/api/plan/plans/${id}/indicators/${code}/table`, { query: { year: q.year, unit: q.unit }, signal }),
    enabled: !!id && !!code,
    placeholderData: (prev) => prev,
  });
}

export function useActuals(id: string | undefined, q: ActualsParams) {
  return useQuery({
    queryKey: planKeys.actuals(id ?? '', q),
    queryFn: ({ signal }) =>
      api<{ items: ActualEntry[] }>(`/api/plan/plans/${id}/actuals`, {
        query: { indicatorCode: q.indicatorCode, unitId: q.unitId, year: q.year, history: q.history ? 'true' : undefined },
        signal,
      }).then((r) => r.items),
    enabled: !!id,
  });
}

export function useBulletins(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.bulletins(id ?? ''),
    queryFn: ({ signal }) => api<{ items: BulletinSummary[] }>(`/api/plan/plans/${id}/bulletins`, { signal }).then((r) => r.items),
    enabled: !!id,
  });
}

export function useBulletin(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.bulletin(id ?? ''),
    queryFn: ({ signal }) => api<Bulletin>(`/api/plan/bulletins/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useEvaluations(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.evaluations(id ?? ''),
    queryFn: ({ signal }) => api<{ items: Evaluation[] }>(`/api/plan/plans/${id}/evaluations`, { signal }).then((r) => r.items),
    enabled: !!id,
  });
}

export function useEvaluation(id: string | undefined) {
  return useQuery({
    queryKey: planKeys.evaluation(id ?? ''),
    queryFn: ({ signal }) => api<EvaluationDetail>(`/api/plan/evaluations/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useComparison(id: string | undefined, enabled = true) {
  return useQuery({
    queryKey: planKeys.comparison(id ?? ''),
    queryFn: ({ signal }) => api<Comparison>(`/api/plan/plans/${id}/comparison`, { signal }),
    enabled: !!id && enabled,
  });
}

/** Every change can move any figure on any plan screen: the whole plan cache is refreshed after it (settled, so a refusal shows the current state too). */
function usePlanMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: planKeys.all }) });
}

export function useEnterActual(planId: string) {
  return usePlanMutation((body: EnterActual) => api<ActualEntry>(`/api/plan/plans/${planId}/actuals`, { method: 'POST', body }));
}
export function useSaveTarget(planId: string) {
  return usePlanMutation((body: SaveTarget) => api<Target>(`/api/plan/plans/${planId}/targets`, { method: 'PUT', body }));
}
export function useSaveBreakdown(planId: string) {
  return usePlanMutation(({ code, body }: { code: string; body: BreakdownInput }) =>
    api<{ items: Target[] }>(`/api/plan/plans/${planId}/indicators/${code}/breakdown`, { method: 'PUT', body }),
  );
}
export function useImportPlan() {
  return usePlanMutation((file: File) => upload<Plan>('/api/plan/plans/import', file, { fileName: file.name, contentType: XLSX_TYPE }));
}
export function useCreateBulletin(planId: string) {
  return usePlanMutation((body: CreateBulletin) => api<Bulletin>(`/api/plan/plans/${planId}/bulletins`, { method: 'POST', body }));
}
export function useUpdateBulletin() {
  return usePlanMutation(({ id, version, remarks }: { id: string; version: number; remarks: string | null }) =>
    api<Bulletin>(`/api/plan/bulletins/${id}`, { method: 'PATCH', body: { version, remarks } }),
  );
}
export function useCreateEvaluation(planId: string) {
  return usePlanMutation((body: CreateEvaluation) => api<EvaluationDetail>(`/api/plan/plans/${planId}/evaluations`, { method: 'POST', body }));
}
export function useUpdateEvaluation() {
  return usePlanMutation(({ id, body }: { id: string; body: UpdateEvaluation }) => api<EvaluationDetail>(`/api/plan/evaluations/${id}`, { method: 'PATCH', body }));
}
export function usePublishEvaluation() {
  return usePlanMutation(({ id, version }: { id: string; version: number }) =>
    api<EvaluationDetail>(`/api/plan/evaluations/${id}/publish`, { method: 'POST', body: { version } }),
  );
}
export function useDeleteEvaluation() {
  return usePlanMutation((id: string) => api<void>(`/api/plan/evaluations/${id}`, { method: 'DELETE' }));
}
/** Not cached: a check is asked for each time. */
export function useVerifyEvaluation() {
  return useMutation({
    mutationFn: (id: string) => api<{ contentHash: string; recomputed: string; ok: boolean }>(`/api/plan/evaluations/${id}/verify`),
  });
}

export function exportPlan(p: Plan) {
  return download(`/api/plan/plans/${p.id}/export.xlsx`, undefined, `${p.name}.xlsx`);
}
export function exportBulletin(b: BulletinSummary) {
  return download(`/api/plan/bulletins/${b.id}/export.xlsx`, undefined, `${b.title}.xlsx`);
}
