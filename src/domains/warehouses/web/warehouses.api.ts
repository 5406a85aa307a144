import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AlertSummary, Batch, DocumentSummary, Grade, Item, ItemLevel, StockCard, StockDocument, StockSummary, TransferDestination, Warehouse, disasterEvent, pickSuggestion } from '../warehouses.contract.ts';
import { api } from '../../../web/api.ts';

export type DisasterEvent = z.infer<typeof disasterEvent>;
export type PickSuggestion = z.infer<typeof pickSuggestion>;

export const whKeys = {
  all: ['warehouses'] as const,
  list: ['warehouses', 'list'] as const,
  one: (id: string) => ['warehouses', 'one', id] as const,
  items: ['warehouses', 'items'] as const,
  grades: ['warehouses', 'grades'] as const,
  events: ['warehouses', 'events'] as const,
  batches: (id: string) => ['warehouses', 'batches', id] as const,
  levels: (id: string) => ['warehouses', 'levels', id] as const,
  destinations: (id: string) => ['warehouses', 'destinations', id] as const,
  docs: (q: Record<string, string | undefined>) => ['warehouses', 'docs', q] as const,
  doc: (id: string) => ['warehouses', 'doc', id] as const,
  card: (id: string, itemId: string) => ['warehouses', 'card', id, itemId] as const,
  summary: (q: Record<string, string | undefined>) => ['warehouses', 'summary', q] as const,
  alerts: ['warehouses', 'alerts'] as const,
  alertsFor: (id: string) => ['warehouses', 'alerts', id] as const,
};

const fetchWarehouses = ({ signal }: { signal: AbortSignal }) => api<{ items: Warehouse[] }>('/api/warehouses', { signal }).then((r) => r.items);
const fetchItems = ({ signal }: { signal: AbortSignal }) => api<{ items: Item[] }>('/api/warehouses/items', { signal }).then((r) => r.items);
export const useWarehouses = () => useQuery({ queryKey: whKeys.list, queryFn: fetchWarehouses });
export const useWarehouse = (id: string) => useQuery({ queryKey: whKeys.one(id), queryFn: ({ signal }) => api<Warehouse>(`/api/warehouses/${id}`, { signal }) });
export const useItems = () => useQuery({ queryKey: whKeys.items, queryFn: fetchItems, staleTime: 60_000 });
/** The same cached lists, narrowed to what a form may offer (the cache keeps every row). */
const activeWarehouses = (ws: Warehouse[]) => ws.filter((w) => w.status === 'active');
const activeItems = (is: Item[]) => is.filter((i) => i.active);
export const useActiveWarehouses = () => useQuery({ queryKey: whKeys.list, queryFn: fetchWarehouses, select: activeWarehouses });
export const useActiveItems = () => useQuery({ queryKey: whKeys.items, queryFn: fetchItems, staleTime: 60_000, select: activeItems });
export const useGrades = () => useQuery({ queryKey: whKeys.grades, queryFn: ({ signal }) => api<{ items: Grade[] }>('/api/warehouses/grades', { signal }).then((r) => r.items) });
export const useEvents = () => useQuery({ queryKey: whKeys.events, queryFn: ({ signal }) => api<{ items: DisasterEvent[] }>('/api/warehouses/events', { signal }).then((r) => r.items) });
export const useBatches = (id: string) => useQuery({ queryKey: whKeys.batches(id), queryFn: ({ signal }) => api<{ items: Batch[] }>(`/api/warehouses/${id}/batches`, { signal }).then((r) => r.items) });
export const useLevels = (id: string) => useQuery({ queryKey: whKeys.levels(id), queryFn: ({ signal }) => api<{ items: ItemLevel[] }>(`/api/warehouses/${id}/levels`, { signal }).then((r) => r.items) });
/** Where this warehouse may ship: its jurisdiction's warehouses and those of the units above it. */
export const useTransferDestinations = (id: string) => useQuery({ queryKey: whKeys.destinations(id), queryFn: ({ signal }) => api<{ items: TransferDestination[] }>(`/api/warehouses/${id}/transfer-destinations`, { signal }).then((r) => r.items) });
export const useDocuments = (q: Record<string, string | undefined>) =>
  useQuery({ queryKey: whKeys.docs(q), queryFn: ({ signal }) => api<{ items: DocumentSummary[]; nextCursor: string | null }>('/api/warehouses/documents', { query: { ...q, limit: 200 }, signal }).then((r) => r.items) });
export const useDocument = (id: string) => useQuery({ queryKey: whKeys.doc(id), queryFn: ({ signal }) => api<StockDocument>(`/api/warehouses/documents/${id}`, { signal }) });
export const useStockCard = (id: string, itemId: string) => useQuery({ queryKey: whKeys.card(id, itemId), queryFn: ({ signal }) => api<StockCard>(`/api/warehouses/${id}/stock-card`, { query: { itemId }, signal }) });
export const useSummary = (q: Record<string, string | undefined>) => useQuery({ queryKey: whKeys.summary(q), queryFn: ({ signal }) => api<StockSummary>('/api/warehouses/stock/summary', { query: q, signal }) });
/** The alert summary of one warehouse (its below-minimum and above-maximum lines included). */
export const useWarehouseAlerts = (id: string) => useQuery({ queryKey: whKeys.alertsFor(id), queryFn: ({ signal }) => api<AlertSummary>('/api/warehouses/stock/alerts', { query: { days: 90, warehouseId: id }, signal }) });
export const useAlerts = () => useQuery({ queryKey: whKeys.alerts, queryFn: ({ signal }) => api<AlertSummary>('/api/warehouses/stock/alerts', { query: { days: 90 }, signal }) });

/** A POST that moves stock, sent with its Idempotency-Key; every warehouse query is refreshed after it. */
export function usePost<T>() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { path: string; body: unknown; key?: string; method?: 'POST' | 'PATCH' | 'PUT' }) => api<T>(v.path, { method: v.method ?? 'POST', body: v.body, headers: v.key ? { 'Idempotency-Key': v.key } : {} }),
    // Not awaited: the caller's own callbacks run first (a count sheet re-mounts when its document reloads).
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: whKeys.all });
    },
  });
}
