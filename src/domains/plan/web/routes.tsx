import { lazy } from 'react';
import { AimOutlined, AuditOutlined, DashboardOutlined, EditOutlined, NotificationOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { planNavMessages as m } from './plan.nav.messages.ts';

const PlanDashboardPage = lazy(() => import('./PlanDashboardPage.tsx').then((mod) => ({ default: mod.PlanDashboardPage })));
const IndicatorPage = lazy(() => import('./IndicatorPage.tsx').then((mod) => ({ default: mod.IndicatorPage })));
const ActualsPage = lazy(() => import('./ActualsPage.tsx').then((mod) => ({ default: mod.ActualsPage })));
const PlanSetupPage = lazy(() => import('./PlanSetupPage.tsx').then((mod) => ({ default: mod.PlanSetupPage })));
const BulletinsPage = lazy(() => import('./BulletinsPage.tsx').then((mod) => ({ default: mod.BulletinsPage })));
const BulletinPage = lazy(() => import('./BulletinPage.tsx').then((mod) => ({ default: mod.BulletinPage })));
const EvaluationsPage = lazy(() => import('./EvaluationsPage.tsx').then((mod) => ({ default: mod.EvaluationsPage })));
const EvaluationPage = lazy(() => import('./EvaluationPage.tsx').then((mod) => ({ default: mod.EvaluationPage })));

export const planWeb: DomainWeb = {
  domain: 'plan',
  routes: [
    { path: 'plan', Component: PlanDashboardPage, permission: 'plan.read', label: m.menuDashboard, area: 'plan' },
    { path: 'plan/indicators/:code', Component: IndicatorPage, permission: 'plan.read', label: m.indicatorPage, area: 'plan', parent: 'plan' },
    { path: 'plan/actuals', Component: ActualsPage, permission: 'plan.read', label: m.menuActuals, area: 'plan' },
    { path: 'plan/setup', Component: PlanSetupPage, permission: 'plan.read', label: m.menuPlan, area: 'plan' },
    { path: 'plan/bulletins', Component: BulletinsPage, permission: 'plan.read', label: m.menuBulletins, area: 'plan' },
    { path: 'plan/bulletins/:id', Component: BulletinPage, permission: 'plan.read', label: m.bulletinPage, area: 'plan', parent: 'plan/bulletins' },
    { path: 'plan/evaluations', Component: EvaluationsPage, permission: 'plan.read', label: m.menuEvaluations, area: 'plan' },
    { path: 'plan/evaluations/:id', Component: EvaluationPage, permission: 'plan.read', label: m.evaluationPage, area: 'plan', parent: 'plan/evaluations' },
  ],
  menu: [
    { key: 'plan', path: '/plan', label: m.menuDashboard, icon: <DashboardOutlined />, permission: 'plan.read', area: 'plan', order: 10 },
    { key: 'plan-actuals', path: '/plan/actuals', label: m.menuActuals, icon: <EditOutlined />, permission: 'plan.read', area: 'plan', order: 20 },
    { key: 'plan-bulletins', path: '/plan/bulletins', label: m.menuBulletins, icon: <NotificationOutlined />, permission: 'plan.read', area: 'plan', order: 30 },
    { key: 'plan-evaluations', path: '/plan/evaluations', label: m.menuEvaluations, icon: <AuditOutlined />, permission: 'plan.read', area: 'plan', order: 40 },
    { key: 'plan-setup', path: '/plan/setup', label: m.menuPlan, icon: <AimOutlined />, permission: 'plan.read', area: 'plan', order: 50 },
  ],
};
