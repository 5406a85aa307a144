import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Ctx, Deps, Trx } from '../../../platform/context.ts';
import { hasPermission, systemCtx } from '../../../platform/context.ts';
import { decryptField, encryptField, sha256Hex } from '../../../platform/crypto.ts';
import { DomainError } from '../../../platform/errors.ts';
import { shanghaiDate } from '../../../platform/i18n.ts';
import { decodeCursor, pageFrom } from '../../../platform/pagination.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { z } from 'zod';
import { listAttachments } from '../../attachments/server/attachments.service.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import { getPerson } from '../../people/server/people.service.ts';
import { assertOpenForDonations, projectBrief } from '../../projects/server/projects.service.ts';
import { goodsTrace } from '../../warehouses/server/warehouses.goods.ts';
import { logStockDocument } from '../../warehouses/server/warehouses.ledger.ts';
import { goodsLinesOf, insertGoodsLines, receiveDonationGoods, resolveGoods } from './donations.goods.ts';
import { logAllocation, logCorrection, logDisbursement, logReceipt } from './donations.ledger.ts';
import type {
  CreateAllocation,
  CreateDisbursement,
  CreateDonation,
  CreateDonor,
  Disbursement,
  Donation,
  Donor,
  Fund,
  Trace,
} from '../donations.contract.ts';

/**
 * Money in, money out, and where each gift went (docs/decisions/0011).
 * - Every movement is a balanced journal entry (debit positive, credit negative), append-only;
 *   corrections are reversing entries. Balances are sums of the journal.
 * - Postings lock the funds they touch (row locks in id order) before reading balances, so
 *   concurrent disbursements cannot overdraw a fund; a commit-time trigger is the net under it.
 * - Each gift is tracked as slices per fund; allocations and disbursements consume the oldest
 *   slices first (FIFO) and record where the money went (gift_flow), which is the per-gift trace.
 */

type FundKind = 'bank' | 'cash' | 'unrestricted' | 'project' | 'designated';
const ASSET_KINDS = new Set<FundKind>(['bank', 'cash']);

const yuan = (fenAmount: number) => (fenAmount / 100).toFixed(2);

// ---------------------------------------------------------------- donors

async function personName(ctx: Ctx, personId: string) {
  try {
    const p = await getPerson(ctx, personId);
    return p.erased ? '（个人信息已删除）' : p.name;
  } catch (err) {
    // Not visible here (another unit's registration) or no right to read people: no name.
    if (err instanceof DomainError && (err.code === 'people.not_found' || err.code === 'forbidden')) return null;
    throw err;
  }
}

async function toDonor(ctx: Ctx, r: { id: string; org_unit_id: string; kind: string; person_id: string | null; org_name: string | null; credit_code: string | null; contact_name: string | null; public_consent: boolean }): Promise<Donor> {
  const name = r.kind === 'person' ? ((await personName(ctx, r.person_id!)) ?? '（其他单位登记的人员）') : r.kind === 'organisation' ? r.org_name! : '匿名';
  const publicName = r.kind === 'anonymous' ? '匿名' : r.public_consent ? name : r.kind === 'person' ? '爱心人士' : '爱心单位';
  return { id: r.id, unitId: r.org_unit_id, kind: r.kind as Donor['kind'], personId: r.person_id, name, creditCode: r.credit_code, contactName: r.contact_name, publicConsent: r.public_consent, publicName };
}

async function targetUnit(ctx: Ctx, unitId: string | undefined) {
  const id = unitId ?? ctx.actor.unitId;
  const unit = id ? await unitBrief(ctx, id) : null;
  if (!unit) throw new DomainError('donations.unit_not_found', undefined, [{ field: 'unitId', code: 'not_found', message: '单位不存在或不在管辖范围内' }]);
  return unit;
}

