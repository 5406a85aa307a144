import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BusinessSettings, CalendarDay, CalendarYear, PutCalendarDay, SettingsView } from '../settings.contract.ts';
import { api } from '../../../web/api.ts';

export const settingsKeys = {
  all: ['settings'] as const,
  calendar: (year: number) => ['settings', 'calendar', year] as const,
  business: ['settings', 'business'] as const,
};

export function useCalendarYear(year: number) {
  return useQuery({ queryKey: settingsKeys.calendar(year), queryFn: ({ signal }) => api<CalendarYear>('/api/settings/calendar', { query: { year }, signal }) });
}

export function useBusinessSettings() {
  return useQuery({ queryKey: settingsKeys.business, queryFn: ({ signal }) => api<SettingsView & { version: number }>('/api/settings/business', { signal }) });
}

function useSettingsMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: settingsKeys.all }) });
}

export function usePutCalendarDay() {
  return useSettingsMutation(({ day, body }: { day: string; body: PutCalendarDay }) => api<CalendarDay>(`/api/settings/calendar/${day}`, { method: 'PUT', body }));
}
export function useDeleteCalendarDay() {
  return useSettingsMutation((day: string) => api<null>(`/api/settings/calendar/${day}`, { method: 'DELETE' }));
}
export function usePutSettings() {
  return useSettingsMutation((body: Partial<BusinessSettings> & { version: number }) => api<SettingsView & { version: number }>('/api/settings/business', { method: 'PUT', body }));
}
