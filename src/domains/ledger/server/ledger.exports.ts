import crypto from 'node:crypto';
import { sql } from 'kysely';
import { systemCtx, type Deps, type Trx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { disbursementsHxlChunks, donationsHxlChunks, joinChunks, stockHxlChunks, type StockEvent } from './hxl.ts';
import { iatiChunks, type ExportCheckpoint, type ExportProject, type IatiOptions, type LedgerEvent } from './iati.ts';

/**
 * Open-data exports of the ledger (issue 6, reference/ledger.md §9): IATI 2.03 XML and HXL CSVs,
 * each built from one signed checkpoint — only entries with index < its tree size — and naming it,
 * so that anyone can regenerate the file from the public log and compare. Ledger entries are found
 * through log_link (business row → ledger index) and described with what the public may know of
 * their business rows: amounts, dates, projects, donor and recipient kinds; organisations named only
 * with consent, persons never.
 *
 * Each export reads in one transaction; the log's rows below a signed checkpoint never change, so
 * its statements agree on the entries whatever is appended meanwhile.
 */

export type ExportOptions = { checkpointSize?: number | undefined };

/** The reporting organisation's IATI identifier when none is configured: a visible placeholder, not an invented registration. */
export const DEFAULT_IATI_ORG_REF = 'XX-BOAI-330800';

export type IatiConfig = { orgRef?: string | undefined; orgType?: string | undefined };

/**
 * The reporting organisation for IATI, from the environment (read when the routes are registered):
 * BOAI_IATI_ORG_REF — its IATI organisation identifier, registration-agency prefix included (e.g. a
 * unified social credit code under the agency's prefix); BOAI_IATI_ORG_TYPE — its IATI
 * OrganisationType code (default 22, National NGO). A malformed value stops the start naming it.
 */
export function iatiConfigFromEnv(env: Record<string, string | undefined> = process.env): IatiConfig {
  const orgRef = env.BOAI_IATI_ORG_REF || undefined;
  const orgType = env.BOAI_IATI_ORG_TYPE || undefined;
  if (orgRef !== undefined && !/^[A-Za-z]{2}[A-Za-z0-9]*-[A-Za-z0-9][A-Za-z0-9._-]{0,98}$/.test(orgRef)) {
    throw new Error('配置错误 / invalid configuration: BOAI_IATI_ORG_REF: expected an IATI organisation identifier such as XX-ABC-12345 (prefix, hyphen, number)');
  }
  if (orgType !== undefined && !/^\d{2}$/.test(orgType)) throw new Error('配置错误 / invalid configuration: BOAI_IATI_ORG_TYPE: expected a two-digit IATI OrganisationType code such as 22');
  return { orgRef, orgType };
}

function invalidSize(message: string): DomainError {
  return new DomainError('validation_failed', undefined, [{ field: 'query.checkpoint_size', code: 'unknown_checkpoint', message }]);
}

/** The checkpoint an export is built from: the latest signed one, or the one of exactly that size. */
export async function resolveCheckpoint(trx: Trx, size: number | undefined): Promise<ExportCheckpoint> {
  const r = await sql<{ tree_size: number; root: string; created_at: Date }>`
    select tree_size, encode(root_hash, 'base64') as root, created_at from checkpoint
    ${size === undefined ? sql`` : sql`where tree_size = ${size}`}
    order by tree_size desc limit 1`.execute(trx);
  const row = r.rows[0];
  if (!row) {
    throw size === undefined
      ? new DomainError('ledger.no_checkpoint')
      : invalidSize(`没有树大小为 ${size} 的已签名检查点：checkpoint_size 须为某个已签名检查点的树大小`);
  }
  return { treeSize: Number(row.tree_size), rootHash: row.root.replace(/\s+/g, ''), createdAt: new Date(row.created_at).toISOString() };
}

type EntryMeta = { type?: unknown; ts?: unknown; date?: unknown; amount?: unknown; refs?: unknown; goods?: unknown };

function parseEntry(text: string): EntryMeta {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as EntryMeta) : {};
  } catch {
    return {};
  }
}

