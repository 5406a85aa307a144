import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, uuid } from '../../../platform/contract-kit.ts';
import type { Ctx } from '../../../platform/context.ts';
import { contentDisposition, xlsxStream } from '../../../platform/excel.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { checkIdempotencyKey, idempotent } from '../../../platform/idempotency.ts';
import {
  alertSummary,
  alertsQuery,
  batch,
  categoryLabels,
  countStocktake,
  coverage,
  createEvent,
  createGrade,
  createIssue,
  createItem,
  createLocation,
  createReceipt,
  createStocktake,
  createTransfer,
  createWarehouse,
  createWriteOff,
  decideWriteOff,
  disasterEvent,
  docKindLabels,
  docStatusLabels,
  documentListQuery,
  documentSummary,
  finaliseStocktake,
  goodsTraceResult,
  grade,
  item,
  itemLevel,
  location,
  pickSuggestion,
  quantity,
  receiveTransfer,
  reconciliation,
  reverseDocument,
  setLevel,
  sourceLabels,
  stockCard,
  stockCardQuery,
  stockDocument,
  stockSummary,
  summaryQuery,
  transferDestination,
  unitStockValue,
  updateItem,
  updateLocation,
  updateWarehouse,
  warehouse,
  writeOffReasonLabels,
  ITEM_CATEGORIES,
} from '../warehouses.contract.ts';
import { goodsTrace } from './warehouses.goods.ts';
import * as rep from './warehouses.reports.ts';
import * as svc from './warehouses.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const yuan = (fen: number) => Math.round(fen) / 100;

