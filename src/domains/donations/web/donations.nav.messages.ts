import type { Text } from '../../../platform/i18n.ts';

/** What the menu and the breadcrumb need; the pages' own words are in donations.messages.ts. */
export const donationsNavMessages = {
  menuDonations: { zh: '捐赠登记', en: 'Donations' },
  menuFunds: { zh: '资金账户', en: 'Funds' },
  menuDisbursements: { zh: '拨付管理', en: 'Disbursements' },
  donationPage: { zh: '捐赠详情', en: 'Donation' },
  printPage: { zh: '收据与证书', en: 'Receipt and certificate' },
  publicTrace: { zh: '爱心轨迹查询', en: 'Track your donation' },
} satisfies Record<string, Text>;