/** The entry's own value date, else the day of its timestamp (Asia/Shanghai), else the business row's. */
const entryDate = (m: EntryMeta, fallback: string) => {
  if (typeof m.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(m.date)) return m.date;
  if (typeof m.ts === 'string' || typeof m.ts === 'number') {
    const d = new Date(m.ts);
    if (!Number.isNaN(d.getTime())) return shanghaiDate(d);
  }
  return fallback;
};

/** The Red Cross society of a unit, as the public knows it: 柯城区 → 柯城区红十字会. */
const society = (unitName: string) => (unitName.endsWith('红十字会') ? unitName : `${unitName}红十字会`);

/** The amount the log itself holds (yuan with two decimals) wins over the mutable row's. */
const entryFen = (m: EntryMeta, fallback: number) => {
  const r = typeof m.amount === 'string' ? /^(\d+)\.(\d{2})$/.exec(m.amount) : null;
  return r ? Number(r[1]) * 100 + Number(r[2]) : fallback;
};

/** The first earlier entry an entry consumes: `refs` holds `{ i }` objects (or bare indexes). */
const firstRef = (m: EntryMeta): number | null => {
  const r = Array.isArray(m.refs) ? (m.refs[0] as unknown) : undefined;
  if (typeof r === 'number') return r;
  if (r && typeof r === 'object' && typeof (r as { i?: unknown }).i === 'number') return (r as { i: number }).i;
  return null;
};

export type EventPart = 'donations' | 'allocations' | 'disbursements';
const ALL_PARTS: ReadonlySet<EventPart> = new Set(['donations', 'allocations', 'disbursements']);

/**
 * The ledger events below the checkpoint that the exports describe: donation receipts (and their
 * corrections and pledges), allocations to projects, approved disbursements. Entries of other types
 * (stock movements…) are left to the exports that know them.
 */
