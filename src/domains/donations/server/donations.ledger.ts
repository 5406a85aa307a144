import { sql } from 'kysely';
import type { Ctx, Deps, Trx } from '../../../platform/context.ts';
import { systemCtx } from '../../../platform/context.ts';
import { sha256Hex } from '../../../platform/crypto.ts';
import { DomainError } from '../../../platform/errors.ts';
import { requirePermission } from '../../../platform/permissions.ts';
import { fenToYuan, type LedgerEntry } from '../../ledger/ledger.contract.ts';
import { appendLedgerEntry, partyCommitment } from '../../ledger/server/ledger.append.ts';
import { linkedIndexes, proofsFor, verifierKey } from '../../ledger/server/ledger.service.ts';

/**
 * Donation events on the public ledger (docs/decisions/0012). Each call is the LAST statement of
 * the business transaction that made the event, so no event exists without its entry and no entry
 * without its event. Entries carry no personal data: a named donor appears only as a salted
 * commitment; amounts are yuan strings; `refs` name the earlier entries each event consumed and how
 * much of each (receipt → allocation → disbursement), from the gift slices the FIFO trace consumed.
 */
export const LINK = { receipt: 'donation', correction: 'donation_reversal', allocation: 'allocation', disbursement: 'disbursement' } as const;

async function unitCode(trx: Trx, unitId: string) {
  const r = await trx.selectFrom('org_unit').select(['code']).where('id', '=', unitId).executeTakeFirst();
  return r?.code ?? unitId;
}

const base = (ctx: Ctx) => ({ v: 1 as const, ts: ctx.deps.clock.now().toISOString(), currency: 'CNY' as const });

export async function logReceipt(ctx: Ctx, trx: Trx, d: { id: string; org_unit_id: string; donor_id: string; amount_fen: number; received_on: string; channel: string; designation: string; project_id: string | null }) {
  const donor = await trx.selectFrom('donor').select(['kind', 'org_unit_id']).where('id', '=', d.donor_id).executeTakeFirstOrThrow();
  // Small anonymous gifts stay unaggregated for now (one entry each, without a party).
  const party = donor.kind === 'anonymous' ? undefined : (await partyCommitment(ctx, trx, { type: 'donor', id: d.donor_id, unitId: donor.org_unit_id })).commitment;
  const entry: LedgerEntry = {
    ...base(ctx),
    type: 'receipt',
    id: d.id,
    date: d.received_on,
    org: await unitCode(trx, d.org_unit_id),
    ...(d.project_id ? { project: d.project_id } : {}),
    channel: d.channel,
    designation: d.designation,
    amount: fenToYuan(d.amount_fen),
    ...(party ? { party } : {}),
  };
  return appendLedgerEntry(trx, entry, [{ refType: LINK.receipt, refId: d.id }]);
}

/** The entries that produced the consumed slices, with how much was taken from each. */
async function refsForSlices(trx: Trx, parts: readonly { sliceId: string; amountFen: number }[]) {
  if (parts.length === 0) return [];
  const slices = await trx.selectFrom('gift_slice').select(['id', 'source_type', 'source_id']).where('id', 'in', parts.map((p) => p.sliceId)).execute();
  const byId = new Map(slices.map((s) => [s.id, s]));
  const receipts = await linkedIndexes(trx, LINK.receipt, slices.filter((s) => s.source_type === 'receipt').map((s) => s.source_id));
  const allocations = await linkedIndexes(trx, LINK.allocation, slices.filter((s) => s.source_type === 'allocation').map((s) => s.source_id));
  const idxOf = new Map<string, number>([...receipts.map((r) => [`receipt:${r.refId}`, r.idx] as const), ...allocations.map((r) => [`allocation:${r.refId}`, r.idx] as const)]);
  const sums = new Map<number, number>();
  for (const p of parts) {
    const s = byId.get(p.sliceId)!;
    const idx = idxOf.get(`${s.source_type}:${s.source_id}`);
    // Every gift confirmed since the ledger exists has its entry; money without one cannot move unseen.
    if (idx === undefined) throw new Error(`ledger: the ${s.source_type} ${s.source_id} has no ledger entry`);
    sums.set(idx, (sums.get(idx) ?? 0) + p.amountFen);
  }
  return [...sums].sort((a, b) => a[0] - b[0]).map(([i, fen]) => ({ i, amount: fenToYuan(fen) }));
}

