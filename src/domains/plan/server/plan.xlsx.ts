import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { escapeCell } from '../../../platform/excel.ts';
import { ExcelJS } from '../../../platform/exceljs.ts';
import type { Workbook, Worksheet } from '../../../platform/exceljs.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { cellText, inspectXlsx, XLSX_LIMITS } from '../../../platform/xlsx-read.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { unitByRef, unitsNamed } from '../../orgs/server/orgs.service.ts';
import {
  createIndicator,
  createPlan as createPlanSchema,
  denominatorLabels,
  directionLabels,
  indicatorKindLabels,
  saveTarget as saveTargetSchema,
  statusLabels,
  targetBasisLabels,
  type CreateIndicator,
} from '../plan.contract.ts';
import * as repo from './plan.repository.ts';
import * as svc from './plan.service.ts';

/**
 * The whole plan as one workbook, one sheet per table, with Chinese headers — what staff keep in
 * Excel anyway. Export and import use the same layout, so a plan can be drafted in Excel (or
 * carried to another installation) and loaded as a new plan.
 */
const SHEETS = { plan: '规划', indicators: '指标', targets: '分解目标', baseline: '表1 基期' } as const;

const CATEGORY = { headline: '主要指标', secondary: '其他目标' } as const;
const SCOPE = { whole: '编制单位合计', each_unit: '各单位均适用' } as const;
const SCALE = { count: '数量', ratio: '比值', percent: '百分比', per_10k: '每万人', per_million: '每百万人' } as const;

const INDICATOR_COLUMNS: { header: string; key: keyof CreateIndicator; labels?: Record<string, string> }[] = [
  { header: '指标代码', key: 'code' },
  { header: '指标名称', key: 'nameZh' },
  { header: '英文名称', key: 'nameEn' },
  { header: '类别', key: 'category', labels: CATEGORY },
  { header: '计量单位', key: 'unit' },
  { header: '填报单位', key: 'numeratorUnit' },
  { header: '类型', key: 'kind', labels: Object.fromEntries(Object.entries(indicatorKindLabels).map(([k, v]) => [k, v.zh])) },
  { header: '方向', key: 'direction', labels: Object.fromEntries(Object.entries(directionLabels).map(([k, v]) => [k, v.zh])) },
  { header: '目标值', key: 'target' },
  { header: '目标适用范围', key: 'targetScope', labels: SCOPE },
  { header: '分母', key: 'denominator', labels: Object.fromEntries(Object.entries(denominatorLabels).map(([k, v]) => [k, v.zh])) },
  { header: '比例尺度', key: 'scale', labels: SCALE },
  { header: '全省排名目标（前 N 名）', key: 'rankTarget' },
  { header: '数据来源业务', key: 'sourceDomain' },
  { header: '说明', key: 'description' },
  { header: '排序', key: 'sortOrder' },
];
const RESPONSIBLE = '责任单位';
const TARGET_HEADERS = ['指标代码', '单位代码', '单位名称', '年份', '口径', '数值', '表内合计', '来源', '备注'];
const BASELINE_HEADERS = ['指标名称', '上期规划目标', '完成情况', '对应指标代码', '完成数值'];
const basisLabels = Object.fromEntries(Object.entries(targetBasisLabels).map(([k, v]) => [k, v.zh]));

