import type { Text } from '../../../platform/i18n.ts';

/** What the menu and the breadcrumb need; loaded with the shell, apart from the pages' own words. */
export const projectsNavMessages = {
  menuProjects: { zh: '项目库', en: 'Project library' },
  projectPage: { zh: '项目详情', en: 'Project' },
} satisfies Record<string, Text>;
