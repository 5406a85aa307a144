import type { Text } from '../../../platform/i18n.ts';

/** What the menu and the breadcrumb need; the pages' own words are in plan.messages.ts. */
export const planNavMessages = {
  menuDashboard: { zh: '规划进度', en: 'Plan progress' },
  menuPlan: { zh: '规划与目标', en: 'Plan and targets' },
  menuActuals: { zh: '人工填报', en: 'Manual figures' },
  menuBulletins: { zh: '工作进度通报', en: 'Progress bulletins' },
  menuEvaluations: { zh: '期中/期末评估', en: 'Evaluations' },
  indicatorPage: { zh: '指标详情', en: 'Indicator' },
  bulletinPage: { zh: '通报', en: 'Bulletin' },
  evaluationPage: { zh: '评估报告', en: 'Evaluation report' },
} satisfies Record<string, Text>;