function styleHeader(ws: Worksheet) {
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

function addRows(ws: Worksheet, rows: unknown[][]) {
  for (const r of rows) ws.addRow(r.map((v) => escapeCell(v ?? null)));
}

export async function exportPlanXlsx(ctx: Ctx, planId: string) {
  const d = await svc.getPlanDetail(ctx, planId);
  const wb = new ExcelJS.Workbook();
  wb.creator = `${ctx.actor.displayName ?? ctx.actor.username ?? ''} 导出于 ${shanghaiDate(ctx.deps.clock.now())}`;
  const p = wb.addWorksheet(SHEETS.plan);
  p.columns = [{ header: '项目', width: 18 }, { header: '内容', width: 60 }];
  addRows(p, [
    ['规划名称', d.name],
    ['文号', d.document],
    ['编制单位', d.ownerUnitName],
    ['开始年', d.periodStart],
    ['结束年', d.periodEnd],
    ['基期年', d.baseYear],
    ['滞后阈值', d.thresholds.lagging],
    ['严重滞后阈值', d.thresholds.severe],
    ['说明', d.notes],
  ]);
  styleHeader(p);
  const ind = wb.addWorksheet(SHEETS.indicators);
  ind.columns = [...INDICATOR_COLUMNS.map((c) => ({ header: c.header, width: c.key === 'nameZh' || c.key === 'description' ? 30 : 14 })), { header: RESPONSIBLE, width: 14 }];
  addRows(ind, d.indicators.map((i) => [
    ...INDICATOR_COLUMNS.map((c) => {
      const v = (i as unknown as Record<string, unknown>)[c.key];
      return c.labels && typeof v === 'string' ? (c.labels[v] ?? v) : v;
    }),
    i.responsibleUnitName,
  ]));
  styleHeader(ind);
  const t = wb.addWorksheet(SHEETS.targets);
  t.columns = TARGET_HEADERS.map((h) => ({ header: h, width: h === '来源' || h === '备注' ? 36 : 14 }));
  addRows(t, d.targets.map((x) => [x.indicatorCode, x.unitCode, x.unitName, x.year, basisLabels[x.basis], x.value, x.statedTotal ? '是' : '', x.source, x.note]));
  styleHeader(t);
  const b = wb.addWorksheet(SHEETS.baseline);
  b.columns = BASELINE_HEADERS.map((h) => ({ header: h, width: h === '指标名称' ? 20 : 40 }));
  addRows(b, d.baseline.map((x) => [x.item, x.previousTarget, x.result, x.indicatorCode, x.resultValue]));
  styleHeader(b);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `${d.name}.xlsx`, buffer };
}

type Problem = { sheet: string; row: number; column: string; reason: string };

function fromLabel(labels: Record<string, string> | undefined, v: string | null) {
  if (v === null || !labels) return v;
  const hit = Object.entries(labels).find(([code, label]) => label === v || code === v);
  return hit ? hit[0] : v;
}

function sheetRows(ws: Worksheet | undefined) {
  const rows: { n: number; cells: (string | null)[] }[] = [];
  ws?.eachRow((row: { values: unknown }, n: number) => {
    if (n === 1) return;
    const values = row.values as unknown[];
    const cells: (string | null)[] = [];
    for (let c = 1; c < Math.max(values.length, 2); c++) cells.push(cellText(values[c]));
    if (cells.some((c) => c !== null)) rows.push({ n, cells });
  });
  return rows;
}

function firstIssue(err: { issues: { path: PropertyKey[]; message: string }[] }) {
  const i = err.issues[0]!;
  return { path: i.path.map(String).join('.'), message: i.message };
}

/**
 * Loads a workbook in the export layout as a new plan owned by the caller's unit. Every row is
 * checked before anything is written; one problem anywhere refuses the whole file with the list.
 */
