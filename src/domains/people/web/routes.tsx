import { lazy } from 'react';
import { IdcardOutlined, ImportOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { peopleNavMessages as m } from './people.nav.messages.ts';

const PeopleListPage = lazy(() => import('./PeopleListPage.tsx').then((mod) => ({ default: mod.PeopleListPage })));
const PersonPage = lazy(() => import('./PersonPage.tsx').then((mod) => ({ default: mod.PersonPage })));
const PeopleImportPage = lazy(() => import('./PeopleImportPage.tsx').then((mod) => ({ default: mod.PeopleImportPage })));

export const peopleWeb: DomainWeb = {
  domain: 'people',
  routes: [
    { path: 'people', Component: PeopleListPage, permission: 'people.read', label: m.menuPeople, area: 'people' },
    { path: 'people/import', Component: PeopleImportPage, permission: 'people.import', label: m.menuImport, area: 'people', parent: 'people' },
    { path: 'people/:id', Component: PersonPage, permission: 'people.read', label: m.personPage, area: 'people', parent: 'people' },
  ],
  menu: [
    { key: 'people', path: '/people', label: m.menuPeople, icon: <IdcardOutlined />, permission: 'people.read', area: 'people', order: 10 },
    { key: 'people-import', path: '/people/import', label: m.menuImport, icon: <ImportOutlined />, permission: 'people.import', area: 'people', order: 20 },
  ],
};
