import { lazy } from 'react';
import { AccountBookOutlined, FileProtectOutlined, GiftOutlined, SendOutlined } from '@ant-design/icons';
import type { DomainWeb } from '../../../web/web-types.ts';
import { donationsNavMessages as m } from './donations.nav.messages.ts';
import { disclosureNavMessages as dm } from './disclosure.nav.messages.ts';

const DonationsListPage = lazy(() => import('./DonationsListPage.tsx').then((mod) => ({ default: mod.DonationsListPage })));
const DonationPage = lazy(() => import('./DonationPage.tsx').then((mod) => ({ default: mod.DonationPage })));
const DonationPrintPage = lazy(() => import('./DonationPrintPage.tsx').then((mod) => ({ default: mod.DonationPrintPage })));
const FundsPage = lazy(() => import('./FundsPage.tsx').then((mod) => ({ default: mod.FundsPage })));
const DisbursementsPage = lazy(() => import('./DisbursementsPage.tsx').then((mod) => ({ default: mod.DisbursementsPage })));
const DisclosuresPage = lazy(() => import('./DisclosuresPage.tsx').then((mod) => ({ default: mod.DisclosuresPage })));
const DisclosurePage = lazy(() => import('./DisclosurePage.tsx').then((mod) => ({ default: mod.DisclosurePage })));

/** The donor's public lookup (no sign-in): wired outside the session guard in src/web/router.tsx. */
export const PublicTracePage = lazy(() => import('./PublicTracePage.tsx').then((mod) => ({ default: mod.PublicTracePage })));
export const PUBLIC_TRACE_PATH = '/trace';

/** 捐赠公示 for everyone (no sign-in), wired like the trace page. */
export const PublicDisclosurePage = lazy(() => import('./PublicDisclosurePage.tsx').then((mod) => ({ default: mod.PublicDisclosurePage })));
export { PUBLIC_DISCLOSURE_PATH } from './disclosure.paths.ts';

export const donationsWeb: DomainWeb = {
  domain: 'donations',
  routes: [
    { path: 'donations', Component: DonationsListPage, permission: 'donations.read', label: m.menuDonations, area: 'fundraising' },
    { path: 'donations/funds', Component: FundsPage, permission: 'donations.read', label: m.menuFunds, area: 'fundraising' },
    { path: 'donations/disbursements', Component: DisbursementsPage, permission: 'donations.read', label: m.menuDisbursements, area: 'fundraising' },
    { path: 'donations/disclosures', Component: DisclosuresPage, permission: 'donations.read', label: dm.menuDisclosures, area: 'fundraising' },
    { path: 'donations/disclosures/:id', Component: DisclosurePage, permission: 'donations.read', label: dm.disclosurePage, area: 'fundraising', parent: 'donations/disclosures' },
    { path: 'donations/:id', Component: DonationPage, permission: 'donations.read', label: m.donationPage, area: 'fundraising', parent: 'donations' },
    { path: 'donations/:id/print', Component: DonationPrintPage, permission: 'donations.read', label: m.printPage, area: 'fundraising', parent: 'donations' },
  ],
  menu: [
    { key: 'donations', path: '/donations', label: m.menuDonations, icon: <GiftOutlined />, permission: 'donations.read', area: 'fundraising', order: 20 },
    { key: 'donations-funds', path: '/donations/funds', label: m.menuFunds, icon: <AccountBookOutlined />, permission: 'donations.read', area: 'fundraising', order: 30 },
    { key: 'donations-disbursements', path: '/donations/disbursements', label: m.menuDisbursements, icon: <SendOutlined />, permission: 'donations.read', area: 'fundraising', order: 40 },
    { key: 'donations-disclosures', path: '/donations/disclosures', label: dm.menuDisclosures, icon: <FileProtectOutlined />, permission: 'donations.read', area: 'fundraising', order: 50 },
  ],
};