export async function ledgerEvents(trx: Trx, treeSize: number, parts: ReadonlySet<EventPart> = ALL_PARTS): Promise<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  const donations = !parts.has('donations') ? { rows: [] } : await sql<{ idx: number; entry: string; number: string; received_on: string; channel: string; amount_fen: number; designation: string; project_id: string | null; reversed_at: Date | null; donor_kind: string; donor_name: string | null; unit_name: string }>`
    select l.idx, convert_from(e.entry, 'UTF8') as entry, d.number, d.received_on, d.channel, d.amount_fen, d.designation, d.project_id, d.reversed_at,
      o.kind as donor_kind, case when o.kind = 'organisation' and o.public_consent then o.org_name end as donor_name, u.name as unit_name
    from log_link l join log_entry e on e.idx = l.idx join donation d on d.id::text = l.ref_id join donor o on o.id = d.donor_id join org_unit u on u.id = d.org_unit_id
    where l.ref_type in ('donation', 'donation_reversal') and l.idx < ${treeSize}
    order by l.idx`.execute(trx);
  for (const r of donations.rows) {
    const m = parseEntry(r.entry);
    const kind = m.type === 'receipt' || m.type === 'correction' || m.type === 'pledge' ? m.type : null;
    if (!kind) continue;
    events.push({
      idx: Number(r.idx), kind,
      date: entryDate(m, kind === 'correction' && r.reversed_at ? shanghaiDate(new Date(r.reversed_at)) : r.received_on),
      amountFen: entryFen(m, Number(r.amount_fen)), projectId: r.project_id, donorKind: r.donor_kind as 'person' | 'organisation' | 'anonymous',
      donorName: r.donor_name, channel: r.channel, designation: r.designation, number: r.number, unitName: society(r.unit_name), corrects: kind === 'correction' ? firstRef(m) : null,
    });
  }
  const allocations = !parts.has('allocations') ? { rows: [] } : await sql<{ idx: number; entry: string; project_id: string; amount_fen: number; decided_on: string; unit_name: string }>`
    select l.idx, convert_from(e.entry, 'UTF8') as entry, a.project_id, a.amount_fen, a.decided_on, u.name as unit_name
    from log_link l join log_entry e on e.idx = l.idx join allocation a on a.id::text = l.ref_id join org_unit u on u.id = a.org_unit_id
    where l.ref_type = 'allocation' and l.idx < ${treeSize}
    order by l.idx`.execute(trx);
  for (const r of allocations.rows) {
    const m = parseEntry(r.entry);
    if (m.type !== 'allocation') continue;
    events.push({ idx: Number(r.idx), kind: 'allocation', date: entryDate(m, r.decided_on), amountFen: entryFen(m, Number(r.amount_fen)), projectId: r.project_id, unitName: society(r.unit_name) });
  }
  const disbursements = !parts.has('disbursements') ? { rows: [] } : await sql<{ idx: number; entry: string; amount_fen: number; paid_on: string; category: string; beneficiary_kind: string; org_name: string | null; project_id: string | null; unit_name: string }>`
    select l.idx, convert_from(e.entry, 'UTF8') as entry, b.amount_fen, b.paid_on, b.category, b.beneficiary_kind,
      case when b.beneficiary_kind = 'organisation' then b.org_name end as org_name, f.project_id, u.name as unit_name
    from log_link l join log_entry e on e.idx = l.idx join disbursement b on b.id::text = l.ref_id join fund f on f.id = b.fund_id join org_unit u on u.id = b.org_unit_id
    where l.ref_type = 'disbursement' and l.idx < ${treeSize}
    order by l.idx`.execute(trx);
  for (const r of disbursements.rows) {
    const m = parseEntry(r.entry);
    if (m.type !== 'disbursement') continue;
    events.push({
      idx: Number(r.idx), kind: 'disbursement', date: entryDate(m, r.paid_on), amountFen: entryFen(m, Number(r.amount_fen)), projectId: r.project_id,
      category: r.category === 'management' ? 'management' : 'aid', recipientKind: r.beneficiary_kind === 'person' ? 'person' : 'organisation',
      recipientName: r.org_name, unitName: society(r.unit_name),
    });
  }
  return events.sort((a, b) => a.idx - b.idx);
}

/**
 * Every project that existed when the checkpoint was signed and is public (fundraising or closed),
 * plus any project a ledger event points to. Internal notes never leave. A project created later
 * does not change the file of an earlier checkpoint; a renamed one does (names are not in the log).
 */
export async function exportProjects(trx: Trx, events: readonly LedgerEvent[], checkpoint: ExportCheckpoint): Promise<ExportProject[]> {
  const used = new Set(events.map((e) => e.projectId).filter((x): x is string => !!x));
  const r = await sql<{ id: string; code: string; name: string; summary: string | null; category: string; status: string; period_start: string | null; period_end: string | null; created_at: Date; unit_name: string }>`
    select p.id, p.code, p.name, p.summary, p.category, p.status, p.period_start, p.period_end, p.created_at, u.name as unit_name
    from project p join org_unit u on u.id = p.org_unit_id order by p.code`.execute(trx);
  const signedAt = new Date(checkpoint.createdAt).getTime();
  return r.rows
    .filter((p) => used.has(p.id) || (p.status !== 'draft' && new Date(p.created_at).getTime() <= signedAt))
    .map((p) => ({ id: p.id, code: p.code, name: p.name, summary: p.summary, category: p.category, status: p.status, periodStart: p.period_start, periodEnd: p.period_end, createdOn: shanghaiDate(new Date(p.created_at)), unitName: society(p.unit_name) }));
}

async function reportingOrg(trx: Trx): Promise<{ zh: string; en: string | null }> {
  const root = await sql<{ name: string }>`select name from org_unit where parent_id is null and not synthetic order by path limit 1`.execute(trx);
  const name = root.rows[0]?.name ?? '';
  return { zh: `${name}红十字会`, en: name === '衢州市' ? 'Quzhou Red Cross Society' : null };
}

