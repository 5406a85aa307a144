import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CreateRoleBody,
  CreateUserBody,
  Me,
  oneTimePasswordResult,
  permissionInfo,
  Role,
  totpSetup,
  UpdateRoleBody,
  UpdateUserBody,
  User,
} from '../accounts.contract.ts';
import { api } from '../../../web/api.ts';
import { acceptMe } from '../../../web/auth.tsx';

export type OneTimePasswordResult = z.infer<typeof oneTimePasswordResult>;
export type PermissionInfo = z.infer<typeof permissionInfo>;
export type TotpSetup = z.infer<typeof totpSetup>;
export type UserFilters = { q?: string; unitId?: string; status?: 'active' | 'disabled'; role?: string };

const PAGE = 50;

export const accountsKeys = {
  users: (f: UserFilters) => ['accounts', 'users', f] as const,
  roles: ['accounts', 'roles'] as const,
  permissions: ['accounts', 'permissions'] as const,
};

/* ---------- own account ---------- */

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string; totp?: string }) =>
      api<Me>('/api/auth/login', { method: 'POST', body, silentAuth: true }),
    onSuccess: (me) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      acceptMe(qc, me);
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string; endOtherSessions?: boolean }) =>
      api<Me>('/api/auth/password', { method: 'POST', body }),
    onSuccess: (me) => acceptMe(qc, me),
  });
}

export function useTotpSetup() {
  return useMutation({ mutationFn: () => api<TotpSetup>('/api/auth/totp/setup', { method: 'POST' }) });
}

export function useTotpConfirm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api<Me>('/api/auth/totp/confirm', { method: 'POST', body: { code } }),
    onSuccess: (me) => acceptMe(qc, me),
  });
}

export function useTotpRemove() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string; code: string }) => api<void>('/api/auth/totp/remove', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me'] }),
  });
}

/* ---------- users ---------- */

export function useUsers(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: accountsKeys.users(filters),
    queryFn: ({ pageParam, signal }) =>
      api<{ items: User[]; nextCursor: string | null }>('/api/users', { query: { ...filters, cursor: pageParam, limit: PAGE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

function useUserMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  // Settled, not only succeeded: after a refusal (someone else changed the record) the list shows the current version.
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: ['accounts', 'users'] }) });
}

export function useCreateUser() {
  return useUserMutation((body: CreateUserBody) => api<OneTimePasswordResult>('/api/users', { method: 'POST', body }));
}
export function useUpdateUser() {
  return useUserMutation(({ id, body }: { id: string; body: UpdateUserBody }) => api<User>(`/api/users/${id}`, { method: 'PATCH', body }));
}
export type UserAction = 'disable' | 'enable' | 'reset-password' | 'unlock';
export function useUserAction() {
  return useUserMutation(({ id, action }: { id: string; action: UserAction }) =>
    api<User | OneTimePasswordResult>(`/api/users/${id}/${action}`, { method: 'POST' }),
  );
}

/* ---------- roles and permissions ---------- */

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: accountsKeys.roles,
    queryFn: ({ signal }) => api<{ items: Role[] }>('/api/roles', { signal }).then((r) => r.items),
    enabled,
  });
}

export function usePermissionCatalog(enabled = true) {
  return useQuery({
    queryKey: accountsKeys.permissions,
    queryFn: ({ signal }) => api<{ items: PermissionInfo[] }>('/api/permissions', { signal }).then((r) => r.items),
    staleTime: 10 * 60_000,
    enabled,
  });
}

function useRoleMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: accountsKeys.roles }) });
}
export function useCreateRole() {
  return useRoleMutation((body: CreateRoleBody) => api<Role>('/api/roles', { method: 'POST', body }));
}
export function useUpdateRole() {
  return useRoleMutation(({ id, body }: { id: string; body: UpdateRoleBody }) => api<Role>(`/api/roles/${id}`, { method: 'PATCH', body }));
}
export function useDeleteRole() {
  return useRoleMutation((id: string) => api<void>(`/api/roles/${id}`, { method: 'DELETE' }));
}
