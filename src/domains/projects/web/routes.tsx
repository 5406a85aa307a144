import { lazy } from 'react';
import { AppstoreOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { projectsNavMessages as m } from './projects.nav.messages.ts';

const ProjectsListPage = lazy(() => import('./ProjectsListPage.tsx').then((mod) => ({ default: mod.ProjectsListPage })));
const ProjectPage = lazy(() => import('./ProjectPage.tsx').then((mod) => ({ default: mod.ProjectPage })));

export const projectsWeb: DomainWeb = {
  domain: 'projects',
  routes: [
    { path: 'projects', Component: ProjectsListPage, permission: 'projects.read', label: m.menuProjects, area: 'fundraising' },
    { path: 'projects/:id', Component: ProjectPage, permission: 'projects.read', label: m.projectPage, area: 'fundraising', parent: 'projects' },
  ],
  menu: [{ key: 'projects', path: '/projects', label: m.menuProjects, icon: <AppstoreOutlined />, permission: 'projects.read', area: 'fundraising', order: 10 }],
};
