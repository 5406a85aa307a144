import type { Text } from '../../../platform/i18n.ts';

/** What the menu and the breadcrumb need; the pages' own words are in warehouses.messages.ts. */
export const whNavMessages = {
  menuWarehouses: { zh: '仓库与库存', en: 'Warehouses and stock' },
  menuDocuments: { zh: '出入库单据', en: 'Stock documents' },
  menuEvents: { zh: '灾害事件', en: 'Disaster events' },
  menuSummary: { zh: '库存汇总', en: 'Stock summary' },
  menuCatalogue: { zh: '物资目录与等级', en: 'Items and grades' },
  warehousePage: { zh: '仓库详情', en: 'Warehouse' },
  documentPage: { zh: '单据详情', en: 'Document' },
  printPage: { zh: '打印单据', en: 'Print document' },
  cardPage: { zh: '收发存卡片', en: 'Stock card' },
} satisfies Record<string, Text>;