export async function logAllocation(ctx: Ctx, trx: Trx, a: { id: string; unitId: string; projectId: string; amountFen: number; decidedOn: string; parts: readonly { sliceId: string; amountFen: number }[] }) {
  const entry: LedgerEntry = { ...base(ctx), type: 'allocation', id: a.id, date: a.decidedOn, org: await unitCode(trx, a.unitId), project: a.projectId, amount: fenToYuan(a.amountFen), refs: await refsForSlices(trx, a.parts) };
  return appendLedgerEntry(trx, entry, [{ refType: LINK.allocation, refId: a.id }]);
}

export async function logDisbursement(ctx: Ctx, trx: Trx, b: { id: string; unitId: string; fundId: string; amountFen: number; paidOn: string; category: string; parts: readonly { sliceId: string; amountFen: number }[] }) {
  const fund = await trx.selectFrom('fund').select(['project_id']).where('id', '=', b.fundId).executeTakeFirst();
  // Beneficiaries never appear: the entry says how much left which fund, for what kind of use.
  const entry: LedgerEntry = {
    ...base(ctx),
    type: 'disbursement',
    id: b.id,
    date: b.paidOn,
    org: await unitCode(trx, b.unitId),
    ...(fund?.project_id ? { project: fund.project_id } : {}),
    designation: b.category,
    amount: fenToYuan(b.amountFen),
    refs: await refsForSlices(trx, b.parts),
  };
  return appendLedgerEntry(trx, entry, [{ refType: LINK.disbursement, refId: b.id }]);
}

export async function logCorrection(ctx: Ctx, trx: Trx, c: { reversalEntryId: string; donationId: string; unitId: string; amountFen: number; date?: string }) {
  const [receipt] = await linkedIndexes(trx, LINK.receipt, [c.donationId]);
  if (!receipt) throw new Error(`ledger: the donation ${c.donationId} has no receipt entry`);
  const entry: LedgerEntry = { ...base(ctx), type: 'correction', id: c.reversalEntryId, date: c.date ?? ctx.deps.clock.now().toISOString().slice(0, 10), org: await unitCode(trx, c.unitId), amount: fenToYuan(c.amountFen), refs: [{ i: receipt.idx, amount: fenToYuan(c.amountFen) }] };
  return appendLedgerEntry(trx, entry, [{ refType: LINK.correction, refId: c.donationId }]);
}

/**
 * Money events recorded before the ledger existed (a database that ran a version without it) are
 * appended once, in journal order, each in its own transaction: receipts first, so that the
 * allocations and disbursements after them can name the entries they consumed (from the gift
 * flows the trace recorded). The entries say when they were logged (`ts`) and when the event
 * happened (`date`). Run at start-up; a no-op once every event has its entry. An advisory lock and a
 * second look inside each transaction keep two servers starting together from logging one twice.
 */
