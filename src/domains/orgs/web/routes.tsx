import { lazy } from 'react';
import { ApartmentOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { orgsMessages as m } from './orgs.messages.ts';

const OrgTreePage = lazy(() => import('./OrgTreePage.tsx').then((mod) => ({ default: mod.OrgTreePage })));

export const orgsWeb: DomainWeb = {
  domain: 'orgs',
  routes: [{ path: 'orgs', Component: OrgTreePage, permission: 'orgs.read', label: m.menuOrgs, area: 'basic' }],
  menu: [{ key: 'orgs', path: '/orgs', label: m.menuOrgs, icon: <ApartmentOutlined />, permission: 'orgs.read', area: 'basic', order: 10 }],
};