/**
 * An export: the checkpoint it was built from, a strong validator, and the file as chunks produced
 * on demand (a large file streams; see iatiChunks). The data are read before the transaction ends;
 * producing the chunks touches no database.
 */
export type ExportResult = { checkpoint: ExportCheckpoint; etag: string; chunks: () => Generator<string>; text: () => string };

/** Bump when the files' layout changes: the ETag must change with it. */
const EXPORT_FORMAT = 'boai-ledger-exports/1';

/**
 * The file is a pure function of its inputs, so a hash of the inputs is a strong ETag — computed
 * without producing the file, which lets a revalidation answer 304 at the cost of the reads only.
 * A withdrawn consent or a renamed project changes the inputs, and so the ETag.
 */
function result(kind: string, checkpoint: ExportCheckpoint, inputs: unknown[], chunks: () => Generator<string>): ExportResult {
  const h = crypto.createHash('sha256').update(EXPORT_FORMAT).update('\u0000').update(kind).update('\u0000').update(JSON.stringify(checkpoint));
  for (const part of inputs) {
    if (Array.isArray(part)) for (const x of part) h.update(JSON.stringify(x)).update('\n');
    else h.update(JSON.stringify(part ?? null)).update('\n');
  }
  return { checkpoint, etag: `"${h.digest('base64url')}"`, chunks, text: () => joinChunks(chunks()) };
}

export async function exportIati(deps: Deps, opts: ExportOptions & { iati?: IatiConfig }): Promise<ExportResult> {
  return systemCtx(deps).run(async (trx) => {
    const checkpoint = await resolveCheckpoint(trx, opts.checkpointSize);
    const events = await ledgerEvents(trx, checkpoint.treeSize);
    const projects = await exportProjects(trx, events, checkpoint);
    const org = await reportingOrg(trx);
    const iati: IatiOptions = { orgRef: opts.iati?.orgRef ?? DEFAULT_IATI_ORG_REF, orgType: opts.iati?.orgType ?? '22', orgNameZh: org.zh, orgNameEn: org.en };
    return result('iati', checkpoint, [iati, projects, events], () => iatiChunks(checkpoint, iati, projects, events));
  });
}

export async function exportDonationsHxl(deps: Deps, opts: ExportOptions): Promise<ExportResult> {
  return systemCtx(deps).run(async (trx) => {
    const checkpoint = await resolveCheckpoint(trx, opts.checkpointSize);
    const events = await ledgerEvents(trx, checkpoint.treeSize, new Set(['donations']));
    const projects = await exportProjects(trx, events, checkpoint);
    return result('donations', checkpoint, [projects, events], () => donationsHxlChunks(checkpoint, projects, events));
  });
}

export async function exportDisbursementsHxl(deps: Deps, opts: ExportOptions): Promise<ExportResult> {
  return systemCtx(deps).run(async (trx) => {
    const checkpoint = await resolveCheckpoint(trx, opts.checkpointSize);
    const events = await ledgerEvents(trx, checkpoint.treeSize, new Set(['disbursements']));
    const projects = await exportProjects(trx, events, checkpoint);
    return result('disbursements', checkpoint, [projects, events], () => disbursementsHxlChunks(checkpoint, projects, events));
  });
}

const STOCK_SIGN: Record<string, 1 | -1> = { stock_in: 1, stock_out: -1, distribution: -1 };
const QTY_SCALE = 10_000n;

function qtyUnits(q: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(q);
  return m ? BigInt(m[1]!) * QTY_SCALE + BigInt((m[2] ?? '').padEnd(4, '0')) : null;
}