export async function backfillDonationLedger(deps: Deps): Promise<number> {
  const ctx = systemCtx(deps);
  const pending = (trx: Trx) => sql<{ id: string; kind: 'receipt' | 'allocation' | 'disbursement' | 'reversal'; ref_id: string; occurred_on: string; org_unit_id: string }>`
    select e.id, e.kind, e.ref_id, e.occurred_on, e.org_unit_id from journal_entry e
    where not exists (select 1 from log_link k where k.ref_type = (case e.kind when 'receipt' then 'donation' when 'reversal' then 'donation_reversal' else e.kind end) and k.ref_id = e.ref_id::text)
    order by e.seq`.execute(trx);
  const missing = (await ctx.run(pending)).rows;
  let logged = 0;
  for (const m of missing) {
    logged += await ctx.run(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('boai.ledger.backfill'))`.execute(trx);
      const link = m.kind === 'receipt' ? LINK.receipt : m.kind === 'reversal' ? LINK.correction : LINK[m.kind];
      if ((await linkedIndexes(trx, link, [m.ref_id])).length > 0) return 0;
      const flows = (toType: string) => trx.selectFrom('gift_flow').select(['slice_id as sliceId', 'amount_fen as amountFen']).where('to_type', '=', toType).where('to_id', '=', m.ref_id).execute();
      if (m.kind === 'receipt') {
        const d = await trx.selectFrom('donation').select(['id', 'org_unit_id', 'donor_id', 'amount_fen', 'received_on', 'channel', 'designation', 'project_id']).where('id', '=', m.ref_id).executeTakeFirstOrThrow();
        await logReceipt(ctx, trx, d);
      } else if (m.kind === 'reversal') {
        const d = await trx.selectFrom('donation').select(['amount_fen']).where('id', '=', m.ref_id).executeTakeFirstOrThrow();
        await logCorrection(ctx, trx, { reversalEntryId: m.id, donationId: m.ref_id, unitId: m.org_unit_id, amountFen: d.amount_fen, date: m.occurred_on });
      } else if (m.kind === 'allocation') {
        const a = await trx.selectFrom('allocation').select(['project_id', 'amount_fen', 'decided_on']).where('id', '=', m.ref_id).executeTakeFirstOrThrow();
        await logAllocation(ctx, trx, { id: m.ref_id, unitId: m.org_unit_id, projectId: a.project_id, amountFen: a.amount_fen, decidedOn: a.decided_on, parts: await flows('allocation') });
      } else {
        const b = await trx.selectFrom('disbursement').select(['fund_id', 'amount_fen', 'paid_on', 'category']).where('id', '=', m.ref_id).executeTakeFirstOrThrow();
        await logDisbursement(ctx, trx, { id: m.ref_id, unitId: m.org_unit_id, fundId: b.fund_id, amountFen: b.amount_fen, paidOn: b.paid_on!, category: b.category, parts: await flows('disbursement') });
      }
      return 1;
    });
  }
  return logged;
}

const lookupHash = (code: string) => sha256Hex(`donation-lookup:${code.toUpperCase().replace(/-/g, '')}`);

/** The donor's proof bundle by the code on the receipt: every ledger entry of the gift, with inclusion proofs. */
export async function donationProofs(deps: Deps, code: string) {
  const ctx = systemCtx(deps);
  const found = await ctx.run(async (trx) => {
    const d = await trx.selectFrom('donation').select(['id', 'donor_id']).where('lookup_hash', '=', lookupHash(code)).executeTakeFirst();
    if (!d) return null;
    const flows = await trx.selectFrom('gift_flow').select(['to_type', 'to_id']).where('donation_id', '=', d.id).where('to_type', 'in', ['allocation', 'disbursement']).execute();
    const idx = [
      ...(await linkedIndexes(trx, LINK.receipt, [d.id])),
      ...(await linkedIndexes(trx, LINK.correction, [d.id])),
      ...(await linkedIndexes(trx, LINK.allocation, flows.filter((f) => f.to_type === 'allocation').map((f) => f.to_id))),
      ...(await linkedIndexes(trx, LINK.disbursement, flows.filter((f) => f.to_type === 'disbursement').map((f) => f.to_id))),
    ].map((x) => x.idx);
    const salt = await sql<{ salt: Uint8Array }>`select salt from ledger_party_salt where party_type = 'donor' and party_id = ${d.donor_id}`.execute(trx);
    return { idx, donorId: d.donor_id, salt: salt.rows[0] ? Buffer.from(salt.rows[0].salt).toString('hex') : null };
  });
  if (!found) throw new DomainError('donations.lookup_not_found');
  const p = await proofsFor(deps.db, found.idx);
  return { vkey: verifierKey(deps), ...p, party: found.salt ? { salt: found.salt, id: found.donorId } : null };
}

/**
 * What the printed receipt carries about the ledger (staff, for printing): the index of the gift's
 * receipt entry, its leaf hash, and — for a named donor — the salt and donor id behind the entry's
 * commitment, with which the donor alone can show that the entry is theirs.
 */
export async function donationLedgerRef(ctx: Ctx, donationId: string) {
  requirePermission(ctx, 'donations.write');
  return ctx.run(async (trx) => {
    const d = await trx.selectFrom('donation').select(['id', 'donor_id', 'status']).where('id', '=', donationId).executeTakeFirst();
    if (!d) throw new DomainError('donations.not_found');
    const [link] = await linkedIndexes(trx, LINK.receipt, [d.id]);
    if (!link) return { index: null, leafHash: null, party: null };
    const e = await trx.selectFrom('log_entry').select(['leaf_hash']).where('idx', '=', link.idx).executeTakeFirstOrThrow();
    const salt = await sql<{ salt: Uint8Array }>`select salt from ledger_party_salt where party_type = 'donor' and party_id = ${d.donor_id}`.execute(trx);
    return {
      index: link.idx,
      leafHash: Buffer.from(e.leaf_hash).toString('hex'),
      party: salt.rows[0] ? { salt: Buffer.from(salt.rows[0].salt).toString('hex'), id: d.donor_id } : null,
    };
  });
}