export async function createDonor(ctx: Ctx, input: CreateDonor) {
  requirePermission(ctx, 'donations.write');
  const unit = await targetUnit(ctx, input.unitId);
  if (input.kind === 'person' && !(await personName(ctx, input.personId!))) {
    throw new DomainError('validation_failed', undefined, [{ field: 'personId', code: 'not_found', message: '人员不存在或不在管辖范围内' }]);
  }
  return ctx.run(async (trx) => {
    const row = await trx
      .insertInto('donor')
      .values({
        id: crypto.randomUUID(),
        org_unit_id: unit.id,
        kind: input.kind,
        person_id: input.kind === 'person' ? input.personId! : null,
        org_name: input.kind === 'organisation' ? input.orgName! : null,
        credit_code: input.kind === 'organisation' ? (input.creditCode ?? null) : null,
        contact_name: input.contactName ?? null,
        public_consent: input.kind === 'anonymous' ? false : input.publicConsent,
        created_at: ctx.deps.clock.now(),
        created_by: ctx.actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(ctx, { action: 'donations.donor_created', entityType: 'donor', entityId: row.id, unitId: unit.id, after: { kind: row.kind, orgName: row.org_name, creditCode: row.credit_code, publicConsent: row.public_consent } });
    return toDonor(ctx, row);
  });
}

export async function listDonors(ctx: Ctx, q: { q?: string | undefined; limit: number }) {
  requirePermission(ctx, 'donations.read');
  const rows = await ctx.run((trx) => {
    let s = trx.selectFrom('donor').selectAll().orderBy('created_at', 'desc').limit(q.limit);
    if (q.q) s = s.where('org_name', 'like', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return s.execute();
  });
  return Promise.all(rows.map((r) => toDonor(ctx, r)));
}

// ---------------------------------------------------------------- funds and the journal

async function ensureFund(trx: Trx, ctx: Ctx, unitId: string, kind: FundKind, ref: { projectId?: string; donationId?: string; name: string }) {
  const found = await trx
    .selectFrom('fund')
    .select(['id', 'name', 'kind'])
    .where('org_unit_id', '=', unitId)
    .where('kind', '=', kind)
    .where((eb) => (ref.projectId ? eb('project_id', '=', ref.projectId) : ref.donationId ? eb('donation_id', '=', ref.donationId) : eb('project_id', 'is', null)))
    .executeTakeFirst();
  if (found) return found;
  const row = { id: crypto.randomUUID(), org_unit_id: unitId, kind, project_id: ref.projectId ?? null, donation_id: ref.donationId ?? null, name: ref.name, created_at: ctx.deps.clock.now() };
  await trx.insertInto('fund').values(row).onConflict((oc) => oc.doNothing()).execute();
  // A concurrent request may have created it first: read whichever row won.
  return ensureFundExisting(trx, unitId, kind, ref);
}

async function ensureFundExisting(trx: Trx, unitId: string, kind: FundKind, ref: { projectId?: string; donationId?: string }) {
  return trx
    .selectFrom('fund')
    .select(['id', 'name', 'kind'])
    .where('org_unit_id', '=', unitId)
    .where('kind', '=', kind)
    .where((eb) => (ref.projectId ? eb('project_id', '=', ref.projectId) : ref.donationId ? eb('donation_id', '=', ref.donationId) : eb('project_id', 'is', null)))
    .executeTakeFirstOrThrow();
}

/** Locks the funds (in id order, so two postings never wait on each other crosswise) and returns their balances. */
async function lockFunds(trx: Trx, fundIds: string[]) {
  const ids = [...new Set(fundIds)].sort();
  // The balance is kept on the fund row by the journal's insert trigger (migration 20261206T005000).
  const r = await sql<{ id: string; kind: FundKind; name: string; bal: string }>`
    select id, kind, name, balance_fen::text as bal from fund where id in (${sql.join(ids)}) order by id for update`.execute(trx);
  return new Map(r.rows.map((x) => [x.id, { kind: x.kind, name: x.name, available: ASSET_KINDS.has(x.kind) ? Number(x.bal) : 0 - Number(x.bal) }]));
}

type Line = { fundId: string; amountFen: number };

async function post(trx: Trx, ctx: Ctx, e: { unitId: string; kind: 'receipt' | 'allocation' | 'disbursement' | 'reversal'; refType: string; refId: string; occurredOn: string; memo: string; lines: Line[]; reverses?: string }) {
  const sum = e.lines.reduce((s, l) => s + l.amountFen, 0);
  if (sum !== 0 || e.lines.length < 2) throw new Error('unbalanced posting');
  const id = crypto.randomUUID();
  await trx
    .insertInto('journal_entry')
    .values({ id, org_unit_id: e.unitId, kind: e.kind, ref_type: e.refType, ref_id: e.refId, reverses: e.reverses ?? null, occurred_on: e.occurredOn, memo: e.memo, created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId })
    .execute();
  await trx.insertInto('journal_line').values(e.lines.map((l) => ({ entry_id: id, org_unit_id: e.unitId, fund_id: l.fundId, amount_fen: l.amountFen }))).execute();
  return id;
}

/** Takes `amount` from the fund's oldest slices; returns what was taken from which gift. */
async function consumeSlices(trx: Trx, fundId: string, amount: number) {
  const slices = await trx.selectFrom('gift_slice').selectAll().where('fund_id', '=', fundId).where('remaining_fen', '>', 0).orderBy('seq').execute();
  const taken: { sliceId: string; donationId: string; amountFen: number }[] = [];
  let left = amount;
  for (const s of slices) {
    if (left === 0) break;
    const take = Math.min(left, s.remaining_fen);
    await trx.updateTable('gift_slice').set({ remaining_fen: s.remaining_fen - take }).where('id', '=', s.id).execute();
    taken.push({ sliceId: s.id, donationId: s.donation_id, amountFen: take });
    left -= take;
  }
  if (left !== 0) throw new Error(`fund ${fundId}: slices hold less than its balance`);
  return taken;
}

export async function listFunds(ctx: Ctx) {
  requirePermission(ctx, 'donations.read');
  const rows = await ctx.run(
    (trx) => sql<{ id: string; org_unit_id: string; unit_name: string; kind: FundKind; name: string; project_id: string | null; donation_id: string | null; bal: string }>`
      select f.id, f.org_unit_id, boai_unit_name(f.org_unit_id) as unit_name, f.kind, f.name, f.project_id, f.donation_id, f.balance_fen::text as bal
      from fund f order by f.kind, f.name`.execute(trx),
  );
  return rows.rows.map((r): Fund => ({ id: r.id, unitId: r.org_unit_id, unitName: r.unit_name, kind: r.kind, name: r.name, projectId: r.project_id, donationId: r.donation_id, balanceFen: ASSET_KINDS.has(r.kind) ? Number(r.bal) : 0 - Number(r.bal) }));
}

// ---------------------------------------------------------------- donations

async function nextNumber(trx: Trx, unit: { id: string; code: string | null }, year: number) {
  const r = await sql<{ last: number }>`
    insert into donation_counter (org_unit_id, year, last) values (${unit.id}, ${year}, 1)
    on conflict (org_unit_id, year) do update set last = donation_counter.last + 1 returning last`.execute(trx);
  return `JZ-${unit.code ?? unit.id.slice(0, 8)}-${year}-${String(r.rows[0]!.last).padStart(6, '0')}`;
}

type DonationRow = NonNullable<Awaited<ReturnType<typeof donationRow>>>;
async function donationRow(trx: Trx, id: string) {
  return trx
    .selectFrom('donation as d')
    .innerJoin('donor as o', 'o.id', 'd.donor_id')
    .selectAll('d')
    .select(['o.kind as donor_kind', 'o.person_id as donor_person', 'o.org_name as donor_org', 'o.public_consent as donor_consent'])
    .select(sql<string>`boai_unit_name(d.org_unit_id)`.as('unit_name'))
    .select(sql<string>`coalesce((select sum(remaining_fen) from gift_slice s where s.donation_id = d.id), 0)::text`.as('unspent'))
    .where('d.id', '=', id)
    .executeTakeFirst();
}

async function toDonation(ctx: Ctx, r: DonationRow): Promise<Donation> {
  const goods = r.has_goods ? await ctx.run((trx) => goodsLinesOf(trx, r.id)) : [];
  const donorName = r.donor_kind === 'person' ? ((await personName(ctx, r.donor_person!)) ?? '（其他单位登记的人员）') : r.donor_kind === 'organisation' ? r.donor_org! : '匿名';
  const project = r.project_id ? await projectBrief(ctx, r.project_id) : null;
  return {
    id: r.id, unitId: r.org_unit_id, unitName: r.unit_name, number: r.number, receivedOn: r.received_on, donorId: r.donor_id, donorName,
    channel: r.channel as Donation['channel'], amountFen: r.amount_fen, designation: r.designation as Donation['designation'], projectId: r.project_id,
    projectName: project?.name ?? null, beneficiary: r.beneficiary, purpose: r.purpose, receiptNo: r.receipt_no, receiptWaiver: r.receipt_waiver as Donation['receiptWaiver'],
    status: r.status as Donation['status'], reversedAt: r.reversed_at?.toISOString() ?? null, reverseReason: r.reverse_reason, unspentFen: Number(r.unspent),
    goodsValueFen: r.goods_value_fen, goods, warehouseId: r.warehouse_id, goodsDocumentId: r.goods_document_id, createdAt: r.created_at.toISOString(), confirmedAt: r.confirmed_at?.toISOString() ?? null, version: r.version,
  };
}

async function loadDonation(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => donationRow(trx, id));
  if (!row) throw new DomainError('donations.not_found');
  return row;
}

export async function createDonation(ctx: Ctx, input: CreateDonation) {
  requirePermission(ctx, 'donations.write');
  const unit = await targetUnit(ctx, input.unitId);
  return ctx.run(async (trx) => {
    const donor = await trx.selectFrom('donor').select(['id', 'kind']).where('id', '=', input.donorId).executeTakeFirst();
    if (!donor) throw new DomainError('donations.donor_not_found', undefined, [{ field: 'donorId', code: 'not_found', message: '捐赠人不存在' }]);
    if (input.projectId) await assertOpenForDonations(ctx, input.projectId);
    const goods = await resolveGoods(trx, input.goods ?? [], input.warehouseId);
    const id = crypto.randomUUID();
    const number = await nextNumber(trx, unit, Number(input.receivedOn.slice(0, 4)));
    await trx
      .insertInto('donation')
      .values({
        id, org_unit_id: unit.id, number, received_on: input.receivedOn, donor_id: donor.id, channel: input.channel, amount_fen: input.amountFen ?? 0,
        has_goods: goods.length > 0, goods_value_fen: goods.reduce((t, l) => t + l.valueFen, 0), warehouse_id: goods.length ? input.warehouseId! : null,
        designation: input.designation, project_id: input.projectId ?? null, beneficiary: input.designation === 'beneficiary' ? input.beneficiary! : null,
        purpose: input.purpose ?? null, receipt_no: input.receiptNo ?? null, receipt_waiver: input.receiptWaiver ?? null, waiver_note: input.waiverNote ?? null,
        status: 'draft', reversed_at: null, reverse_reason: null, lookup_hash: null, lookup_sealed: null, note: input.note ?? null,
        created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId, confirmed_at: null, confirmed_by: null,
      })
      .execute();
    await insertGoodsLines(trx, { id, unitId: unit.id }, goods);
    await recordAudit(ctx, { action: 'donations.created', entityType: 'donation', entityId: id, unitId: unit.id, after: { number, amountFen: input.amountFen ?? 0, goods: goods.map((l) => ({ item: l.code, spec: l.spec, quantity: l.quantity, unitValueFen: l.unitValueFen })), designation: input.designation, projectId: input.projectId ?? null, channel: input.channel } });
    return toDonation(ctx, (await donationRow(trx, id))!);
  });
}

export async function getDonation(ctx: Ctx, id: string) {
  requirePermission(ctx, 'donations.read');
  return toDonation(ctx, await loadDonation(ctx, id));
}

const donationCursor = z.object({ d: z.string(), n: z.string() });

export async function listDonations(ctx: Ctx, q: { status?: 'draft' | 'confirmed' | 'reversed' | undefined; projectId?: string | undefined; from?: string | undefined; to?: string | undefined; cursor?: string | undefined; limit: number }) {
  requirePermission(ctx, 'donations.read');
  const after = decodeCursor(q.cursor, donationCursor);
  const ids = await ctx.run((trx) => {
    let s = trx.selectFrom('donation').select(['id', 'received_on', 'number']).orderBy('received_on', 'desc').orderBy('number', 'desc').limit(q.limit + 1);
    if (q.status) s = s.where('status', '=', q.status);
    if (q.projectId) s = s.where('project_id', '=', q.projectId);
    if (q.from) s = s.where('received_on', '>=', q.from);
    if (q.to) s = s.where('received_on', '<=', q.to);
    if (after) s = s.where((eb) => eb.or([eb('received_on', '<', after.d), eb.and([eb('received_on', '=', after.d), eb('number', '<', after.n)])]));
    return s.execute();
  });
  const page = pageFrom(ids, q.limit, (r) => r.id, (r) => ({ d: r.received_on, n: r.number }));
  const items = [];
  for (const id of page.items) items.push(await toDonation(ctx, (await ctx.run((trx) => donationRow(trx, id)))!));
  return { items, nextCursor: page.nextCursor };
}

/** 16 characters of base32 (80 random bits), grouped by four for printing. */
function newLookupCode() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = crypto.randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}
const lookupHash = (code: string) => sha256Hex(`donation-lookup:${code.replace(/-/g, '')}`);

/**
 * Confirms a donation: the receipt (公益事业捐赠票据) number or a recorded waiver is required (红十字会法
 * §20), a gift for a named beneficiary needs its letter attached, a project gift needs the project
 * open. Posts Dr bank/cash, Cr the designated fund, and returns the donor's lookup code.
 */
export async function confirmDonation(ctx: Ctx, id: string, input: { version: number; receiptNo?: string | undefined; receiptWaiver?: 'anonymous' | 'declined' | undefined; waiverNote?: string | null | undefined }) {
  requirePermission(ctx, 'donations.write');
  return ctx.run(async (trx) => {
    const d = await loadDonation(ctx, id);
    if (d.status !== 'draft') throw new DomainError('donations.already_confirmed');
    if (d.version !== input.version) throw new DomainError('conflict');
    const receiptNo = input.receiptNo ?? d.receipt_no;
    const waiver = input.receiptNo ? null : (input.receiptWaiver ?? d.receipt_waiver);
    if (!receiptNo && !waiver) throw new DomainError('donations.receipt_required', undefined, [{ field: 'receiptNo', code: 'required', message: '请填写票据号或不开票原因' }]);
    if (d.designation === 'beneficiary' && (await listAttachments(ctx, 'donation', id)).length === 0) throw new DomainError('donations.letter_required');
    if (d.project_id) await assertOpenForDonations(ctx, d.project_id);
    const project = d.project_id ? await projectBrief(ctx, d.project_id) : null;
    let fundName: string | null = null;
    // Money goes through the journal; goods into the warehouse (a gift may carry both).
    if (d.amount_fen > 0) {
      const asset = await ensureFund(trx, ctx, d.org_unit_id, d.channel === 'cash' ? 'cash' : 'bank', { name: d.channel === 'cash' ? '库存现金' : '银行存款' });
      const fund =
        d.designation === 'project'
          ? await ensureFund(trx, ctx, d.org_unit_id, 'project', { projectId: d.project_id!, name: `项目资金：${project?.name ?? d.project_id}` })
          : d.designation === 'beneficiary'
            ? await ensureFund(trx, ctx, d.org_unit_id, 'designated', { donationId: d.id, name: `定向资金：${d.number}（${d.beneficiary}）` })
            : await ensureFund(trx, ctx, d.org_unit_id, 'unrestricted', { name: '非定向资金' });
      await lockFunds(trx, [asset.id, fund.id]);
      await post(trx, ctx, { unitId: d.org_unit_id, kind: 'receipt', refType: 'donation', refId: d.id, occurredOn: d.received_on, memo: `收到捐赠 ${d.number}`, lines: [{ fundId: asset.id, amountFen: d.amount_fen }, { fundId: fund.id, amountFen: -d.amount_fen }] });
      await trx.insertInto('gift_slice').values({ id: crypto.randomUUID(), org_unit_id: d.org_unit_id, donation_id: d.id, fund_id: fund.id, amount_fen: d.amount_fen, remaining_fen: d.amount_fen, source_type: 'receipt', source_id: d.id }).execute();
      fundName = fund.name;
    }
    const goods = await receiveDonationGoods(ctx, trx, d);
    const code = newLookupCode();
    const now = ctx.deps.clock.now();
    const ok = await trx
      .updateTable('donation')
      .set({ status: 'confirmed', receipt_no: receiptNo, receipt_waiver: waiver, waiver_note: input.waiverNote ?? d.waiver_note, lookup_hash: lookupHash(code), lookup_sealed: encryptField(ctx.deps.keys, code, `donation-lookup:${d.id}`), confirmed_at: now, confirmed_by: ctx.actor.userId, version: d.version + 1 })
      .where('id', '=', id)
      .where('version', '=', d.version)
      .returning('id')
      .executeTakeFirst();
    if (!ok) throw new DomainError('conflict');
    await recordAudit(ctx, { action: 'donations.confirmed', entityType: 'donation', entityId: id, unitId: d.org_unit_id, after: { number: d.number, amountFen: d.amount_fen, receiptNo, receiptWaiver: waiver, fund: fundName, goodsDocument: goods?.number ?? null } });
    const receipt = await logReceipt(ctx, trx, d);
    // The goods' 入库 on the ledger, referring to the gift's receipt entry.
    if (goods) await logStockDocument(ctx, trx, goods.documentId, ['receive'], [receipt.index]);
    return { ...(await toDonation(ctx, (await donationRow(trx, id))!)), lookupCode: code };
  });
}

/** The lookup code again, for reprinting the receipt (staff only; audited). */
export async function donationLookupCode(ctx: Ctx, id: string) {
  requirePermission(ctx, 'donations.write');
  const d = await loadDonation(ctx, id);
  if (!d.lookup_sealed) throw new DomainError('donations.not_found');
  await ctx.run(() => recordAudit(ctx, { action: 'donations.lookup_code_viewed', entityType: 'donation', entityId: id, unitId: d.org_unit_id }));
  return decryptField(ctx.deps.keys, d.lookup_sealed, `donation-lookup:${d.id}`);
}

/** Reverses an untouched confirmed donation (entered in error): a reversing entry, the gift's slices emptied. */
export async function reverseDonation(ctx: Ctx, id: string, reason: string) {
  requirePermission(ctx, 'donations.write');
  return ctx.run(async (trx) => {
    const d = await loadDonation(ctx, id);
    if (d.status !== 'confirmed') throw new DomainError('donations.not_reversible');
    if (d.has_goods) throw new DomainError('donations.goods_not_reversible');
    const entry = await trx.selectFrom('journal_entry').select(['id']).where('ref_type', '=', 'donation').where('ref_id', '=', id).where('kind', '=', 'receipt').executeTakeFirstOrThrow();
    const lines = await trx.selectFrom('journal_line').select(['fund_id', 'amount_fen']).where('entry_id', '=', entry.id).execute();
    await lockFunds(trx, lines.map((l) => l.fund_id));
    const used = d.amount_fen - Number(d.unspent);
    const moved = await trx.selectFrom('gift_flow').select(sql<string>`coalesce(sum(amount_fen), 0)::text`.as('n')).where('donation_id', '=', id).executeTakeFirstOrThrow();
    if (used !== 0 || Number(moved.n) !== 0) throw new DomainError('donations.reversal_blocked', { amount: yuan(Math.max(used, Number(moved.n))) });
    const reversalId = await post(trx, ctx, { unitId: d.org_unit_id, kind: 'reversal', refType: 'donation', refId: id, reverses: entry.id, occurredOn: shanghaiDate(ctx.deps.clock.now()), memo: `冲销捐赠 ${d.number}：${reason}`, lines: lines.map((l) => ({ fundId: l.fund_id, amountFen: -l.amount_fen })) });
    const slices = await trx.selectFrom('gift_slice').select(['id', 'remaining_fen']).where('donation_id', '=', id).where('remaining_fen', '>', 0).execute();
    for (const s of slices) {
      await trx.updateTable('gift_slice').set({ remaining_fen: 0 }).where('id', '=', s.id).execute();
      await trx.insertInto('gift_flow').values({ id: crypto.randomUUID(), org_unit_id: d.org_unit_id, donation_id: id, slice_id: s.id, to_type: 'reversal', to_id: entry.id, amount_fen: s.remaining_fen, created_at: ctx.deps.clock.now() }).execute();
    }
    await trx.updateTable('donation').set({ status: 'reversed', reversed_at: ctx.deps.clock.now(), reverse_reason: reason, version: d.version + 1 }).where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'donations.reversed', entityType: 'donation', entityId: id, unitId: d.org_unit_id, details: { number: d.number, amountFen: d.amount_fen, reason } });
    await logCorrection(ctx, trx, { reversalEntryId: reversalId, donationId: id, unitId: d.org_unit_id, amountFen: d.amount_fen });
  });
}

