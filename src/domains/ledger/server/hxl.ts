import { yuan, type ExportCheckpoint, type ExportProject, type LedgerEvent } from './iati.ts';

/**
 * HXL-tagged CSVs of the ledger (reference/ledger.md §9.2): a title row naming the checkpoint, the
 * header row (Chinese first, English after a slash), the hashtag row, then one row per ledger event
 * with index < the checkpoint's tree size. HXL readers look for the hashtag row among the first rows
 * and take the row above it as the header, so the title row does not disturb them. Pure and
 * deterministic like the IATI file. Persons are never named.
 */

export type StockEvent = {
  idx: number;
  date: string;
  warehouse: string;
  item: string;
  itemCode: string;
  unit: string;
  /** Positive in, negative out, in the item's unit (a decimal string for fractional units). */
  quantityIn: string | null;
  quantityOut: string | null;
  /** Balance of that item in that warehouse after the event. */
  balance: string;
};

type Column<T> = { header: string; tag: string; value: (row: T) => string | number | null };

const BOM = '\uFEFF';

/** Text that a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection). */
function text(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function cell(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The file in chunks of at most 1,000 rows, so a large export streams instead of becoming one string. */
function* csvChunks<T>(checkpoint: ExportCheckpoint, title: string, columns: Column<T>[], rows: Iterable<T>): Generator<string> {
  yield BOM + [
    cell(`${title}｜账本检查点 / ledger checkpoint: tree_size=${checkpoint.treeSize} root_hash=${checkpoint.rootHash}`),
    columns.map((c) => cell(c.header)).join(','),
    columns.map((c) => cell(c.tag)).join(','),
  ].join('\r\n') + '\r\n';
  let batch: string[] = [];
  for (const r of rows) {
    batch.push(columns.map((c) => cell(c.value(r))).join(','));
    if (batch.length === 1000) {
      yield batch.join('\r\n') + '\r\n';
      batch = [];
    }
  }
  if (batch.length) yield batch.join('\r\n') + '\r\n';
}

/** Joins a chunked file (tests, small files). */
export const joinChunks = (chunks: Iterable<string>) => [...chunks].join('');

const DONOR_TYPE: Record<string, string> = { person: '个人', organisation: '单位', anonymous: '匿名' };
const CHANNEL: Record<string, string> = { bank_transfer: '银行转账', wechat_pay: '微信支付', alipay: '支付宝', cash: '现金', online_platform: '网络募捐平台', other: '其他' };
const EARMARK: Record<string, string> = { unrestricted: '非定向', project: '定向项目', beneficiary: '定向受助人' };
const ENTRY: Record<string, string> = { receipt: '收款', correction: '冲销', pledge: '承诺' };

type Donation = Extract<LedgerEvent, { kind: 'receipt' | 'correction' | 'pledge' }>;
type Disbursement = Extract<LedgerEvent, { kind: 'disbursement' }>;

export function donationsHxlChunks(checkpoint: ExportCheckpoint, projects: readonly ExportProject[], events: readonly LedgerEvent[]): Generator<string> {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const rows = events.filter((e): e is Donation => e.kind === 'receipt' || e.kind === 'correction' || e.kind === 'pledge').sort((a, b) => a.idx - b.idx);
  const project = (e: Donation) => (e.projectId ? byId.get(e.projectId) : undefined);
  return csvChunks<Donation>(checkpoint, '捐赠明细（开放数据）', [
    { header: '日期 / Date', tag: '#date', value: (e) => e.date },
    { header: '账本序号 / Ledger index', tag: '#meta+ledger_index', value: (e) => e.idx },
    { header: '记录类型 / Entry type', tag: '#x_entry+type', value: (e) => ENTRY[e.kind] ?? e.kind },
    { header: '捐赠编号 / Receipt ID', tag: '#meta+id', value: (e) => text(e.number) },
    { header: '捐赠人类型 / Donor type', tag: '#org+funding+type', value: (e) => DONOR_TYPE[e.donorKind] ?? e.donorKind },
    { header: '捐赠人 / Donor', tag: '#org+funding+name', value: (e) => (e.donorKind === 'anonymous' ? '匿名' : e.donorKind === 'person' ? '爱心人士' : text(e.donorName ?? '爱心单位')) },
    { header: '渠道 / Channel', tag: '#channel', value: (e) => CHANNEL[e.channel] ?? e.channel },
    { header: '金额（元）/ Amount', tag: '#value+incoming', value: (e) => yuan(e.kind === 'correction' ? -e.amountFen : e.amountFen) },
    { header: '币种 / Currency', tag: '#currency+code', value: () => 'CNY' },
    { header: '项目 / Project', tag: '#activity+project+name', value: (e) => (project(e) ? text(project(e)!.name) : null) },
    { header: '项目编号 / Project code', tag: '#activity+project+code', value: (e) => project(e)?.code ?? null },
    { header: '用途 / Earmarking', tag: '#x_earmarking', value: (e) => EARMARK[e.designation] ?? e.designation },
    { header: '接收单位 / Receiving unit', tag: '#org+x_receiving+name', value: (e) => text(e.unitName) },
  ], rows);
}

export function disbursementsHxlChunks(checkpoint: ExportCheckpoint, projects: readonly ExportProject[], events: readonly LedgerEvent[]): Generator<string> {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const rows = events.filter((e): e is Disbursement => e.kind === 'disbursement').sort((a, b) => a.idx - b.idx);
  const project = (e: Disbursement) => (e.projectId ? byId.get(e.projectId) : undefined);
  return csvChunks<Disbursement>(checkpoint, '拨付明细（开放数据）', [
    { header: '日期 / Date', tag: '#date', value: (e) => e.date },
    { header: '账本序号 / Ledger index', tag: '#meta+ledger_index', value: (e) => e.idx },
    { header: '类别 / Category', tag: '#x_category', value: (e) => (e.category === 'management' ? '管理费用' : '救助支出') },
    { header: '受助方类型 / Recipient type', tag: '#org+x_recipient+type', value: (e) => (e.recipientKind === 'person' ? '个人' : '单位') },
    { header: '受助方 / Recipient', tag: '#org+x_recipient+name', value: (e) => (e.recipientKind === 'person' ? '个人受助人（不公开姓名）' : text(e.recipientName ?? '受助单位')) },
    { header: '金额（元）/ Amount', tag: '#value+outgoing', value: (e) => yuan(e.amountFen) },
    { header: '币种 / Currency', tag: '#currency+code', value: () => 'CNY' },
    { header: '项目 / Project', tag: '#activity+project+name', value: (e) => (project(e) ? text(project(e)!.name) : null) },
    { header: '项目编号 / Project code', tag: '#activity+project+code', value: (e) => project(e)?.code ?? null },
    { header: '拨付单位 / Paying unit', tag: '#org+impl+name', value: (e) => text(e.unitName) },
  ], rows);
}

export function stockHxlChunks(checkpoint: ExportCheckpoint, events: readonly StockEvent[]): Generator<string> {
  return csvChunks<StockEvent>(checkpoint, '物资收发（开放数据）', [
    { header: '日期 / Date', tag: '#date+reported', value: (e) => e.date },
    { header: '仓库 / Warehouse', tag: '#loc+name', value: (e) => text(e.warehouse) },
    { header: '物资 / Item', tag: '#item+name', value: (e) => text(e.item) },
    { header: '物资编码 / Item code', tag: '#item+code', value: (e) => text(e.itemCode) },
    { header: '单位 / Unit', tag: '#item+unit', value: (e) => text(e.unit) },
    { header: '入库数量 / Quantity in', tag: '#item+num+in', value: (e) => e.quantityIn },
    { header: '出库数量 / Quantity out', tag: '#item+num+out', value: (e) => e.quantityOut },
    { header: '结存 / Balance', tag: '#item+num+balance', value: (e) => e.balance },
    { header: '账本序号 / Ledger index', tag: '#meta+ledger_index', value: (e) => e.idx },
  ], [...events].sort((a, b) => a.idx - b.idx));
}

export const donationsHxl = (...a: Parameters<typeof donationsHxlChunks>) => joinChunks(donationsHxlChunks(...a));
export const disbursementsHxl = (...a: Parameters<typeof disbursementsHxlChunks>) => joinChunks(disbursementsHxlChunks(...a));
export const stockHxl = (...a: Parameters<typeof stockHxlChunks>) => joinChunks(stockHxlChunks(...a));
