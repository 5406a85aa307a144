import { lazy } from 'react';
import { AuditOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { auditMessages as m } from './audit.messages.ts';

const AuditPage = lazy(() => import('./AuditPage.tsx').then((mod) => ({ default: mod.AuditPage })));

export const auditWeb: DomainWeb = {
  domain: 'audit',
  routes: [{ path: 'audit', Component: AuditPage, permission: 'audit.read', label: m.menuAudit, area: 'system' }],
  menu: [{ key: 'audit', path: '/audit', label: m.menuAudit, icon: <AuditOutlined />, permission: 'audit.read', area: 'system', order: 30 }],
};
