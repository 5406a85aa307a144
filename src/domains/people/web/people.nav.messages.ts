import type { Text } from '../../../platform/i18n.ts';

/**
 * What the menu and the breadcrumb need. The shell loads these with its first page, so they live
 * apart from the pages' own words (people.messages.ts), which load with the pages.
 */
export const peopleNavMessages = {
  menuPeople: { zh: '人员管理', en: 'People registry' },
  menuImport: { zh: '批量导入', en: 'Excel import' },
  personPage: { zh: '人员详情', en: 'Person' },
} satisfies Record<string, Text>;