// ---------------------------------------------------------------- allocation

export async function allocate(ctx: Ctx, input: CreateAllocation) {
  requirePermission(ctx, 'donations.allocate');
  const unit = await targetUnit(ctx, input.unitId);
  return ctx.run(async (trx) => {
    await assertOpenForDonations(ctx, input.projectId);
    const project = await projectBrief(ctx, input.projectId);
    const from = await ensureFund(trx, ctx, unit.id, 'unrestricted', { name: '非定向资金' });
    const to = await ensureFund(trx, ctx, unit.id, 'project', { projectId: input.projectId, name: `项目资金：${project?.name ?? input.projectId}` });
    const balances = await lockFunds(trx, [from.id, to.id]);
    const available = balances.get(from.id)!.available;
    if (available < input.amountFen) throw new DomainError('donations.insufficient_funds', { fund: from.name, available: yuan(available), amount: yuan(input.amountFen) }, [{ field: 'amountFen', code: 'insufficient', message: `可用 ${yuan(available)} 元` }]);
    const id = crypto.randomUUID();
    const entryId = await post(trx, ctx, { unitId: unit.id, kind: 'allocation', refType: 'allocation', refId: id, occurredOn: input.decidedOn, memo: `分配非定向资金到“${project?.name}”：${input.reason}`, lines: [{ fundId: from.id, amountFen: input.amountFen }, { fundId: to.id, amountFen: -input.amountFen }] });
    await trx.insertInto('allocation').values({ id, org_unit_id: unit.id, project_id: input.projectId, amount_fen: input.amountFen, decided_by: input.decidedBy, decided_on: input.decidedOn, reason: input.reason, document: input.document ?? null, entry_id: entryId, created_at: ctx.deps.clock.now(), created_by: ctx.actor.userId }).execute();
    const parts = await consumeSlices(trx, from.id, input.amountFen);
    for (const part of parts) {
      const sliceId = crypto.randomUUID();
      await trx.insertInto('gift_flow').values({ id: crypto.randomUUID(), org_unit_id: unit.id, donation_id: part.donationId, slice_id: part.sliceId, to_type: 'allocation', to_id: id, amount_fen: part.amountFen, created_at: ctx.deps.clock.now() }).execute();
      await trx.insertInto('gift_slice').values({ id: sliceId, org_unit_id: unit.id, donation_id: part.donationId, fund_id: to.id, amount_fen: part.amountFen, remaining_fen: part.amountFen, source_type: 'allocation', source_id: id }).execute();
    }
    await recordAudit(ctx, { action: 'donations.allocated', entityType: 'allocation', entityId: id, unitId: unit.id, after: { projectId: input.projectId, amountFen: input.amountFen, decidedBy: input.decidedBy, decidedOn: input.decidedOn, reason: input.reason, document: input.document ?? null } });
    await logAllocation(ctx, trx, { id, unitId: unit.id, projectId: input.projectId, amountFen: input.amountFen, decidedOn: input.decidedOn, parts });
    return { id, unitId: unit.id, projectId: input.projectId, amountFen: input.amountFen, decidedBy: input.decidedBy, decidedOn: input.decidedOn, reason: input.reason, document: input.document ?? null, createdAt: ctx.deps.clock.now().toISOString() };
  });
}

