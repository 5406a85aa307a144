import type { Text } from '../../../platform/i18n.ts';

/** What the menu and the breadcrumb need for 捐赠公示; the pages' own words are in disclosure.messages.ts. */
export const disclosureNavMessages = {
  menuDisclosures: { zh: '捐赠公示', en: 'Public disclosure' },
  disclosurePage: { zh: '公示报告', en: 'Disclosure report' },
} satisfies Record<string, Text>;
