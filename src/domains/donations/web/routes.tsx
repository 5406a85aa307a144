import { lazy } from 'react';
import { AccountBookOutlined, GiftOutlined, SendOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { donationsNavMessages as m } from './donations.nav.messages.ts';

const DonationsListPage = lazy(() => import('./DonationsListPage.tsx').then((mod) => ({ default: mod.DonationsListPage })));
const DonationPage = lazy(() => import('./DonationPage.tsx').then((mod) => ({ default: mod.DonationPage })));
const DonationPrintPage = lazy(() => import('./DonationPrintPage.tsx').then((mod) => ({ default: mod.DonationPrintPage })));
const FundsPage = lazy(() => import('./FundsPage.tsx').then((mod) => ({ default: mod.FundsPage })));
const DisbursementsPage = lazy(() => import('./DisbursementsPage.tsx').then((mod) => ({ default: mod.DisbursementsPage })));

/** The donor's public lookup (no sign-in): wired outside the session guard in src/web/router.tsx. */
export const PublicTracePage = lazy(() => import('./PublicTracePage.tsx').then((mod) => ({ default: mod.PublicTracePage })));
export const PUBLIC_TRACE_PATH = '/trace';

export const donationsWeb: DomainWeb = {
  domain: 'donations',
  routes: [
    { path: 'donations', Component: DonationsListPage, permission: 'donations.read', label: m.menuDonations, area: 'fundraising' },
    { path: 'donations/funds', Component: FundsPage, permission: 'donations.read', label: m.menuFunds, area: 'fundraising' },
    { path: 'donations/disbursements', Component: DisbursementsPage, permission: 'donations.read', label: m.menuDisbursements, area: 'fundraising' },
    { path: 'donations/:id', Component: DonationPage, permission: 'donations.read', label: m.donationPage, area: 'fundraising', parent: 'donations' },
    { path: 'donations/:id/print', Component: DonationPrintPage, permission: 'donations.read', label: m.printPage, area: 'fundraising', parent: 'donations' },
  ],
  menu: [
    { key: 'donations', path: '/donations', label: m.menuDonations, icon: <GiftOutlined />, permission: 'donations.read', area: 'fundraising', order: 20 },
    { key: 'donations-funds', path: '/donations/funds', label: m.menuFunds, icon: <AccountBookOutlined />, permission: 'donations.read', area: 'fundraising', order: 30 },
    { key: 'donations-disbursements', path: '/donations/disbursements', label: m.menuDisbursements, icon: <SendOutlined />, permission: 'donations.read', area: 'fundraising', order: 40 },
  ],
};
