import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../../../platform/canonical-json.ts';
import { systemCtx, type Ctx, type Deps, type Trx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { unitByRef } from '../../orgs/server/orgs.service.ts';
import { addWorkingDays, uncoveredYears } from '../../../platform/work-calendar.ts';
import { businessSettingsIn, loadWorkCalendar } from '../../settings/server/settings.service.ts';
import { goodsSpecificationCheck } from './donations.goods.ts';
import {
  type CreateDisclosure,
  type DisclosureContent,
  type DisclosureReport,
  type DisclosureSummary,
  type GateCheck,
} from '../donations.contract.ts';

/**
 * Public disclosure (公示): the full lists — every gift received in a period (named only with the
 * donor's consent), every disbursement (persons as 姓+某), each project's money in and out, totals
 * by unit — readable without signing in; and period reports that pass a gate before they are
 * published and frozen. The gate reconciles the journal with the donation records and the units
 * with their total, and lists overdue disclosures and unspent designated money with countdowns.
 */

type Unit = { id: string; name: string; path: string };

async function scopeUnit(ctx: Ctx, ref: string | undefined): Promise<Unit> {
  if (ref) {
    const u = await unitByRef(ctx, ref);
    if (!u) throw new DomainError('not_found');
    return u;
  }
  const root = await ctx.run((trx) => trx.selectFrom('org_unit').select(['id', 'name', 'path']).where('parent_id', 'is', null).where('synthetic', '=', false).orderBy('path').executeTakeFirst());
  if (!root) throw new DomainError('not_found');
  return root;
}

const hiOf = (path: string) => `${path.slice(0, -1)}0`;
const maskPerson = (name: string | null) => (name ? `${[...name][0]}某` : '受助人');

async function donationRows(trx: Trx, unit: Unit, from: string, to: string, limit: number, after?: { d: string; n: string }) {
  const r = await sql<{ number: string; received_on: string; kind: string; org_name: string | null; person_name: string | null; public_consent: boolean; amount_fen: string; designation: string; project_name: string | null; unit_name: string; id: string; goods: string | null; goods_value_fen: string }>`
    select d.id, d.number, d.received_on, d.goods_value_fen::text,
      (select string_agg(l.item_name || '（' || l.spec || '）×' || trim_scale(l.quantity)::text || l.unit, '；' order by l.seq) from donation_goods_line l where l.donation_id = d.id) as goods, o.kind, o.org_name, case when o.public_consent and o.kind = 'person' then (select p.name from person p where p.id = o.person_id and p.erased_at is null) end as person_name,
      o.public_consent, d.amount_fen::text, d.designation, pr.name as project_name, u.name as unit_name
    from donation d join donor o on o.id = d.donor_id join org_unit u on u.id = d.org_unit_id left join project pr on pr.id = d.project_id
    where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hiOf(unit.path)}
      ${after ? sql`and (d.received_on, d.number) > (${after.d}, ${after.n})` : sql``}
    order by d.received_on, d.number limit ${limit}`.execute(trx);
  return r.rows.map((x) => ({
    id: x.id,
    item: {
      number: x.number,
      receivedOn: x.received_on,
      donorName: x.kind === 'anonymous' ? '匿名' : !x.public_consent ? (x.kind === 'person' ? '爱心人士' : '爱心单位') : x.kind === 'organisation' ? x.org_name! : (x.person_name ?? '爱心人士'),
      amountFen: Number(x.amount_fen),
      designation: x.designation as 'unrestricted' | 'project' | 'beneficiary',
      projectName: x.project_name,
      unitName: x.unit_name,
      goods: x.goods,
      goodsValueFen: Number(x.goods_value_fen),
    },
  }));
}

async function disbursementRows(trx: Trx, unit: Unit, from: string, to: string) {
  const r = await sql<{ paid_on: string; amount_fen: string; org_name: string | null; person_name: string | null; beneficiary_kind: string; purpose: string; fund_name: string; category: string; unit_name: string }>`
    select b.paid_on, b.amount_fen::text, b.org_name, (select p.name from person p where p.id = b.person_id) as person_name, b.beneficiary_kind, b.purpose, f.name as fund_name, b.category, u.name as unit_name
    from disbursement b join fund f on f.id = b.fund_id join org_unit u on u.id = b.org_unit_id
    where b.status = 'approved' and b.paid_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hiOf(unit.path)}
    order by b.paid_on, b.created_at`.execute(trx);
  return r.rows.map((x) => ({
    paidOn: x.paid_on,
    amountFen: Number(x.amount_fen),
    beneficiary: x.beneficiary_kind === 'person' ? maskPerson(x.person_name) : x.org_name!,
    purpose: x.purpose,
    fundName: x.fund_name,
    category: x.category as 'aid' | 'management',
    unitName: x.unit_name,
  }));
}

async function summaryOf(trx: Trx, unit: Unit, from: string, to: string): Promise<DisclosureSummary> {
  const hi = hiOf(unit.path);
  const children = await trx.selectFrom('org_unit').select(['id', 'name', 'path']).where('parent_id', '=', unit.id).orderBy('sort_order').orderBy('name').execute();
  const byBucket = await sql<{ bucket: string; received: string; goods: string; n: number }>`
    select left(u.path, ${unit.path.length + 37}) as bucket, sum(d.amount_fen)::text as received, sum(d.goods_value_fen)::text as goods, count(*)::int as n
    from donation d join org_unit u on u.id = d.org_unit_id
    where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi} group by 1`.execute(trx);
  const paidBucket = await sql<{ bucket: string; paid: string; mgmt: string }>`
    select left(u.path, ${unit.path.length + 37}) as bucket, sum(b.amount_fen)::text as paid, coalesce(sum(b.amount_fen) filter (where b.category = 'management'), 0)::text as mgmt
    from disbursement b join org_unit u on u.id = b.org_unit_id
    where b.status = 'approved' and b.paid_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi} group by 1`.execute(trx);
  const row = (path: string) => ({
    received: Number(byBucket.rows.find((r) => r.bucket === path)?.received ?? 0),
    goods: Number(byBucket.rows.find((r) => r.bucket === path)?.goods ?? 0),
    n: byBucket.rows.find((r) => r.bucket === path)?.n ?? 0,
    paid: Number(paidBucket.rows.find((r) => r.bucket === path)?.paid ?? 0),
  });
  // The unit's own money (not a child's) is counted on its own row.
  const ownReceived = await sql<{ received: string; goods: string; n: number; paid: string }>`
    select (select coalesce(sum(amount_fen), 0) from donation where org_unit_id = ${unit.id} and status = 'confirmed' and received_on between ${from} and ${to})::text as received,
      (select coalesce(sum(goods_value_fen), 0) from donation where org_unit_id = ${unit.id} and status = 'confirmed' and received_on between ${from} and ${to})::text as goods,
      (select count(*)::int from donation where org_unit_id = ${unit.id} and status = 'confirmed' and received_on between ${from} and ${to}) as n,
      (select coalesce(sum(amount_fen), 0) from disbursement where org_unit_id = ${unit.id} and status = 'approved' and paid_on between ${from} and ${to})::text as paid`.execute(trx);
  const byUnit = [
    { unitId: unit.id, unitName: `${unit.name}（本级）`, receivedFen: Number(ownReceived.rows[0]!.received), goodsValueFen: Number(ownReceived.rows[0]!.goods), disbursedFen: Number(ownReceived.rows[0]!.paid), donationCount: ownReceived.rows[0]!.n },
    ...children.map((c) => {
      const r = row(c.path);
      return { unitId: c.id, unitName: c.name, receivedFen: r.received, goodsValueFen: r.goods, disbursedFen: r.paid, donationCount: r.n };
    }),
  ];
  const projects = await sql<{ id: string; name: string; received: string; allocated: string; paid: string }>`
    select pr.id, pr.name,
      coalesce((select sum(d.amount_fen) from donation d where d.project_id = pr.id and d.status = 'confirmed' and d.received_on between ${from} and ${to}), 0)::text as received,
      coalesce((select sum(a.amount_fen) from allocation a where a.project_id = pr.id and a.decided_on between ${from} and ${to}), 0)::text as allocated,
      coalesce((select sum(b.amount_fen) from disbursement b join fund f on f.id = b.fund_id where f.project_id = pr.id and b.status = 'approved' and b.paid_on between ${from} and ${to}), 0)::text as paid
    from project pr join org_unit u on u.id = pr.org_unit_id
    where u.path >= ${unit.path} and u.path < ${hi}`.execute(trx);
  const totals = await sql<{ received: string; goods: string; n: number; paid: string; mgmt: string }>`
    select (select coalesce(sum(d.amount_fen), 0) from donation d join org_unit u on u.id = d.org_unit_id where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi})::text as received,
      (select coalesce(sum(d.goods_value_fen), 0) from donation d join org_unit u on u.id = d.org_unit_id where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi})::text as goods,
      (select count(*)::int from donation d join org_unit u on u.id = d.org_unit_id where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi}) as n,
      (select coalesce(sum(b.amount_fen), 0) from disbursement b join org_unit u on u.id = b.org_unit_id where b.status = 'approved' and b.paid_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi})::text as paid,
      (select coalesce(sum(b.amount_fen), 0) from disbursement b join org_unit u on u.id = b.org_unit_id where b.status = 'approved' and b.category = 'management' and b.paid_on between ${from} and ${to} and u.path >= ${unit.path} and u.path < ${hi})::text as mgmt`.execute(trx);
  const t = totals.rows[0]!;
  return {
    from,
    to,
    unitName: unit.name,
    receivedFen: Number(t.received),
    goodsValueFen: Number(t.goods),
    disbursedFen: Number(t.paid),
    managementFen: Number(t.mgmt),
    donationCount: t.n,
    byUnit,
    byProject: projects.rows
      .map((p) => ({ projectId: p.id, projectName: p.name, receivedFen: Number(p.received), allocatedFen: Number(p.allocated), disbursedFen: Number(p.paid) }))
      .filter((p) => p.receivedFen || p.allocatedFen || p.disbursedFen),
  };
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const yuan = (f: number) => (f / 100).toFixed(2);

async function gate(trx: Trx, unit: Unit, from: string, to: string, summary: DisclosureSummary, list: { money: number; goods: number }, today: string): Promise<GateCheck[]> {
  const hi = hiOf(unit.path);
  const checks: GateCheck[] = [];
  // 1. The journal against the donation records, unit by unit: money received by the bank/cash
  //    accounts for the period's gifts (net of reversals) equals the confirmed gifts.
  const rec = await sql<{ unit_name: string; records: string; journal: string }>`
    select u.name as unit_name,
      coalesce((select sum(d.amount_fen) from donation d where d.org_unit_id = u.id and d.status = 'confirmed' and d.received_on between ${from} and ${to}), 0)::text as records,
      coalesce((select sum(l.amount_fen) from journal_entry e join journal_line l on l.entry_id = e.id join fund f on f.id = l.fund_id join donation d on d.id = e.ref_id
        where e.ref_type = 'donation' and f.kind in ('bank','cash') and d.org_unit_id = u.id and d.received_on between ${from} and ${to}), 0)::text as journal
    from org_unit u where u.path >= ${unit.path} and u.path < ${hi}
      and exists (select 1 from donation d where d.org_unit_id = u.id and d.received_on between ${from} and ${to})`.execute(trx);
  const off = rec.rows.filter((r) => r.records !== r.journal);
  checks.push({
    code: 'journal_matches_records', ok: off.length === 0, blocking: true,
    message: off.length === 0 ? '账务分录与捐赠记录一致' : `${off.length} 个单位的账务分录与捐赠记录不一致`,
    items: off.map((r) => ({ ref: r.unit_name, detail: `捐赠记录 ${yuan(Number(r.records))} 元，账务 ${yuan(Number(r.journal))} 元`, daysLeft: null })),
  });
  // 1b. Every fund's kept balance (what postings are checked against) equals the sum of its journal.
  const drift = await sql<{ unit_name: string; name: string; kept: string; journal: string }>`
    select u.name as unit_name, f.name, f.balance_fen::text as kept, coalesce(sum(l.amount_fen), 0)::text as journal
    from fund f join org_unit u on u.id = f.org_unit_id left join journal_line l on l.fund_id = f.id
    where u.path >= ${unit.path} and u.path < ${hi}
    group by f.id, u.name having f.balance_fen <> coalesce(sum(l.amount_fen), 0)`.execute(trx);
  checks.push({
    code: 'fund_balances_match_journal', ok: drift.rows.length === 0, blocking: true,
    message: drift.rows.length === 0 ? '各基金余额与账务分录一致' : `${drift.rows.length} 个基金的余额与账务分录不一致`,
    items: drift.rows.map((r) => ({ ref: `${r.unit_name} · ${r.name}`, detail: `余额 ${yuan(Math.abs(Number(r.kept)))} 元，分录合计 ${yuan(Math.abs(Number(r.journal)))} 元`, daysLeft: null })),
  });
  // 2. The units add up to the total (the 2020 failure: levels that differed by millions).
  const unitsSum = summary.byUnit.reduce((s, u) => s + u.receivedFen, 0);
  const paidSum = summary.byUnit.reduce((s, u) => s + u.disbursedFen, 0);
  const goodsSum = summary.byUnit.reduce((s, u) => s + (u.goodsValueFen ?? 0), 0);
  const unitsOk = unitsSum === summary.receivedFen && paidSum === summary.disbursedFen && goodsSum === (summary.goodsValueFen ?? 0);
  checks.push({
    code: 'units_sum_to_total', ok: unitsOk, blocking: true,
    message: unitsOk
      ? `各单位合计与总数一致（收入 ${yuan(unitsSum)} 元，物资 ${yuan(goodsSum)} 元，支出 ${yuan(paidSum)} 元）`
      : `各单位合计 ${yuan(unitsSum)} 元 / 物资 ${yuan(goodsSum)} 元 / ${yuan(paidSum)} 元，与总数 ${yuan(summary.receivedFen)} 元 / 物资 ${yuan(summary.goodsValueFen ?? 0)} 元 / ${yuan(summary.disbursedFen)} 元不一致`,
    items: [],
  });
  // 3. The published list is the whole list.
  checks.push({
    code: 'list_matches_summary', ok: list.money === summary.receivedFen && list.goods === (summary.goodsValueFen ?? 0), blocking: true,
    message:
      list.money === summary.receivedFen && list.goods === (summary.goodsValueFen ?? 0)
        ? '公示明细合计与汇总一致'
        : `公示明细合计 ${yuan(list.money)} 元（物资 ${yuan(list.goods)} 元），汇总 ${yuan(summary.receivedFen)} 元（物资 ${yuan(summary.goodsValueFen ?? 0)} 元）`,
    items: [],
  });
  checks.push(await goodsSpecificationCheck(trx, unit, from, to));
  // The parameters and the working-day calendar the society set (系统设置); a published report keeps them in its checks.
  const settings = await businessSettingsIn(trx);
  const ratio = summary.disbursedFen ? summary.managementFen / summary.disbursedFen : 0;
  const exempt = summary.managementFen < settings.managementExemptYuan * 100;
  checks.push({
    code: 'management_ratio', ok: exempt || ratio * 100 <= settings.managementRatioPercent, blocking: false,
    message: `管理费用占支出 ${(ratio * 100).toFixed(1)}%（提示线 ${settings.managementRatioPercent}%${exempt ? `；管理费用 ${yuan(summary.managementFen)} 元，低于 ${settings.managementExemptYuan} 元，不适用比例` : ''}）`,
    items: [],
  });
  // Countdowns: gifts not yet in a published report, due within 7 working days of receipt.
  const pending = await sql<{ number: string; received_on: string }>`
    select d.number, d.received_on from donation d join org_unit u on u.id = d.org_unit_id
    where d.status = 'confirmed' and d.received_on <= ${to} and u.path >= ${unit.path} and u.path < ${hi}
      and not exists (select 1 from disclosed_donation x join disclosure_report r on r.id = x.report_id where x.donation_id = d.id and r.status = 'published')
    order by d.received_on limit 500`.execute(trx);
  const earliest = pending.rows[0]?.received_on ?? today;
  const calendar = await loadWorkCalendar(trx, earliest < today ? earliest : today, `${Number(today.slice(0, 4)) + 1}-12-31`);
  const items = pending.rows.map((p) => {
    const due = addWorkingDays(calendar, p.received_on, settings.disclosureWorkingDays);
    return { ref: p.number, detail: `收到 ${p.received_on}，应于 ${due} 前公示`, daysLeft: daysBetween(today, due) };
  });
  const overdue = items.filter((i) => i.daysLeft! < 0);
  const missingYears = pending.rows.length ? uncoveredYears(calendar, earliest, today) : [];
  const calendarNote = missingYears.length ? `；${missingYears.join('、')} 年节假日安排未录入工作日历，只按周末计算` : '';
  checks.push({ code: 'receipts_overdue', ok: overdue.length === 0, blocking: false, message: (overdue.length ? `${overdue.length} 笔捐赠已超过 ${settings.disclosureWorkingDays} 个工作日未公示（本报告发布后即视为已公示）` : `${items.length} 笔捐赠待公示，均在期限内`) + calendarNote, items });
  // Designated money still unspent a month after it arrived.
  const idle = await sql<{ number: string; received_on: string; unspent: string }>`
    select d.number, d.received_on, sum(s.remaining_fen)::text as unspent
    from donation d join org_unit u on u.id = d.org_unit_id join gift_slice s on s.donation_id = d.id
    where d.status = 'confirmed' and d.designation <> 'unrestricted' and d.received_on <= ${to} and u.path >= ${unit.path} and u.path < ${hi}
    group by d.id having sum(s.remaining_fen) > 0 order by d.received_on limit 500`.execute(trx);
  const idleItems = idle.rows.map((r) => {
    const due = new Date(Date.parse(`${r.received_on}T00:00:00Z`) + settings.useWithinDays * 86_400_000).toISOString().slice(0, 10);
    return { ref: r.number, detail: `定向资金尚余 ${yuan(Number(r.unspent))} 元，宜于 ${due} 前使用`, daysLeft: daysBetween(today, due) };
  });
  const idleOverdue = idleItems.filter((i) => i.daysLeft < 0);
  checks.push({ code: 'use_overdue', ok: idleOverdue.length === 0, blocking: false, message: idleOverdue.length ? `${idleOverdue.length} 笔定向捐赠超过 ${settings.useWithinDays} 天仍未用完` : '定向捐赠均在使用期限内', items: idleItems });
  return checks;
}

async function content(ctx: Ctx, unit: Unit, from: string, to: string, meta: { title: string; corrects: string | null; publishedAt: string | null }): Promise<DisclosureContent & { donationIds: string[] }> {
  return ctx.run(async (trx) => {
    const rows = await donationRows(trx, unit, from, to, 100_000);
    const donations = rows.map((r) => r.item);
    const disbursements = await disbursementRows(trx, unit, from, to);
    const summary = await summaryOf(trx, unit, from, to);
    const list = { money: donations.reduce((s, d) => s + d.amountFen, 0), goods: donations.reduce((s, d) => s + (d.goodsValueFen ?? 0), 0) };
    const checks = await gate(trx, unit, from, to, summary, list, shanghaiDate(ctx.deps.clock.now()));
    return { title: meta.title, unitName: unit.name, periodStart: from, periodEnd: to, corrects: meta.corrects, summary, donations, disbursements, checks, publishedAt: meta.publishedAt, donationIds: rows.map((r) => r.id) };
  });
}

// ---------------------------------------------------------------- public reads (no login)

export async function publicDonations(deps: Deps, q: { from: string; to: string; unit?: string | undefined; cursor?: string | undefined; limit: number }) {
  const ctx = systemCtx(deps);
  const unit = await scopeUnit(ctx, q.unit);
  let after: { d: string; n: string } | undefined;
  if (q.cursor) {
    try {
      after = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as { d: string; n: string };
      if (typeof after.d !== 'string' || typeof after.n !== 'string') throw new Error('bad');
    } catch {
      throw new DomainError('validation_failed', undefined, [{ field: 'query.cursor', code: 'invalid_cursor', message: '分页游标无效' }]);
    }
  }
  const rows = await ctx.run((trx) => donationRows(trx, unit, q.from, q.to, q.limit + 1, after));
  const page = rows.slice(0, q.limit).map((r) => r.item);
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > q.limit && last ? Buffer.from(JSON.stringify({ d: last.receivedOn, n: last.number })).toString('base64url') : null };
}

export async function publicDisbursements(deps: Deps, q: { from: string; to: string; unit?: string | undefined }) {
  const ctx = systemCtx(deps);
  const unit = await scopeUnit(ctx, q.unit);
  return ctx.run((trx) => disbursementRows(trx, unit, q.from, q.to));
}

export async function publicSummary(deps: Deps, q: { from: string; to: string; unit?: string | undefined }) {
  const ctx = systemCtx(deps);
  const unit = await scopeUnit(ctx, q.unit);
  return ctx.run((trx) => summaryOf(trx, unit, q.from, q.to));
}

// ---------------------------------------------------------------- reports

type ReportRow = NonNullable<Awaited<ReturnType<typeof reportRow>>>;
async function reportRow(ctx: Ctx, id: string) {
  return ctx.run((trx) => trx.selectFrom('disclosure_report').selectAll().where('id', '=', id).executeTakeFirst());
}

async function toReport(ctx: Ctx, r: ReportRow): Promise<DisclosureReport> {
  let c: DisclosureContent;
  if (r.status === 'published') c = JSON.parse(r.snapshot_text!) as DisclosureContent;
  else {
    const unit = await ctx.run((trx) => trx.selectFrom('org_unit').select(['id', 'name', 'path']).where('id', '=', r.org_unit_id).executeTakeFirstOrThrow());
    const { donationIds: _ids, ...live } = await content(ctx, unit, r.period_start, r.period_end, { title: r.title, corrects: r.corrects, publishedAt: null });
    c = live;
  }
  return {
    id: r.id, unitId: r.org_unit_id, title: r.title, periodStart: r.period_start, periodEnd: r.period_end, status: r.status as DisclosureReport['status'], corrects: r.corrects,
    contentHash: r.content_hash, publishedAt: r.published_at?.toISOString() ?? null, publishedByName: r.published_by_name, version: r.version, content: c,
  };
}

export async function createDisclosure(ctx: Ctx, input: CreateDisclosure) {
  requirePermission(ctx, 'donations.write');
  const unitId = input.unitId ?? ctx.actor.unitId;
  const unit = unitId ? await unitByRef(ctx, unitId) : null;
  if (!unit) throw new DomainError('donations.unit_not_found');
  if (input.corrects && !(await reportRow(ctx, input.corrects))) throw new DomainError('donations.disclosure_not_found');
  const id = crypto.randomUUID();
  const title = input.title ?? `${unit.name}红十字会捐赠款物公示（${input.periodStart} 至 ${input.periodEnd}）${input.corrects ? '（更正）' : ''}`;
  await ctx.run(async (trx) => {
    await trx.insertInto('disclosure_report').values({ id, org_unit_id: unit.id, period_start: input.periodStart, period_end: input.periodEnd, title, status: 'draft', corrects: input.corrects ?? null, snapshot_text: null, content_hash: null, published_at: null, published_by: null, published_by_name: null, created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId }).execute();
    await recordAudit(ctx, { action: 'donations.disclosure_created', entityType: 'disclosure_report', entityId: id, unitId: unit.id, after: { periodStart: input.periodStart, periodEnd: input.periodEnd, corrects: input.corrects ?? null } });
  });
  return getDisclosure(ctx, id);
}

export async function getDisclosure(ctx: Ctx, id: string) {
  requirePermission(ctx, 'donations.read');
  const r = await reportRow(ctx, id);
  if (!r) throw new DomainError('donations.disclosure_not_found');
  return toReport(ctx, r);
}

export async function listDisclosures(ctx: Ctx) {
  requirePermission(ctx, 'donations.read');
  const rows = await ctx.run((trx) => trx.selectFrom('disclosure_report').select(['id', 'org_unit_id', 'title', 'period_start', 'period_end', 'status', 'corrects', 'content_hash', 'published_at', 'published_by_name', 'version']).orderBy('period_start', 'desc').limit(500).execute());
  return rows.map((r) => ({ id: r.id, unitId: r.org_unit_id, title: r.title, periodStart: r.period_start, periodEnd: r.period_end, status: r.status as 'draft' | 'published', corrects: r.corrects, contentHash: r.content_hash, publishedAt: r.published_at?.toISOString() ?? null, publishedByName: r.published_by_name, version: r.version }));
}

/** Runs the gate and, if nothing blocks, freezes the report: canonical JSON, its SHA-256, the gifts it disclosed. */
export async function publishDisclosure(ctx: Ctx, id: string, version: number) {
  requirePermission(ctx, 'donations.write');
  return ctx.run(async (trx) => {
    const r = await reportRow(ctx, id);
    if (!r) throw new DomainError('donations.disclosure_not_found');
    if (r.status === 'published') throw new DomainError('donations.disclosure_published');
    if (r.version !== version) throw new DomainError('conflict');
    const unit = await trx.selectFrom('org_unit').select(['id', 'name', 'path']).where('id', '=', r.org_unit_id).executeTakeFirstOrThrow();
    const now = ctx.deps.clock.now();
    const { donationIds, ...c } = await content(ctx, unit, r.period_start, r.period_end, { title: r.title, corrects: r.corrects, publishedAt: now.toISOString() });
    const blocked = c.checks.filter((x) => x.blocking && !x.ok);
    if (blocked.length) throw new DomainError('donations.disclosure_blocked', { reason: blocked.map((b) => b.message).join('；') }, blocked);
    const text = canonicalJson(c);
    const hash = crypto.createHash('sha256').update(text, 'utf8').digest('hex');
    const ok = await trx
      .updateTable('disclosure_report')
      .set({ status: 'published', snapshot_text: text, content_hash: hash, published_at: now, published_by: ctx.actor.userId, published_by_name: ctx.actor.displayName ?? ctx.actor.username, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returning('id')
      .executeTakeFirst();
    if (!ok) throw new DomainError('conflict');
    for (let i = 0; i < donationIds.length; i += 1000) {
      await trx.insertInto('disclosed_donation').values(donationIds.slice(i, i + 1000).map((d) => ({ report_id: id, donation_id: d, org_unit_id: unit.id }))).onConflict((oc) => oc.doNothing()).execute();
    }
    await recordAudit(ctx, { action: 'donations.disclosure_published', entityType: 'disclosure_report', entityId: id, unitId: unit.id, after: { contentHash: hash, donations: donationIds.length } });
    return toReport(ctx, (await reportRow(ctx, id))!);
  });
}

export async function publicDisclosures(deps: Deps) {
  const ctx = systemCtx(deps);
  const rows = await ctx.run((trx) => trx.selectFrom('disclosure_report').select(['id', 'title', 'period_start', 'period_end', 'corrects', 'content_hash', 'published_at']).where('status', '=', 'published').orderBy('published_at', 'desc').limit(500).execute());
  return rows.map((r) => ({ id: r.id, title: r.title, periodStart: r.period_start, periodEnd: r.period_end, corrects: r.corrects, contentHash: r.content_hash!, publishedAt: r.published_at!.toISOString() }));
}

export async function publicDisclosure(deps: Deps, id: string) {
  const ctx = systemCtx(deps);
  const r = await reportRow(ctx, id);
  if (!r || r.status !== 'published') throw new DomainError('donations.disclosure_not_found');
  return { id: r.id, contentHash: r.content_hash!, content: JSON.parse(r.snapshot_text!) as DisclosureContent };
}
