import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeDb, type TestUser } from '../../../../tests/support/harness.ts';
import { testConfig } from '../../../../tests/support/env.ts';
import { createProject } from '../../projects/server/projects.service.ts';
import * as don from '../../donations/server/donations.service.ts';
import { backfillDonationLedger } from '../../donations/server/donations.ledger.ts';
import { ledgerEntry, type LedgerEntry } from '../ledger.contract.ts';
import { fromBase64, parseNote, parseCheckpoint, parseProofBundle, parseVerifierKey, verifyNote } from '../verify/note.ts';
import { verifyInclusion } from '../verify/tlog.ts';
import { checkConservation, verifyLedger } from '../verify/verifier.ts';
import { nodeEd25519Verify, nodeSha256 } from '../verify/node.ts';
import { checkPublicProof } from '../verify/browser.ts';
import { commitParty } from './ledger.append.ts';
import { hasher } from './merkle.ts';
import * as svc from './ledger.service.ts';

describeDb(
  'ledger: donation events',
  (h) => {
    let maker: TestUser;
    let approver: TestUser;
    beforeAll(async () => {
      maker = await h().createUser({ username: 'led.maker', unit: '330802', roles: ['staff'] });
      approver = await h().createUser({ username: 'led.approver', unit: '330802', roles: ['staff'] });
    });
    async function entries() {
      const r = await sql<{ idx: number; entry: Uint8Array }>`select idx, entry from log_entry order by idx`.execute(h().deps.db);
      return r.rows.map((x) => ledgerEntry.parse(JSON.parse(Buffer.from(x.entry).toString('utf8'))) as LedgerEntry);
    }
    const linked = async (refType: string, refId: string) => (await sql<{ idx: number }>`select idx from log_link where ref_type = ${refType} and ref_id = ${refId}`.execute(h().deps.db)).rows.map((r) => Number(r.idx));

    it('appends a receipt, an allocation, a disbursement and a correction in the same transactions, with refs that add up', async () => {
      const p = await createProject(maker.ctx, { name: '账本测试项目', kind: 'project', category: 'relief', status: 'fundraising', goalFen: 10_000_000, beneficiaryGroups: [], brandProject: false } as never);
      const company = await don.createDonor(maker.ctx, { kind: 'organisation', orgName: '衢州账本测试有限公司', publicConsent: true });
      const anon = await don.createDonor(maker.ctx, { kind: 'anonymous', publicConsent: false } as never);
      const d1 = await don.createDonation(maker.ctx, { donorId: company.id, receivedOn: '2026-05-01', channel: 'bank_transfer', amountFen: 1_000_000, designation: 'unrestricted', purpose: '秘密用途说明' });
      const c1 = await don.confirmDonation(maker.ctx, d1.id, { version: d1.version, receiptNo: '浙财L0001' });
      const d2 = await don.createDonation(maker.ctx, { donorId: anon.id, receivedOn: '2026-05-02', channel: 'wechat_pay', amountFen: 500_000, designation: 'project', projectId: p.id, receiptWaiver: 'anonymous' });
      await don.confirmDonation(maker.ctx, d2.id, { version: d2.version });
      const alloc = await don.allocate(maker.ctx, { projectId: p.id, amountFen: 300_000, decidedBy: '会长办公会', decidedOn: '2026-05-03', reason: '缺口' });
      const fund = (await don.listFunds(maker.ctx)).find((f) => f.projectId === p.id)!;
      const b = await don.submitDisbursement(maker.ctx, { fundId: fund.id, category: 'aid', beneficiaryKind: 'organisation', orgName: '某受助小学', amountFen: 600_000, paidOn: '2026-05-04', paidFrom: 'bank', purpose: '资助学生' });
      await don.decideDisbursement(approver.ctx, b.id, { version: b.version, decision: 'approve' });
      // A rejected disbursement moves no money: no entry.
      const b2 = await don.submitDisbursement(maker.ctx, { fundId: fund.id, category: 'aid', beneficiaryKind: 'organisation', orgName: '另一单位', amountFen: 100, paidOn: '2026-05-04', paidFrom: 'bank', purpose: '驳回' });
      await don.decideDisbursement(approver.ctx, b2.id, { version: b2.version, decision: 'reject', reason: '不符' });
      const d3 = await don.createDonation(maker.ctx, { donorId: company.id, receivedOn: '2026-05-05', channel: 'cash', amountFen: 12_345, designation: 'unrestricted' });
      const c3 = await don.confirmDonation(maker.ctx, d3.id, { version: d3.version, receiptNo: '浙财L0002' });
      await don.reverseDonation(maker.ctx, d3.id, '录入错误');

      const all = await entries();
      const [r1] = await linked('donation', d1.id);
      const [r2] = await linked('donation', d2.id);
      const [a1] = await linked('allocation', alloc.id);
      const [x1] = await linked('disbursement', b.id);
      const [r3] = await linked('donation', d3.id);
      const [k3] = await linked('donation_reversal', d3.id);
      expect(await linked('disbursement', b2.id)).toEqual([]);
      expect(all[r1!]).toMatchObject({ type: 'receipt', id: d1.id, amount: '10000.00', currency: 'CNY', org: '330802', designation: 'unrestricted', date: '2026-05-01' });
      expect(all[r2!]).toMatchObject({ type: 'receipt', amount: '5000.00', project: p.id });
      expect(all[r2!]!.party).toBeUndefined();
      expect(all[a1!]).toMatchObject({ type: 'allocation', amount: '3000.00', refs: [{ i: r1, amount: '3000.00' }] });
      // FIFO: the project gift first, then 1,000 of the allocated money.
      expect(all[x1!]).toMatchObject({ type: 'disbursement', amount: '6000.00', refs: [{ i: r2, amount: '5000.00' }, { i: a1, amount: '1000.00' }] });
      expect(all[k3!]).toMatchObject({ type: 'correction', amount: '123.45', refs: [{ i: r3, amount: '123.45' }] });
      expect(k3!).toBeGreaterThan(r3!);
      expect(checkConservation(all)).toEqual([]);

      // No personal data: names, purposes and receipt numbers stay out; the donor is a commitment.
      const text = all.map((e) => JSON.stringify(e)).join('\n');
      for (const secret of ['衢州账本测试有限公司', '秘密用途说明', '某受助小学', '资助学生', '浙财L0001', '会长办公会', '缺口']) expect(text).not.toContain(secret);
      const salt = await sql<{ salt: Uint8Array }>`select salt from ledger_party_salt where party_id = ${company.id}`.execute(h().deps.db);
      expect(all[r1!]!.party).toBe(commitParty(salt.rows[0]!.salt, company.id));
      expect(all[r3!]!.party).toBe(all[r1!]!.party);

      // Conservation is checked from the log alone: an over-spent receipt is caught.
      expect(checkConservation([...all, { v: 1, type: 'allocation', id: 'x', ts: '2026-05-06T00:00:00Z', org: '330802', amount: '7000.01', refs: [{ i: r1!, amount: '7000.01' }] }])).toHaveLength(1);
      expect(checkConservation([...all, { v: 1, type: 'disbursement', id: 'y', ts: '2026-05-06T00:00:00Z', org: '330802', amount: '1.00', refs: [{ i: r3!, amount: '1.00' }] }]).length).toBeGreaterThan(0);
      expect(checkConservation([{ v: 1, type: 'stock_in', id: 's1', ts: '2026-05-06T00:00:00Z', org: '330802', goods: { item: 'tent', qty: '10', unit: '顶' } }, { v: 1, type: 'stock_out', id: 's2', ts: '2026-05-06T00:00:00Z', org: '330802', goods: { item: 'tent', qty: '10.5', unit: '顶' } }])).toHaveLength(1);

      // The donor's proof bundle, by the code on the receipt.
      const app = (await h().app()).app;
      const pending = await app.inject({ url: `/api/public/donations/trace/proof?code=${encodeURIComponent(c1.lookupCode)}` });
      expect(pending.statusCode).toBe(404);
      await svc.signIfGrown(h().deps);
      const res = await app.inject({ url: `/api/public/donations/trace/proof?code=${encodeURIComponent(c1.lookupCode)}` });
      expect(res.statusCode).toBe(200);
      const proof = res.json() as { vkey: string; checkpoint: string; treeSize: number; steps: { index: number; type: string; entry: string; leafHash: string; inclusion: string[]; bundle: string }[]; pending: number; party: { salt: string; id: string } };
      expect(proof.steps.map((s) => [s.index, s.type])).toEqual([[r1, 'receipt'], [a1, 'allocation'], [x1, 'disbursement']]);
      expect(proof.pending).toBe(0);
      const key = parseVerifierKey(nodeSha256, proof.vkey);
      const note = parseNote(proof.checkpoint);
      await verifyNote(note, [key], nodeEd25519Verify);
      const cp = parseCheckpoint(note.text);
      for (const s of proof.steps) {
        verifyInclusion(hasher, s.index, cp.size, hasher.leaf(Buffer.from(s.entry)), s.inclusion.map(fromBase64), cp.root);
        const bundle = parseProofBundle(s.bundle);
        expect(Buffer.from(bundle.extra!).toString('utf8')).toBe(s.entry);
        verifyInclusion(hasher, bundle.index, cp.size, hasher.leaf(bundle.extra!), bundle.proof, parseCheckpoint(parseNote(bundle.checkpoint).text).root);
      }
      expect(commitParty(Buffer.from(proof.party.salt, 'hex'), proof.party.id)).toBe(all[r1!]!.party);
      // What the public trace page runs (WebCrypto Ed25519, pure-TS SHA-256): every step verified,
      // and a changed entry or a changed checkpoint is not.
      const inPage = await checkPublicProof(proof as never);
      expect(inPage.checkpoint.ok).toBe(true);
      expect(inPage.steps.map((s) => s.ok)).toEqual([true, true, true]);
      const forged = { ...proof, steps: proof.steps.map((s, i) => (i === 1 ? { ...s, entry: s.entry.replace('3000.00', '3900.00') } : s)) };
      expect((await checkPublicProof(forged as never)).steps.map((s) => s.ok)).toEqual([true, false, true]);
      const resigned = { ...proof, checkpoint: proof.checkpoint.replace(/\n(\d+)\n/, (_m, n: string) => `\n${Number(n) + 1}\n`) };
      expect((await checkPublicProof(resigned as never)).steps.every((s) => !s.ok)).toBe(true);
      expect((await app.inject({ url: '/api/public/donations/trace/proof?code=AAAA-BBBB-CCCC-DDDD' })).statusCode).toBe(404);
      // Events after the latest checkpoint are counted as pending until the next signing.
      await don.allocate(maker.ctx, { projectId: p.id, amountFen: 1_000, decidedBy: '会长办公会', decidedOn: '2026-05-06', reason: '再分配' });
      const later = (await app.inject({ url: `/api/public/donations/trace/proof?code=${encodeURIComponent(c1.lookupCode)}` })).json() as { steps: unknown[]; pending: number };
      expect([later.steps.length, later.pending]).toEqual([3, 1]);
      await svc.signIfGrown(h().deps);
      const signedLater = (await app.inject({ url: `/api/public/donations/trace/proof?code=${encodeURIComponent(c1.lookupCode)}` })).json() as { steps: unknown[]; pending: number };
      expect([signedLater.steps.length, signedLater.pending]).toEqual([4, 0]);
      expect(c3.lookupCode).toBeTruthy();

      // And an outside monitor agrees with all of it.
      const v = await verifyLedger({ url: 'http://x', vkey: proof.vkey, state: null, sha256: nodeSha256, ed25519Verify: nodeEd25519Verify, fetch: async (u) => {
        const url = new URL(u);
        const r = await app.inject({ url: url.pathname + url.search });
        return { ok: r.statusCode < 300, status: r.statusCode, text: async () => r.body, arrayBuffer: async () => new Uint8Array(r.rawPayload).buffer };
      } });
      expect(v.checks.filter((c) => !c.ok)).toEqual([]);
    });

    it('writes no entry when the business transaction fails', async () => {
      const before = (await entries()).length;
      const donor = await don.createDonor(maker.ctx, { kind: 'organisation', orgName: '失败测试', publicConsent: false });
      const d = await don.createDonation(maker.ctx, { donorId: donor.id, receivedOn: '2026-05-07', channel: 'bank_transfer', amountFen: 100, designation: 'unrestricted' });
      await expect(don.confirmDonation(maker.ctx, d.id, { version: d.version + 1, receiptNo: 'X' })).rejects.toThrow();
      await expect(don.allocate(maker.ctx, { projectId: '00000000-0000-4000-8000-000000000000', amountFen: 1, decidedBy: 'x', decidedOn: '2026-05-07', reason: 'x' })).rejects.toThrow();
      expect((await entries()).length).toBe(before);
      const confirmed = await sql<{ n: number }>`select count(*)::int as n from donation where status <> 'draft'`.execute(h().deps.db);
      const receipts = (await entries()).filter((e) => e.type === 'receipt').length;
      expect(receipts).toBe(confirmed.rows[0]!.n);
    });

    it('appends the money events of a database that ran without the ledger, once, in journal order, with refs that add up', async () => {
      // The state of a database that recorded gifts before the ledger existed: an empty log (as its
      // migration left it) beside a journal full of events. Wiped here as the schema owner with triggers off.
      const events = (await sql<{ n: number }>`select count(*)::int as n from journal_entry`.execute(h().deps.db)).rows[0]!.n;
      expect(events).toBeGreaterThan(4);
      await h().deps.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`truncate log_link, checkpoint_cosignature, checkpoint, log_node, log_entry`.execute(trx);
        await sql`update log_head set tree_size = 0`.execute(trx);
      });
      expect(await entries()).toHaveLength(0);

      expect(await backfillDonationLedger(h().deps)).toBe(events);
      const all = await entries();
      // Goods-only gifts (none here) have no journal entry; every money event now has exactly one.
      expect(all).toHaveLength(events);
      const unlinked = await sql<{ n: number }>`select count(*)::int as n from journal_entry e where (select count(*) from log_link k
        where k.ref_type = (case e.kind when 'receipt' then 'donation' when 'reversal' then 'donation_reversal' else e.kind end) and k.ref_id = e.ref_id::text) <> 1`.execute(h().deps.db);
      expect(unlinked.rows[0]!.n).toBe(0);
      expect(checkConservation(all)).toEqual([]);
      // Journal order: each allocation and disbursement comes after the receipts it names.
      all.forEach((e, i) => (e.refs ?? []).forEach((r) => expect(r.i).toBeLessThan(i)));
      const order = await sql<{ id: string }>`select case kind when 'reversal' then id::text else ref_id::text end as id from journal_entry order by seq`.execute(h().deps.db);
      expect(all.map((e) => e.id)).toEqual(order.rows.map((r) => r.id));
      // Once only, and money recorded before can be spent again (its receipts are on the log now).
      expect(await backfillDonationLedger(h().deps)).toBe(0);
      const p = await createProject(maker.ctx, { name: '补记后项目', kind: 'project', category: 'relief', status: 'fundraising', goalFen: 1_000_000, beneficiaryGroups: [], brandProject: false } as never);
      const alloc = await don.allocate(maker.ctx, { projectId: p.id, amountFen: 100, decidedBy: '会长办公会', decidedOn: '2026-05-08', reason: '补记后分配' });
      const [a] = await linked('allocation', alloc.id);
      expect(a).toBe(events);
      expect(checkConservation(await entries())).toEqual([]);
    });
  },
  { config: () => testConfig({ BOAI_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'boai-ledger-')) }) },
);