export async function importPlanXlsx(ctx: Ctx, bytes: Buffer | null) {
  requirePermission(ctx, 'plan.write');
  if (!bytes || bytes.length === 0) throw new DomainError('plan.import_invalid', { reason: '文件为空' });
  const tmp = path.join(os.tmpdir(), `boai-plan-${crypto.randomUUID()}.xlsx`);
  fs.writeFileSync(tmp, bytes, { mode: 0o600 });
  let wb: Workbook;
  try {
    inspectXlsx(tmp, { ...XLSX_LIMITS, maxBytes: 5 * 1024 * 1024, maxUncompressed: 100 * 1024 * 1024 });
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('plan.import_invalid', { reason: '无法读取工作簿' });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const problems: Problem[] = [];
  const need = (name: string) => {
    const ws = wb.getWorksheet(name);
    if (!ws) problems.push({ sheet: name, row: 0, column: '', reason: `缺少工作表“${name}”` });
    return ws;
  };
  const planSheet = need(SHEETS.plan);
  const indSheet = need(SHEETS.indicators);
  const targetSheet = need(SHEETS.targets);
  const baseSheet = wb.getWorksheet(SHEETS.baseline);
  if (problems.length) throw new DomainError('plan.import_invalid', { reason: problems[0]!.reason }, problems);

  const kv = new Map(sheetRows(planSheet).map((r) => [r.cells[0] ?? '', r.cells[1] ?? null]));
  const planInput = createPlanSchema.safeParse({
    name: kv.get('规划名称') ?? '',
    document: kv.get('文号') ?? null,
    periodStart: Number(kv.get('开始年')),
    periodEnd: Number(kv.get('结束年')),
    baseYear: Number(kv.get('基期年')),
    thresholds: kv.get('滞后阈值') ? { lagging: Number(kv.get('滞后阈值')), severe: Number(kv.get('严重滞后阈值')) } : undefined,
    notes: kv.get('说明') ?? null,
  });
  if (!planInput.success) {
    const i = firstIssue(planInput.error);
    problems.push({ sheet: SHEETS.plan, row: 0, column: i.path, reason: i.message });
  }

  const indicators: CreateIndicator[] = [];
  for (const r of sheetRows(indSheet)) {
    const raw: Record<string, unknown> = {};
    INDICATOR_COLUMNS.forEach((c, idx) => {
      const v = fromLabel(c.labels, r.cells[idx] ?? null);
      raw[c.key] = ['target', 'rankTarget', 'sortOrder'].includes(c.key) ? (v === null ? (c.key === 'sortOrder' ? idx : null) : Number(v)) : v;
    });
    raw.sortOrder = raw.sortOrder ?? r.n;
    raw.responsibleUnitId = null;
    const parsed = createIndicator.safeParse(raw);
    const responsible = r.cells[INDICATOR_COLUMNS.length] ?? null;
    if (parsed.success && responsible) {
      const u = (await unitByRef(ctx, responsible)) ?? (await unitsNamed(ctx, responsible))[0] ?? null;
      if (u) parsed.data.responsibleUnitId = u.id;
      else problems.push({ sheet: SHEETS.indicators, row: r.n, column: RESPONSIBLE, reason: `找不到单位“${responsible}”` });
    }
    if (parsed.success) indicators.push(parsed.data);
    else {
      const i = firstIssue(parsed.error);
      problems.push({ sheet: SHEETS.indicators, row: r.n, column: INDICATOR_COLUMNS.find((c) => c.key === i.path)?.header ?? i.path, reason: i.message });
    }
  }
  const codes = new Set<string>();
  for (const i of indicators) {
    if (codes.has(i.code)) problems.push({ sheet: SHEETS.indicators, row: 0, column: '指标代码', reason: `指标代码“${i.code}”重复` });
    codes.add(i.code);
  }

  const targets: { row: number; input: Omit<Parameters<typeof svc.saveTarget>[2], 'unitId'>; unitCode: string | null; unitName: string | null }[] = [];
  for (const r of sheetRows(targetSheet)) {
    const [code, unitCode, unitName, year, basis, value, total, source, note] = r.cells;
    const parsed = saveTargetSchema.safeParse({
      indicatorCode: code ?? '',
      unitId: '00000000-0000-4000-8000-000000000000',
      year: year === null || year === undefined ? null : Number(year),
      basis: fromLabel(basisLabels, basis ?? null),
      value: Number(value),
      statedTotal: total === '是',
      source: source ?? null,
      note: note ?? null,
    });
    if (!parsed.success) {
      const i = firstIssue(parsed.error);
      problems.push({ sheet: SHEETS.targets, row: r.n, column: TARGET_HEADERS[['indicatorCode', 'unitId', 'unitId', 'year', 'basis', 'value', 'statedTotal', 'source', 'note'].indexOf(i.path)] ?? i.path, reason: i.message });
      continue;
    }
    if (!codes.has(parsed.data.indicatorCode)) problems.push({ sheet: SHEETS.targets, row: r.n, column: '指标代码', reason: `指标表中没有“${parsed.data.indicatorCode}”` });
    const { unitId: _u, ...rest } = parsed.data;
    targets.push({ row: r.n, input: rest, unitCode: unitCode ?? null, unitName: unitName ?? null });
  }
  // Units by code, else by their (unique) name.
  const unitIds = new Map<number, string>();
  for (const t of targets) {
    const byCode = t.unitCode ? await unitByRef(ctx, t.unitCode) : null;
    const named = !byCode && t.unitName ? await unitsNamed(ctx, t.unitName) : [];
    const unit = byCode ?? (named.length === 1 ? named[0] : null);
    if (!unit) problems.push({ sheet: SHEETS.targets, row: t.row, column: '单位代码', reason: `找不到单位“${t.unitCode ?? t.unitName ?? ''}”${named.length > 1 ? '（同名单位不止一个，请填单位代码）' : ''}` });
    else unitIds.set(t.row, unit.id);
  }
  const baseline = sheetRows(baseSheet).map((r, i) => ({ item: r.cells[0] ?? '', previous: r.cells[1] ?? '', result: r.cells[2] ?? '', code: r.cells[3] ?? null, value: r.cells[4] === null || r.cells[4] === undefined ? null : Number(r.cells[4]), n: r.n, order: i }));
  for (const b of baseline) if (!b.item) problems.push({ sheet: SHEETS.baseline, row: b.n, column: '指标名称', reason: '请填写指标名称' });
  if (problems.length || !planInput.success) {
    throw new DomainError('plan.import_invalid', { reason: `${problems.length} 处错误，第一处：${problems[0]!.sheet} 第 ${problems[0]!.row} 行 ${problems[0]!.column}：${problems[0]!.reason}` }, problems);
  }
  return ctx.run(async (trx) => {
    const plan = await svc.createPlan(ctx, planInput.data);
    for (const i of indicators) await svc.createIndicator(ctx, plan.id, i);
    for (const t of targets) await svc.saveTarget(ctx, plan.id, { ...t.input, unitId: unitIds.get(t.row)! });
    await repo.insertBaseline(trx, baseline.map((b) => ({ id: crypto.randomUUID(), plan_id: plan.id, item: b.item, previous_target: b.previous, result: b.result, indicator_code: b.code, result_value: b.value, sort_order: b.order })));
    await recordAudit(ctx, { action: 'plan.imported', entityType: 'plan', entityId: plan.id, unitId: plan.ownerUnitId, details: { indicators: indicators.length, targets: targets.length, baseline: baseline.length } });
    return plan;
  });
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

export async function bulletinXlsx(ctx: Ctx, bulletinId: string) {
  const b = await svc.getBulletin(ctx, bulletinId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('进度通报', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 }, headerFooter: { oddHeader: `&C${b.title}`, oddFooter: `&L截至 ${b.asOf}&R第 &P 页，共 &N 页` } });
  ws.addRow([b.title]).font = { bold: true, size: 14 };
  ws.addRow([`截至 ${b.asOf}`]);
  ws.addRow([]);
  ws.addRow(['指标', '单位', '目标', '完成', '完成目标 %', '时间进度 %', '状态', '数据来源', '期末预测']).font = { bold: true };
  for (const i of b.progress.items) {
    const row = ws.addRow([i.name, i.unit, i.target, i.actual, pct(i.progress), pct(i.elapsed), statusLabels[i.status].zh, i.actualSource === 'manual' ? '人工填报' : i.actualSource === 'computed' ? '系统计算' : '无', i.projection]);
    if (i.status === 'lagging' || i.status === 'severely_lagging') row.font = { color: { argb: 'FFC00000' } };
  }
  ws.addRow([]);
  ws.addRow(['县（市、区）排名', '得分', '名次', '滞后事项']).font = { bold: true };
  for (const r of b.ranking) ws.addRow([r.unitName, r.score, r.rank, escapeCell(r.lagging.join('；'))]);
  if (b.remarks) {
    ws.addRow([]);
    ws.addRow(['说明']).font = { bold: true };
    ws.addRow([escapeCell(b.remarks)]);
  }
  ws.columns.forEach((c, idx) => (c.width = idx === 0 ? 30 : 14));
  return { fileName: `${b.title}.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) };
}
