import crypto from 'node:crypto';
import { sql } from 'kysely';
import { systemCtx } from '../src/platform/context.ts';
import { canonicalJson } from '../src/platform/canonical-json.ts';
import { buildApp } from '../src/server/app.ts';
import type { LedgerEntry } from '../src/domains/ledger/ledger.contract.ts';
import { appendLedgerEntry } from '../src/domains/ledger/server/ledger.append.ts';
import { hasher, nodeSha256 } from '../src/domains/ledger/server/merkle.ts';
import { Frontier } from '../src/domains/ledger/verify/tlog.ts';
import { measure, stats, type BenchEnv, type BenchRow } from './support.ts';

export const name = 'ledger';
export const description =
  'The verifiable ledger (docs/decisions/0012). **append**: a transaction that inserts a donation-sized business row, with and without `appendLedgerEntry` as its last statement — the difference is the cost the ledger adds to a donation write (goal ≤ 2 ms). **inclusion proof**: `GET /api/ledger/proof/inclusion` over HTTP (in-process) at 20,000 entries, against a raw primary-key read of one stored hash (goal < 5 ms). **re-verification**: recomputing the tree of 1,000,000 entries from their bytes (leaf hashes + the append frontier, as the verifier does) against the same number of raw SHA-256 calls (one per leaf, one per inner node) in a bare loop; efficiency = baseline / subject (goal ≥ 50 %). Runs at city scale only: the ledger does not depend on the org tree.';

const entry = (i: number): LedgerEntry => ({ v: 1, type: 'receipt', id: crypto.randomUUID(), ts: '2026-06-01T02:00:00.000Z', date: '2026-06-01', org: '330802', channel: 'bank_transfer', designation: 'unrestricted', amount: `${(i % 100000) + 1}.00`, currency: 'CNY', party: crypto.randomBytes(32).toString('hex') });

export async function run(env: BenchEnv): Promise<BenchRow[]> {
  if (env.scale !== 'city') return [];
  const rows: BenchRow[] = [];
  const ctx = systemCtx(env.deps);
  const db = env.deps.db;
  await sql`create table bench_business (id uuid primary key, amount_fen bigint not null, memo text not null, created_at timestamptz not null)`.execute(db);
  await sql`grant select, insert on bench_business to boai_app`.execute(db);
  const business = (trx: Parameters<Parameters<typeof ctx.run>[0]>[0]) => sql`insert into bench_business values (${crypto.randomUUID()}, 100, ${'收到捐赠 JZ-330802-2026-000001'}, now())`.execute(trx);

  // Interleave the two so that noise hits both alike.
  const base: number[] = [];
  const subj: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const t0 = performance.now();
    await ctx.run(async (trx) => {
      await business(trx);
    });
    const t1 = performance.now();
    await ctx.run(async (trx) => {
      await business(trx);
      await appendLedgerEntry(trx, entry(i));
    });
    const t2 = performance.now();
    if (i >= 200) {
      base.push(t1 - t0);
      subj.push(t2 - t1);
    }
  }
  const b = stats(base);
  const s = stats(subj);
  rows.push({ benchmark: name, backend: env.backend, scale: env.scale, scenario: 'donation-sized write ± ledger append', baseline: b, subject: s, ratio: s.mean / b.mean, note: `adds ${(s.mean - b.mean).toFixed(2)} ms mean, ${(s.p50 - b.p50).toFixed(2)} ms median (goal ≤ 2 ms)` });

  // Grow the log to 20,000 entries (1,000 per transaction), then time proofs.
  let size = Number((await sql<{ n: number }>`select tree_size as n from log_head`.execute(db)).rows[0]!.n);
  while (size < 20_000) {
    const k = Math.min(1000, 20_000 - size);
    await ctx.run(async (trx) => {
      for (let i = 0; i < k; i++) await appendLedgerEntry(trx, entry(size + i));
    });
    size += k;
  }
  await sql`analyze`.execute(db);
  const { app } = await buildApp(env.deps, { logger: false, serveWeb: false });
  try {
    let q = 0;
    const raw = await measure(() => sql`select hash from log_node where level = 0 and n = ${(q++ * 7919) % size}`.execute(db), { n: 400 });
    let p = 0;
    const proof = await measure(async () => {
      const r = await app.inject({ url: `/api/ledger/proof/inclusion?index=${(p++ * 7919) % size}&size=${size}` });
      if (r.statusCode !== 200) throw new Error(r.body);
    }, { n: 400 });
    rows.push({ benchmark: name, backend: env.backend, scale: env.scale, scenario: `inclusion proof at ${size} entries (HTTP)`, baseline: raw, subject: proof, ratio: proof.mean / raw.mean, note: `p95 ${proof.p95.toFixed(2)} ms (goal < 5 ms)` });
  } finally {
    await app.close();
  }

  // Re-verification in memory, once per run (it does not touch the database).
  if (env.backend === 'pglite') {
    const N = 1_000_000;
    const bytes: Uint8Array[] = [];
    for (let i = 0; i < N; i++) bytes.push(Buffer.from(canonicalJson(entry(i)), 'utf8'));
    const node = new Uint8Array(65);
    const baseRuns: number[] = [];
    const subjRuns: number[] = [];
    for (let r = 0; r < 3; r++) {
      let t = performance.now();
      // Raw: the same number of SHA-256 calls over the same inputs (N leaves, N-1 inner nodes).
      let sink = 0;
      for (let i = 0; i < N; i++) sink ^= nodeSha256(bytes[i]!)[0]!;
      for (let i = 0; i < N - 1; i++) sink ^= nodeSha256(node)[0]!;
      baseRuns.push(performance.now() - t);
      t = performance.now();
      const f = new Frontier(hasher);
      for (let i = 0; i < N; i++) f.push(hasher.leaf(bytes[i]!));
      sink ^= f.root()[0]!;
      subjRuns.push(performance.now() - t);
      if (sink === 256) console.log('');
    }
    const bs = stats(baseRuns);
    const ss = stats(subjRuns);
    rows.push({ benchmark: name, backend: 'memory', scale: env.scale, scenario: `re-verify ${N.toLocaleString('en')} entries (tree from bytes)`, baseline: bs, subject: ss, ratio: ss.mean / bs.mean, note: `efficiency ${((bs.mean / ss.mean) * 100).toFixed(0)} % of raw SHA-256 (goal ≥ 50 %); ${Math.round(N / (ss.mean / 1000)).toLocaleString('en')} entries/s` });
  }
  return rows;
}
