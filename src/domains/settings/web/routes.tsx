import { lazy } from 'react';
import { SettingOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { settingsMessages as m } from './settings.messages.ts';

const SettingsPage = lazy(() => import('./SettingsPage.tsx').then((mod) => ({ default: mod.SettingsPage })));

export const settingsWeb: DomainWeb = {
  domain: 'settings',
  routes: [{ path: 'settings', Component: SettingsPage, permission: 'settings.read', label: m.menu, area: 'system' }],
  menu: [{ key: 'settings', path: '/settings', label: m.menu, icon: <SettingOutlined />, permission: 'settings.read', area: 'system', order: 90 }],
};