/** Every POST that moves stock accepts an Idempotency-Key: a replay returns the first answer. */
export const warehousesRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['warehouses 备灾仓库'];
  const sendOnce = async <T>(req: { ctx: Ctx; headers: Record<string, unknown>; body: unknown }, reply: FastifyReply, route: string, status: number, work: () => Promise<T>) => {
    const key = checkIdempotencyKey(req.headers['idempotency-key'] as string | undefined);
    const r = await idempotent(req.ctx, key, { route, body: req.body }, async () => ({ status, body: await work() }));
    if (r.replayed) reply.header('Idempotent-Replayed', 'true');
    return reply.code(r.status).send(r.body);
  };
  const watermark = (ctx: Ctx) => `${ctx.actor.displayName ?? ctx.actor.username ?? ''} 导出于 ${shanghaiDate(new Date())}`;

  // ---------------------------------------------------------------- master data
  app.get('/api/warehouses/grades', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '仓库等级及评定标准（可配置）', response: { 200: z.object({ items: z.array(grade) }) } },
    handler: async (req) => ({ items: await svc.listGrades(req.ctx) }),
  });
  app.post('/api/warehouses/grades', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '新增或修改等级（按编码）及其评定标准清单', body: createGrade, response: { 200: grade } },
    handler: (req) => svc.saveGrade(req.ctx, req.body),
  });
  app.get('/api/warehouses', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '仓库', response: { 200: z.object({ items: z.array(warehouse) }) } },
    handler: async (req) => ({ items: await svc.listWarehouses(req.ctx) }),
  });
  app.post('/api/warehouses', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '新建仓库', body: createWarehouse, response: { 201: warehouse } },
    handler: async (req, reply) => reply.code(201).send(await svc.createWarehouse(req.ctx, req.body)),
  });
  app.get('/api/warehouses/:id', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '仓库详情', params: idParams, response: { 200: warehouse } },
    handler: (req) => svc.getWarehouse(req.ctx, req.params.id),
  });
  app.patch('/api/warehouses/:id', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '修改仓库（等级、负责人、停用）', params: idParams, body: updateWarehouse, response: { 200: warehouse } },
    handler: (req) => svc.updateWarehouse(req.ctx, req.params.id, req.body),
  });
  app.post('/api/warehouses/:id/locations', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '新增库位', params: idParams, body: createLocation, response: { 201: location } },
    handler: async (req, reply) => reply.code(201).send(await svc.addLocation(req.ctx, req.params.id, req.body)),
  });
  app.patch('/api/warehouses/:id/locations/:locationId', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '修改库位（编码、名称、停用或启用；有库存的库位不能停用）', params: z.strictObject({ id: uuid, locationId: uuid }), body: updateLocation, response: { 200: location } },
    handler: (req) => svc.updateLocation(req.ctx, req.params.id, req.params.locationId, req.body),
  });
  app.get('/api/warehouses/:id/levels', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '本仓库已设置的最低/最高库存（含结存）', params: idParams, response: { 200: z.object({ items: z.array(itemLevel) }) } },
    handler: async (req) => ({ items: await svc.listLevels(req.ctx, req.params.id) }),
  });
  app.get('/api/warehouses/:id/transfer-destinations', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '可调入仓库：本辖区的在用仓库，及调出仓库上级单位的仓库', params: idParams, response: { 200: z.object({ items: z.array(transferDestination) }) } },
    handler: async (req) => ({ items: await svc.transferDestinations(req.ctx, req.params.id) }),
  });
  app.put('/api/warehouses/:id/levels', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '设置物资最低/最高库存', params: idParams, body: setLevel, response: { 200: z.object({ itemId: uuid, minQty: z.number(), maxQty: z.number().nullable() }) } },
    handler: (req) => svc.setLevel(req.ctx, req.params.id, req.body),
  });
  app.get('/api/warehouses/items', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '物资目录（规格型号是物资的一部分）', querystring: z.strictObject({ q: z.string().trim().max(40).optional(), category: z.enum(ITEM_CATEGORIES).optional() }), response: { 200: z.object({ items: z.array(item) }) } },
    handler: async (req) => ({ items: await svc.listItems(req.ctx, req.query) }),
  });
  app.post('/api/warehouses/items', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '新增物资', body: createItem, response: { 201: item } },
    handler: async (req, reply) => reply.code(201).send(await svc.createItem(req.ctx, req.body)),
  });
  app.patch('/api/warehouses/items/:id', {
    config: { permission: 'warehouses.admin' },
    schema: { tags, summary: '修改物资（名称、类别、保质期、停用或启用；已有库存或批次的物资不能改规格型号与计量单位）', params: idParams, body: updateItem, response: { 200: item } },
    handler: (req) => svc.updateItem(req.ctx, req.params.id, req.body),
  });
  app.get('/api/warehouses/events', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '灾害事件', response: { 200: z.object({ items: z.array(disasterEvent) }) } },
    handler: async (req) => ({ items: await svc.listEvents(req.ctx) }),
  });
  app.post('/api/warehouses/events', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '登记灾害事件', body: createEvent, response: { 201: disasterEvent } },
    handler: async (req, reply) => reply.code(201).send(await svc.createEvent(req.ctx, req.body)),
  });

  // ---------------------------------------------------------------- stock in a warehouse
  app.get('/api/warehouses/:id/batches', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '批次库存', params: idParams, querystring: z.strictObject({ itemId: uuid.optional(), includeEmpty: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(batch) }) } },
    handler: async (req) => ({ items: await rep.listBatches(req.ctx, req.params.id, { itemId: req.query.itemId, includeEmpty: req.query.includeEmpty === 'true' }) }),
  });
  app.get('/api/warehouses/:id/pick-suggestion', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '建议拣货（先到期先出，跳过过期批次）', params: idParams, querystring: z.strictObject({ itemId: uuid, quantity: z.coerce.number().pipe(quantity), onDate: z.iso.date().optional() }), response: { 200: pickSuggestion } },
    handler: (req) => svc.suggestPicks(req.ctx, req.params.id, req.query.itemId, req.query.quantity, req.query.onDate),
  });
  app.get('/api/warehouses/:id/stock-card', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '物资收发存卡片', params: idParams, querystring: stockCardQuery, response: { 200: stockCard } },
    handler: (req) => rep.stockCard(req.ctx, req.params.id, req.query),
  });
  app.get('/api/warehouses/:id/stock-card.xlsx', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '收发存卡片导出 Excel', params: idParams, querystring: stockCardQuery },
    handler: async (req, reply) => {
      const c = await rep.stockCard(req.ctx, req.params.id, req.query);
      const title = `${c.unitName} ${c.warehouseName} 收发存卡片：${c.item.name}${c.item.spec ? `（${c.item.spec}）` : ''}`;
      const rows = [{ date: c.from ?? '', number: '', movement: '期初结存', balance: c.opening }, ...c.rows, { date: c.to ?? '', number: '', movement: '本期合计', in: c.totalIn, out: c.totalOut, balance: c.closing }];
      const stream = xlsxStream({
        sheetName: '收发存', title, watermark: watermark(req.ctx),
        columns: [{ header: '日期', key: 'date', width: 12 }, { header: '单据号', key: 'number', width: 24 }, { header: '摘要', key: 'movement', width: 12 }, { header: '对方', key: 'counterparty', width: 24 }, { header: '批次', key: 'batchNo', width: 12 }, { header: `收入（${c.item.unit}）`, key: 'in', width: 12 }, { header: `发出（${c.item.unit}）`, key: 'out', width: 12 }, { header: `结存（${c.item.unit}）`, key: 'balance', width: 12 }],
        rows,
      });
      return reply.header('content-type', XLSX).header('content-disposition', contentDisposition(`${title}.xlsx`)).send(stream);
    },
  });

  // ---------------------------------------------------------------- documents
  app.get('/api/warehouses/documents', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '出入库单据', querystring: documentListQuery, response: { 200: z.object({ items: z.array(documentSummary), nextCursor: z.string().nullable() }) } },
    handler: (req) => svc.listDocuments(req.ctx, req.query),
  });
  app.get('/api/warehouses/documents/:id', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '单据详情（含发放名单，受助人已脱敏）', params: idParams, response: { 200: stockDocument } },
    handler: (req) => svc.getDocument(req.ctx, req.params.id),
  });
  app.get('/api/warehouses/documents/:id/xlsx', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '单据导出 Excel', params: idParams },
    handler: async (req, reply) => {
      const d = await svc.getDocument(req.ctx, req.params.id);
      const title = `${d.unitName} ${docKindLabels[d.kind].zh} ${d.number}`;
      const rows: Record<string, unknown>[] = d.kind === 'stocktake'
        ? d.stocktakeLines.map((l) => ({ no: l.lineNo, item: l.itemName, spec: l.spec, unit: l.unit, batch: l.batchNo ?? '新增', qty: l.bookQty, counted: l.countedQty, variance: l.variance, note: l.reason }))
        : d.lines.map((l) => ({ no: l.lineNo, item: l.itemName, spec: l.spec, unit: l.unit, batch: l.batchNo, expiry: l.expiryDate, qty: l.quantity, price: yuan(l.unitValueFen), amount: yuan(l.quantity * l.unitValueFen) }));
      for (const r of d.recipients) rows.push({ no: `受助人 ${r.seq}`, item: r.name, spec: r.idNumberMasked, note: r.items.map((x) => `${x.itemName} ${x.quantity}${x.unit}`).join('；') });
      rows.push({ no: '说明', item: `${docStatusLabels[d.status].zh} · ${d.occurredOn} · ${d.warehouseName}${d.toName ? ` → ${d.toName}` : ''}${d.sourceType ? ` · 来源：${sourceLabels[d.sourceType as 'purchase'].zh}` : ''}${d.reason ? ` · ${writeOffReasonLabels[d.reason].zh}` : ''}` });
      const stream = xlsxStream({
        sheetName: docKindLabels[d.kind].zh, title, watermark: watermark(req.ctx),
        columns: d.kind === 'stocktake'
          ? [{ header: '行号', key: 'no', width: 10 }, { header: '物资', key: 'item', width: 20 }, { header: '规格型号', key: 'spec', width: 22 }, { header: '单位', key: 'unit', width: 8 }, { header: '批次', key: 'batch', width: 12 }, { header: '账面数', key: 'qty', width: 10 }, { header: '实盘数', key: 'counted', width: 10 }, { header: '盘盈(+)/盘亏(-)', key: 'variance', width: 14 }, { header: '原因', key: 'note', width: 30 }]
          : [{ header: '行号', key: 'no', width: 10 }, { header: '物资', key: 'item', width: 20 }, { header: '规格型号', key: 'spec', width: 22 }, { header: '单位', key: 'unit', width: 8 }, { header: '批次', key: 'batch', width: 12 }, { header: '有效期至', key: 'expiry', width: 12 }, { header: '数量', key: 'qty', width: 10 }, { header: '单价（元）', key: 'price', width: 12 }, { header: '金额（元）', key: 'amount', width: 14 }, { header: '备注', key: 'note', width: 40 }],
        rows,
      });
      return reply.header('content-type', XLSX).header('content-disposition', contentDisposition(`${title}.xlsx`)).send(stream);
    },
  });
  app.post('/api/warehouses/receipts', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '入库单（过账）', body: createReceipt, response: { 201: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, 'POST /api/warehouses/receipts', 201, () => svc.receive(req.ctx, req.body)),
  });
  app.post('/api/warehouses/issues', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '出库单：发放到灾害救助（受助人名单）或其他单位；未指定批次时先到期先出，过期批次拒绝', body: createIssue, response: { 201: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, 'POST /api/warehouses/issues', 201, () => svc.issue(req.ctx, req.body)),
  });
  app.post('/api/warehouses/transfers', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '调拨单：调出（在途）', body: createTransfer, response: { 201: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, 'POST /api/warehouses/transfers', 201, () => svc.shipTransfer(req.ctx, req.body)),
  });
  app.post('/api/warehouses/transfers/:id/receive', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '调拨单：调入仓库收货（不得重复收货）', params: idParams, body: receiveTransfer, response: { 200: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, `POST /api/warehouses/transfers/${req.params.id}/receive`, 200, () => svc.receiveTransfer(req.ctx, req.params.id, req.body)),
  });
  app.post('/api/warehouses/write-offs', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '报损申请（待他人审批）', body: createWriteOff, response: { 201: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, 'POST /api/warehouses/write-offs', 201, () => svc.requestWriteOff(req.ctx, req.body)),
  });
  app.post('/api/warehouses/write-offs/:id/decision', {
    config: { permission: 'warehouses.approve' },
    schema: { tags, summary: '审批报损（须有证明材料，不得审批本人申请的）', params: idParams, body: decideWriteOff, response: { 200: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, `POST /api/warehouses/write-offs/${req.params.id}/decision`, 200, () => svc.decideWriteOff(req.ctx, req.params.id, req.body)),
  });
  app.post('/api/warehouses/stocktakes', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '开始盘点（生成盘点表）', body: createStocktake, response: { 201: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, 'POST /api/warehouses/stocktakes', 201, () => svc.createStocktake(req.ctx, req.body)),
  });
  app.post('/api/warehouses/stocktakes/:id/counts', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '录入实盘数（可新增盘盈物资）', params: idParams, body: countStocktake, response: { 200: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, `POST /api/warehouses/stocktakes/${req.params.id}/counts`, 200, () => svc.countStocktake(req.ctx, req.params.id, req.body)),
  });
  app.post('/api/warehouses/stocktakes/:id/finalise', {
    config: { permission: 'warehouses.approve' },
    schema: { tags, summary: '仓库负责人定稿盘点：差异生成调整', params: idParams, body: finaliseStocktake, response: { 200: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, `POST /api/warehouses/stocktakes/${req.params.id}/finalise`, 200, () => svc.finaliseStocktake(req.ctx, req.params.id, req.body)),
  });
  app.post('/api/warehouses/documents/:id/reverse', {
    config: { permission: 'warehouses.write' },
    schema: { tags, summary: '红字冲销（生成冲销单，原单不变）', params: idParams, body: reverseDocument, response: { 201: stockDocument } },
    handler: (req, reply) => sendOnce(req, reply, `POST /api/warehouses/documents/${req.params.id}/reverse`, 201, () => svc.reverseDocument(req.ctx, req.params.id, req.body)),
  });

  // ---------------------------------------------------------------- reports
  app.get('/api/warehouses/stock/summary', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '库存汇总（按仓库、类别、单位）', querystring: summaryQuery, response: { 200: stockSummary } },
    handler: (req) => rep.stockSummary(req.ctx, req.query),
  });
  app.get('/api/warehouses/stock/summary.xlsx', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '库存汇总导出 Excel', querystring: summaryQuery },
    handler: async (req, reply) => {
      const s = await rep.stockSummary(req.ctx, req.query);
      const title = '备灾物资库存汇总';
      const rows: Record<string, unknown>[] = s.rows.length
        ? s.rows.map((r) => ({ ...r, category: categoryLabels[r.category].zh, value: yuan(r.valueFen) }))
        : s.byWarehouse.map((r) => ({ unitName: r.unitName, warehouseName: r.warehouseName, itemName: `${r.items} 种物资`, value: yuan(r.valueFen) }));
      rows.push({ unitName: '合计', value: yuan(s.totalValueFen) });
      const stream = xlsxStream({
        sheetName: '库存汇总', title, watermark: watermark(req.ctx),
        columns: [{ header: '单位', key: 'unitName', width: 12 }, { header: '仓库', key: 'warehouseName', width: 20 }, { header: '物资编码', key: 'itemCode', width: 10 }, { header: '物资', key: 'itemName', width: 16 }, { header: '规格型号', key: 'spec', width: 20 }, { header: '类别', key: 'category', width: 10 }, { header: '单位', key: 'unit', width: 6 }, { header: '结存', key: 'onHand', width: 10 }, { header: '在途', key: 'inTransit', width: 10 }, { header: '最低', key: 'minQty', width: 8 }, { header: '最高', key: 'maxQty', width: 8 }, { header: '最近有效期', key: 'nearestExpiry', width: 12 }, { header: '金额（元）', key: 'value', width: 14 }],
        rows,
      });
      return reply.header('content-type', XLSX).header('content-disposition', contentDisposition(`${title}.xlsx`)).send(stream);
    },
  });
  app.get('/api/warehouses/stock/alerts', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '库存预警汇总（临期、过期、低于最低、超过最高：一份汇总）', querystring: alertsQuery, response: { 200: alertSummary } },
    handler: (req) => rep.stockAlerts(req.ctx, req.query),
  });
  app.get('/api/warehouses/stock/reconciliation', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '账实核对：各批次结存 = 流水合计（列出差异）', querystring: z.strictObject({ warehouseId: uuid.optional() }), response: { 200: reconciliation } },
    handler: (req) => rep.reconcile(req.ctx, req.query.warehouseId),
  });
  app.get('/api/warehouses/stock/value-by-unit', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '各单位库存金额', response: { 200: z.object({ items: z.array(unitStockValue) }) } },
    handler: async (req) => ({ items: await rep.stockValueByUnit(req.ctx) }),
  });
  app.get('/api/warehouses/stock/coverage', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '每个县（市、区）是否建有仓库', response: { 200: coverage } },
    handler: (req) => rep.countyCoverage(req.ctx),
  });
  app.get('/api/warehouses/trace', {
    config: { permission: 'warehouses.read' },
    schema: { tags, summary: '物资去向：来源（如捐赠物资明细）→ 调拨 → 出库 → 受助人（脱敏）', querystring: z.strictObject({ sourceType: z.enum(['donation', 'purchase', 'allocation']), sourceId: uuid }), response: { 200: goodsTraceResult } },
    handler: (req) => goodsTrace(req.ctx, req.query.sourceType, req.query.sourceId),
  });
};