// ---------------------------------------------------------------- disbursement

type DisbRow = NonNullable<Awaited<ReturnType<typeof disbRow>>>;
async function disbRow(trx: Trx, id: string) {
  return trx.selectFrom('disbursement as b').innerJoin('fund as f', 'f.id', 'b.fund_id').selectAll('b').select('f.name as fund_name').where('b.id', '=', id).executeTakeFirst();
}

async function toDisbursement(ctx: Ctx, r: DisbRow): Promise<Disbursement> {
  const name = r.beneficiary_kind === 'person' ? ((await personName(ctx, r.person_id!)) ?? '（受益人）') : r.org_name!;
  return {
    id: r.id, unitId: r.org_unit_id, fundId: r.fund_id, fundName: r.fund_name, category: r.category as Disbursement['category'], beneficiaryKind: r.beneficiary_kind as Disbursement['beneficiaryKind'],
    beneficiaryName: name, amountFen: r.amount_fen, paidOn: r.paid_on, paidFrom: r.paid_from as Disbursement['paidFrom'], purpose: r.purpose, status: r.status as Disbursement['status'],
    makerId: r.maker_id, makerName: r.maker_name, approverName: r.approver_name, decidedAt: r.decided_at?.toISOString() ?? null, rejectReason: r.reject_reason, createdAt: r.created_at.toISOString(), version: r.version,
  };
}

