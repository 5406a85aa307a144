import type { Text } from '../../platform/i18n.ts';

/** Words of the declaration-driven list (RecordList.tsx). */
export const recordsMessages = {
  sort: { zh: '排序', en: 'Sort' },
  columns: { zh: '列设置', en: 'Columns' },
  columnsReset: { zh: '显示全部列', en: 'Show all columns' },
  empty: { zh: '没有符合条件的记录', en: 'No matching records' },
  activeFilters: { zh: '已按 {count} 个条件筛选', en: 'Filtered by {count} conditions' },
} satisfies Record<string, Text>;
