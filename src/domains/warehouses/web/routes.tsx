import { lazy } from 'react';
import { AlertOutlined, AppstoreOutlined, DatabaseOutlined, FileTextOutlined, PieChartOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { whNavMessages as m } from './warehouses.nav.messages.ts';

const WarehousesPage = lazy(() => import('./WarehousesPage.tsx').then((mod) => ({ default: mod.WarehousesPage })));
const WarehousePage = lazy(() => import('./WarehousePage.tsx').then((mod) => ({ default: mod.WarehousePage })));
const DocumentsPage = lazy(() => import('./DocumentsPage.tsx').then((mod) => ({ default: mod.DocumentsPage })));
const DocumentPage = lazy(() => import('./DocumentPage.tsx').then((mod) => ({ default: mod.DocumentPage })));
const DocumentPrintPage = lazy(() => import('./DocumentPrintPage.tsx').then((mod) => ({ default: mod.DocumentPrintPage })));
const StockCardPage = lazy(() => import('./StockCardPage.tsx').then((mod) => ({ default: mod.StockCardPage })));
const EventsPage = lazy(() => import('./EventsPage.tsx').then((mod) => ({ default: mod.EventsPage })));
const CataloguePage = lazy(() => import('./CataloguePage.tsx').then((mod) => ({ default: mod.CataloguePage })));
const SummaryPage = lazy(() => import('./SummaryPage.tsx').then((mod) => ({ default: mod.SummaryPage })));

export const warehousesWeb: DomainWeb = {
  domain: 'warehouses',
  routes: [
    { path: 'warehouses', Component: WarehousesPage, permission: 'warehouses.read', label: m.menuWarehouses, area: 'relief' },
    { path: 'warehouses/documents', Component: DocumentsPage, permission: 'warehouses.read', label: m.menuDocuments, area: 'relief' },
    { path: 'warehouses/events', Component: EventsPage, permission: 'warehouses.read', label: m.menuEvents, area: 'relief' },
    { path: 'warehouses/summary', Component: SummaryPage, permission: 'warehouses.read', label: m.menuSummary, area: 'relief' },
    { path: 'warehouses/catalogue', Component: CataloguePage, permission: 'warehouses.read', label: m.menuCatalogue, area: 'relief' },
    { path: 'warehouses/documents/:id', Component: DocumentPage, permission: 'warehouses.read', label: m.documentPage, area: 'relief', parent: 'warehouses/documents' },
    { path: 'warehouses/documents/:id/print', Component: DocumentPrintPage, permission: 'warehouses.read', label: m.printPage, area: 'relief', parent: 'warehouses/documents' },
    { path: 'warehouses/:id', Component: WarehousePage, permission: 'warehouses.read', label: m.warehousePage, area: 'relief', parent: 'warehouses' },
    { path: 'warehouses/:id/card/:itemId', Component: StockCardPage, permission: 'warehouses.read', label: m.cardPage, area: 'relief', parent: 'warehouses' },
  ],
  menu: [
    { key: 'warehouses', path: '/warehouses', label: m.menuWarehouses, icon: <DatabaseOutlined />, permission: 'warehouses.read', area: 'relief', order: 10 },
    { key: 'warehouses-documents', path: '/warehouses/documents', label: m.menuDocuments, icon: <FileTextOutlined />, permission: 'warehouses.read', area: 'relief', order: 20 },
    { key: 'warehouses-events', path: '/warehouses/events', label: m.menuEvents, icon: <AlertOutlined />, permission: 'warehouses.read', area: 'relief', order: 30 },
    { key: 'warehouses-summary', path: '/warehouses/summary', label: m.menuSummary, icon: <PieChartOutlined />, permission: 'warehouses.read', area: 'relief', order: 40 },
    { key: 'warehouses-catalogue', path: '/warehouses/catalogue', label: m.menuCatalogue, icon: <AppstoreOutlined />, permission: 'warehouses.read', area: 'relief', order: 50 },
  ],
};