export async function submitDisbursement(ctx: Ctx, input: CreateDisbursement) {
  requirePermission(ctx, 'donations.disburse');
  if (input.beneficiaryKind === 'person' && !(await personName(ctx, input.personId!))) {
    throw new DomainError('validation_failed', undefined, [{ field: 'personId', code: 'not_found', message: '受益人不存在或不在管辖范围内' }]);
  }
  return ctx.run(async (trx) => {
    const fund = await trx.selectFrom('fund').selectAll().where('id', '=', input.fundId).executeTakeFirst();
    if (!fund || ASSET_KINDS.has(fund.kind as FundKind)) throw new DomainError('donations.fund_not_found', undefined, [{ field: 'fundId', code: 'not_found', message: '资金账户不存在' }]);
    const bal = (await lockFunds(trx, [fund.id])).get(fund.id)!.available;
    if (bal < input.amountFen) throw new DomainError('donations.insufficient_funds', { fund: fund.name, available: yuan(bal), amount: yuan(input.amountFen) }, [{ field: 'amountFen', code: 'insufficient', message: `可用 ${yuan(bal)} 元` }]);
    const id = crypto.randomUUID();
    await trx
      .insertInto('disbursement')
      .values({
        id, org_unit_id: fund.org_unit_id, fund_id: fund.id, category: input.category, beneficiary_kind: input.beneficiaryKind, person_id: input.personId ?? null, org_name: input.orgName ?? null,
        amount_fen: input.amountFen, paid_on: input.paidOn, paid_from: input.paidFrom, purpose: input.purpose, status: 'submitted', maker_id: ctx.actor.userId!, maker_name: ctx.actor.displayName ?? ctx.actor.username,
        approver_id: null, approver_name: null, decided_at: null, reject_reason: null, entry_id: null, created_at: ctx.deps.clock.now(),
      })
      .execute();
    await recordAudit(ctx, { action: 'donations.disbursement_submitted', entityType: 'disbursement', entityId: id, unitId: fund.org_unit_id, after: { fund: fund.name, amountFen: input.amountFen, purpose: input.purpose, category: input.category } });
    return toDisbursement(ctx, (await disbRow(trx, id))!);
  });
}

