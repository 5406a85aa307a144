import { lazy } from 'react';
import { SafetyOutlined, TeamOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { accountsMessages as m } from './accounts.messages.ts';

const UsersPage = lazy(() => import('./UsersPage.tsx').then((mod) => ({ default: mod.UsersPage })));
const RolesPage = lazy(() => import('./RolesPage.tsx').then((mod) => ({ default: mod.RolesPage })));

/** Sign-in, password and TOTP pages belong to the shell's own routes (src/web/router.tsx). */
export const accountsWeb: DomainWeb = {
  domain: 'accounts',
  routes: [
    { path: 'users', Component: UsersPage, permission: 'accounts.users.read', label: m.menuUsers, area: 'system' },
    { path: 'roles', Component: RolesPage, permission: 'accounts.roles.read', label: m.menuRoles, area: 'system' },
  ],
  menu: [
    { key: 'users', path: '/users', label: m.menuUsers, icon: <TeamOutlined />, permission: 'accounts.users.read', area: 'system', order: 10 },
    { key: 'roles', path: '/roles', label: m.menuRoles, icon: <SafetyOutlined />, permission: 'accounts.roles.read', area: 'system', order: 20 },
  ],
};