function qtyText(units: bigint): string {
  const neg = units < 0n;
  const a = neg ? -units : units;
  const frac = (a % QTY_SCALE).toString().padStart(4, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / QTY_SCALE}${frac ? `.${frac}` : ''}`;
}

/**
 * Stock movements below the checkpoint, read from the entries themselves (goods: item, qty, unit,
 * warehouse): receipts into a warehouse count in, issues and distributions out, and the balance
 * per warehouse and item is the running sum in log order — what anyone can recompute from the log.
 * Names come from the item catalogue and the warehouse register where the entry's codes match.
 * Transfers are left out until their entries say which warehouse sends and which receives.
 */
export async function stockEvents(trx: Trx, treeSize: number): Promise<StockEvent[]> {
  const r = await sql<{ idx: number; entry: string }>`
    select idx, entry from (select idx, convert_from(entry, 'UTF8') as entry from log_entry where idx < ${treeSize}) e
    where position('"type":"stock_' in entry) > 0 or position('"type":"distribution"' in entry) > 0
    order by idx`.execute(trx);
  type Goods = { item: string; qty: string; unit: string; warehouse?: string };
  const rows: { idx: number; date: string; goods: Goods; sign: 1 | -1 }[] = [];
  for (const x of r.rows) {
    const m = parseEntry(x.entry);
    const sign = typeof m.type === 'string' ? STOCK_SIGN[m.type] : undefined;
    const g = m.goods as Goods | undefined;
    if (!sign || !g || typeof g.item !== 'string' || typeof g.qty !== 'string' || qtyUnits(g.qty) === null) continue;
    rows.push({ idx: Number(x.idx), date: entryDate(m, ''), goods: g, sign });
  }
  const itemKeys = [...new Set(rows.map((x) => x.goods.item))];
  const whKeys = [...new Set(rows.map((x) => x.goods.warehouse).filter((w): w is string => !!w))];
  const items = new Map<string, { name: string; code: string; unit: string }>();
  const warehouses = new Map<string, string>();
  if (itemKeys.length) {
    const q = await sql<{ id: string; code: string; name: string; unit: string }>`select id::text as id, code, name, unit from relief_item where code = any(${itemKeys}::text[]) or id::text = any(${itemKeys}::text[]) order by created_at`.execute(trx);
    for (const i of q.rows) for (const k of [i.id, i.code]) if (!items.has(k)) items.set(k, { name: i.name, code: i.code, unit: i.unit });
  }
  if (whKeys.length) {
    const q = await sql<{ id: string; code: string; name: string }>`select id::text as id, code, name from warehouse where code = any(${whKeys}::text[]) or id::text = any(${whKeys}::text[]) order by created_at`.execute(trx);
    for (const w of q.rows) for (const k of [w.id, w.code]) if (!warehouses.has(k)) warehouses.set(k, w.name);
  }
  const balance = new Map<string, bigint>();
  return rows.map((x) => {
    const key = `${x.goods.warehouse ?? ''}\u0000${x.goods.item}`;
    const q = qtyUnits(x.goods.qty)!;
    const next = (balance.get(key) ?? 0n) + BigInt(x.sign) * q;
    balance.set(key, next);
    const item = items.get(x.goods.item);
    return {
      idx: x.idx, date: x.date,
      warehouse: (x.goods.warehouse && warehouses.get(x.goods.warehouse)) ?? x.goods.warehouse ?? '',
      item: item?.name ?? x.goods.item, itemCode: item?.code ?? x.goods.item, unit: item?.unit ?? x.goods.unit,
      quantityIn: x.sign > 0 ? qtyText(q) : null, quantityOut: x.sign < 0 ? qtyText(q) : null, balance: qtyText(next),
    };
  });
}

export async function exportStockHxl(deps: Deps, opts: ExportOptions): Promise<ExportResult> {
  return systemCtx(deps).run(async (trx) => {
    const checkpoint = await resolveCheckpoint(trx, opts.checkpointSize);
    const events = await stockEvents(trx, checkpoint.treeSize);
    return result('stock', checkpoint, [events], () => stockHxlChunks(checkpoint, events));
  });
}