/** Maker-checker: someone other than the maker approves; approval posts the payment and consumes the fund's gifts first in, first out. */
export async function decideDisbursement(ctx: Ctx, id: string, input: { version: number; decision: 'approve' | 'reject'; reason?: string | null | undefined }) {
  requirePermission(ctx, 'donations.approve');
  return ctx.run(async (trx) => {
    const b = await disbRow(trx, id);
    if (!b) throw new DomainError('not_found');
    if (b.maker_id === ctx.actor.userId) throw new DomainError('donations.self_approval');
    const asset = await ensureFund(trx, ctx, b.org_unit_id, b.paid_from as FundKind, { name: b.paid_from === 'cash' ? '库存现金' : '银行存款' });
    const balances = await lockFunds(trx, [b.fund_id, asset.id]);
    // Re-read under the lock: a concurrent decision may have got here first.
    const current = await trx.selectFrom('disbursement').select(['status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    if (current.status !== 'submitted') throw new DomainError('donations.not_pending', { status: current.status });
    if (current.version !== input.version) throw new DomainError('conflict');
    const now = ctx.deps.clock.now();
    const approver = ctx.actor.displayName ?? ctx.actor.username;
    if (input.decision === 'reject') {
      await trx.updateTable('disbursement').set({ status: 'rejected', approver_id: ctx.actor.userId, approver_name: approver, decided_at: now, reject_reason: input.reason ?? null, version: current.version + 1 }).where('id', '=', id).execute();
      await recordAudit(ctx, { action: 'donations.disbursement_rejected', entityType: 'disbursement', entityId: id, unitId: b.org_unit_id, details: { reason: input.reason ?? null } });
      return toDisbursement(ctx, (await disbRow(trx, id))!);
    }
    for (const [fundId, need] of [[b.fund_id, b.amount_fen], [asset.id, b.amount_fen]] as const) {
      const f = balances.get(fundId)!;
      if (f.available < need) throw new DomainError('donations.insufficient_funds', { fund: f.name, available: yuan(f.available), amount: yuan(need) });
    }
    const entryId = await post(trx, ctx, { unitId: b.org_unit_id, kind: 'disbursement', refType: 'disbursement', refId: id, occurredOn: b.paid_on, memo: `拨付：${b.purpose}`, lines: [{ fundId: b.fund_id, amountFen: b.amount_fen }, { fundId: asset.id, amountFen: -b.amount_fen }] });
    const parts = await consumeSlices(trx, b.fund_id, b.amount_fen);
    for (const part of parts) {
      await trx.insertInto('gift_flow').values({ id: crypto.randomUUID(), org_unit_id: b.org_unit_id, donation_id: part.donationId, slice_id: part.sliceId, to_type: 'disbursement', to_id: id, amount_fen: part.amountFen, created_at: now }).execute();
    }
    await trx.updateTable('disbursement').set({ status: 'approved', approver_id: ctx.actor.userId, approver_name: approver, decided_at: now, entry_id: entryId, version: current.version + 1 }).where('id', '=', id).execute();
    await recordAudit(ctx, { action: 'donations.disbursement_approved', entityType: 'disbursement', entityId: id, unitId: b.org_unit_id, details: { amountFen: b.amount_fen, fund: b.fund_name } });
    await logDisbursement(ctx, trx, { id, unitId: b.org_unit_id, fundId: b.fund_id, amountFen: b.amount_fen, paidOn: b.paid_on, category: b.category, parts });
    return toDisbursement(ctx, (await disbRow(trx, id))!);
  });
}

export async function getDisbursement(ctx: Ctx, id: string) {
  requirePermission(ctx, 'donations.read');
  const row = await ctx.run((trx) => disbRow(trx, id));
  if (!row) throw new DomainError('not_found');
  return toDisbursement(ctx, row);
}

/** Allocations of unrestricted money to projects, newest first (with the decision record). */
export async function listAllocations(ctx: Ctx, q: { projectId?: string | undefined }) {
  requirePermission(ctx, 'donations.read');
  const rows = await ctx.run((trx) => {
    let s = trx.selectFrom('allocation').selectAll().orderBy('decided_on', 'desc').orderBy('created_at', 'desc').limit(500);
    if (q.projectId) s = s.where('project_id', '=', q.projectId);
    return s.execute();
  });
  return rows.map((r) => ({ id: r.id, unitId: r.org_unit_id, projectId: r.project_id, amountFen: r.amount_fen, decidedBy: r.decided_by, decidedOn: r.decided_on, reason: r.reason, document: r.document, createdAt: r.created_at.toISOString() }));
}

export async function listDisbursements(ctx: Ctx, q: { status?: 'submitted' | 'approved' | 'rejected' | undefined }) {
  requirePermission(ctx, 'donations.read');
  return ctx.run(async (trx) => {
    let s = trx.selectFrom('disbursement').select('id').orderBy('created_at', 'desc').limit(500);
    if (q.status) s = s.where('status', '=', q.status);
    const out = [];
    for (const r of await s.execute()) out.push(await toDisbursement(ctx, (await disbRow(trx, r.id))!));
    return out;
  });
}

// ---------------------------------------------------------------- trace

async function buildTrace(ctx: Ctx, trx: Trx, d: DonationRow, forPublic: boolean): Promise<Trace> {
  const donorName = forPublic
    ? d.donor_kind === 'anonymous' ? '匿名' : d.donor_consent ? (d.donor_kind === 'organisation' ? d.donor_org! : ((await personName(ctx, d.donor_person!)) ?? '爱心人士')) : d.donor_kind === 'person' ? '爱心人士' : '爱心单位'
    : d.donor_kind === 'person' ? ((await personName(ctx, d.donor_person!)) ?? '（其他单位登记的人员）') : d.donor_kind === 'organisation' ? d.donor_org! : '匿名';
  const receiptFund = await trx.selectFrom('gift_slice as s').innerJoin('fund as f', 'f.id', 's.fund_id').select(['f.name']).where('s.donation_id', '=', d.id).where('s.source_type', '=', 'receipt').executeTakeFirst();
  const steps: Trace['steps'] = [{ kind: 'receipt', date: d.received_on, amountFen: d.amount_fen, to: receiptFund?.name ?? '待确认', purpose: d.purpose, refId: d.id }];
  const flows = await trx
    .selectFrom('gift_flow as g')
    .leftJoin('allocation as a', (j) => j.onRef('a.id', '=', 'g.to_id').on('g.to_type', '=', 'allocation'))
    .leftJoin('disbursement as b', (j) => j.onRef('b.id', '=', 'g.to_id').on('g.to_type', '=', 'disbursement'))
    .select(['g.to_type', 'g.to_id', 'g.amount_fen', 'g.created_at', 'a.project_id', 'a.decided_on', 'a.reason', 'b.paid_on', 'b.purpose', 'b.beneficiary_kind', 'b.person_id', 'b.org_name'])
    .where('g.donation_id', '=', d.id)
    .orderBy('g.created_at')
    .execute();
  let spent = 0;
  for (const f of flows) {
    if (f.to_type === 'allocation') {
      const p = f.project_id ? await projectBrief(ctx, f.project_id) : null;
      steps.push({ kind: 'allocation', date: f.decided_on ?? shanghaiDate(f.created_at), amountFen: f.amount_fen, to: `项目：${p?.name ?? '—'}`, purpose: f.reason, refId: f.to_id });
    } else if (f.to_type === 'disbursement') {
      spent += f.amount_fen;
      // Beneficiaries who are persons are shown by surname only in public; staff see the name.
      let who = f.org_name ?? '';
      if (f.beneficiary_kind === 'person') {
        const name = (await personName(ctx, f.person_id!)) ?? '受益人';
        who = forPublic ? `${[...name][0] ?? ''}某` : name;
      }
      steps.push({ kind: 'disbursement', date: f.paid_on ?? shanghaiDate(f.created_at), amountFen: f.amount_fen, to: who, purpose: f.purpose, refId: f.to_id });
    } else steps.push({ kind: 'reversal', date: shanghaiDate(f.created_at), amountFen: -f.amount_fen, to: '冲销', purpose: d.reverse_reason, refId: f.to_id });
  }
  // Goods: followed by the warehouses domain from the 入库单 sourced from this gift.
  const goods = d.has_goods ? await goodsLinesOf(trx, d.id) : [];
  const goodsFlow = d.has_goods && d.goods_document_id && hasPermission(ctx.actor, 'warehouses.read') ? await goodsTrace(ctx, 'donation', d.id) : null;
  return {
    donation: { number: d.number, receivedOn: d.received_on, amountFen: d.amount_fen, designation: d.designation as Trace['donation']['designation'], donorName, unitName: d.unit_name },
    steps: d.amount_fen > 0 ? steps : [],
    spentFen: spent,
    unspentFen: Number(d.unspent),
    goods,
    goodsTrace: goodsFlow,
  };
}

export async function donationTrace(ctx: Ctx, id: string) {
  requirePermission(ctx, 'donations.read');
  return ctx.run(async (trx) => buildTrace(ctx, trx, await loadDonation(ctx, id), false));
}

/** The donor's own view, by the code on the receipt: no login, no enumeration (80-bit codes, rate limited at the route). */
export async function publicTrace(deps: Deps, code: string) {
  const ctx = systemCtx(deps);
  return ctx.run(async (trx) => {
    const hit = await trx.selectFrom('donation').select('id').where('lookup_hash', '=', lookupHash(code.toUpperCase())).executeTakeFirst();
    if (!hit) throw new DomainError('donations.lookup_not_found');
    return buildTrace(ctx, trx, (await donationRow(trx, hit.id))!, true);
  });
}

/** The unit of a donation the caller can see (attachments: letters and agreements). */
export async function donationUnit(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => trx.selectFrom('donation').select('org_unit_id').where('id', '=', id).executeTakeFirst());
  return row?.org_unit_id ?? null;
}
