import crypto from 'node:crypto';
import { sql } from 'kysely';
import { makeCtx, systemCtx, type Ctx, type Deps } from '../src/platform/context.ts';
import { sha256Hex } from '../src/platform/crypto.ts';
import { createAccountWithPassword } from '../src/domains/accounts/server/accounts.service.ts';
import { confirmDonation, createDonation, createDonor, donationTrace, publicTrace } from '../src/domains/donations/server/donations.service.ts';
import { publicDonations, publicSummary } from '../src/domains/donations/server/donations.disclosure.ts';
import { measure, type BenchEnv, type BenchRow } from './support.ts';

export const name = 'donations';
export const description =
  'Donations (issue 5). **write**: `createDonation` + `confirmDonation` (draft, number, audit; then fund locks with their kept balances, the double-entry receipt, the gift slice, the public-ledger append, audit) against raw INSERTs of the same rows (donation, journal entry, 2 journal lines, gift slice) in one transaction, both into the funds of 柯城区 (330802), which already hold its share of the background. **trace**: `donationTrace` (staff of 柯城区) and `publicTrace` (by lookup code) against the bare SQL returning the same donation, receipt fund, unspent sum and flows. **public list**: `publicDonations` (first page of 100) and `publicSummary` for one month of 柯城区 and of the whole city, against the bare SQL returning the same rows / the same per-child sums. Background: confirmed money donations generated set-based (half at the city, county and zone units, half spread over every unit; 5 years to 2026-05-31), each with its balanced receipt entry and gift slice (no ledger entries: spending a background gift through the service would need one). Sizes are in each scale’s write row.';

/**
 * Background donations per run. City scale on PostgreSQL is the issue's 1,000,000; the others are
 * smaller to keep one run within minutes on two shared cores (PGlite loads ~2× slower per row; a province's
 * real volume, ~27 M, is out of reach for a benchmark run). The row notes give the sizes used.
 */
const SIZE: Record<string, number> = { 'postgres:city': 1_000_000, 'postgres:province': 300_000, 'pglite:city': 200_000, 'pglite:province': 100_000 };
// For a quick trial of the benchmark itself: BENCH_DONATIONS=20000 npm run bench -- donations.
const sizeOf = (key: string) => Number(process.env.BENCH_DONATIONS ?? SIZE[key]);
const PASSWORD = 'Bench-Pass-2026-ok';

async function staffCtx(deps: Deps, unitId: string): Promise<Ctx> {
  const userId = await createAccountWithPassword(deps, { username: 'bench.donations', displayName: '基准测试', unitId, roles: ['staff'], password: PASSWORD });
  const system = systemCtx(deps);
  const row = await system.run((trx) => trx.selectFrom('app_user as u').innerJoin('org_unit as o', 'o.id', 'u.org_unit_id').select(['u.username', 'u.display_name', 'u.org_unit_id', 'o.path']).where('u.id', '=', userId).executeTakeFirstOrThrow());
  const perms = await system.run((trx) => trx.selectFrom('user_role as ur').innerJoin('role_permission as rp', 'rp.role_id', 'ur.role_id').innerJoin('role as r', 'r.id', 'ur.role_id').select(['rp.permission', 'r.code']).where('ur.user_id', '=', userId).execute());
  return makeCtx(deps, { kind: 'user', userId, username: row.username, displayName: row.display_name, unitId: row.org_unit_id, scopePath: row.path, permissions: new Set(perms.map((p) => p.permission)), roles: [...new Set(perms.map((p) => p.code))] });
}

/**
 * The background, set-based, as the schema owner with triggers off (bulk load, as warehouses does):
 * a million per-row balance updates and deferred checks would dominate the load. The kept balances
 * are set once, and the invariants the triggers enforce are then checked set-based below.
 */
async function load(env: BenchEnv, n: number, cityPath: string) {
  const db = env.deps.db;
  const scopeHi = `${cityPath.slice(0, -1)}0`;
  // Units that receive the background: the city's subtree at city scale, every unit at province scale.
  const scope = env.scale === 'city' ? sql`u.path >= ${cityPath} and u.path < ${scopeHi}` : sql`true`;
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    // Half the gifts go to the city, county and zone units (depth ≤ 1), half spread over every unit.
    await sql`create temporary table bench_pick on commit drop as
      select 'all' as pool, row_number() over (order by u.path) - 1 as i, u.id, coalesce(u.code, left(u.id::text, 8)) as code from org_unit u where ${scope}
      union all
      select 'top', row_number() over (order by u.path) - 1, u.id, coalesce(u.code, left(u.id::text, 8)) from org_unit u where ${scope} and u.depth <= 1`.execute(trx);
    const counts = (await sql<{ nu: number; nt: number }>`select count(*) filter (where pool = 'all')::int as nu, count(*) filter (where pool = 'top')::int as nt from bench_pick`.execute(trx)).rows[0]!;
    await sql`insert into fund (id, org_unit_id, kind, name, created_at)
      select gen_random_uuid(), u.id, k.kind, k.name, now() from bench_pick u cross join (values ('bank', '银行存款'), ('unrestricted', '非定向资金')) k(kind, name)
      where u.pool = 'all' on conflict do nothing`.execute(trx);
    // 20 donors registered at each unit (the donor of a gift is in the receiving unit's jurisdiction,
    // as the service requires); kinds mixed, a third consent to be named.
    await sql`insert into donor (id, org_unit_id, kind, org_name, public_consent, created_at)
      select gen_random_uuid(), t.id, case when g % 5 = 0 then 'anonymous' else 'organisation' end, case when g % 5 = 0 then null else '捐赠单位' || t.code || '-' || g end, g % 3 = 0 and g % 5 <> 0, now()
      from bench_pick t cross join generate_series(0, 19) g where t.pool = 'all'`.execute(trx);
    await sql`create temporary table bench_donor on commit drop as
      select d.org_unit_id, row_number() over (partition by d.org_unit_id order by d.id) - 1 as i, d.id from donor d where d.org_name like '捐赠单位%' or d.kind = 'anonymous'`.execute(trx);
    await sql`create temporary table bench_new on commit drop as select id, org_unit_id, amount_fen, received_on, number, created_at from donation where false`.execute(trx);
    await sql`with ins as (
        insert into donation (id, org_unit_id, number, received_on, donor_id, channel, amount_fen, designation, receipt_no, status, lookup_hash, created_at, confirmed_at)
        select gen_random_uuid(), u.id, 'JZ-' || u.code || '-' || extract(year from x.d)::int || '-B' || lpad(x.g::text, 7, '0'), x.d, o.id,
          (array['bank_transfer','wechat_pay','alipay','online_platform'])[1 + (x.g % 4)::int], 100 + (x.g * 7919) % 5000000, 'unrestricted', 'B' || x.g, 'confirmed',
          encode(sha256(convert_to('donation-lookup:BENCH' || x.g, 'UTF8')), 'hex'), x.d::timestamptz, x.d::timestamptz
        from (select g, date '2021-06-01' + ((g * 104729) % 1826)::int as d,
                case when g % 2 = 0 then 'top' else 'all' end as pool, case when g % 2 = 0 then (g / 2) % ${counts.nt} else (g / 2) % ${counts.nu} end as i
              from generate_series(1::bigint, ${n}) g) x
        join bench_pick u on u.pool = x.pool and u.i = x.i
        join bench_donor o on o.org_unit_id = u.id and o.i = x.g % 20
        returning id, org_unit_id, amount_fen, received_on, number, created_at)
      insert into bench_new select * from ins`.execute(trx);
    await sql`insert into journal_entry (id, org_unit_id, kind, ref_type, ref_id, occurred_on, memo, created_at)
      select gen_random_uuid(), d.org_unit_id, 'receipt', 'donation', d.id, d.received_on, '收到捐赠 ' || d.number, d.created_at from bench_new d`.execute(trx);
    await sql`insert into journal_line (entry_id, org_unit_id, fund_id, amount_fen)
      select e.id, e.org_unit_id, f.id, case when f.kind = 'bank' then d.amount_fen else -d.amount_fen end
      from bench_new d join journal_entry e on e.ref_id = d.id and e.ref_type = 'donation' join fund f on f.org_unit_id = d.org_unit_id and f.kind in ('bank', 'unrestricted') and f.project_id is null`.execute(trx);
    await sql`insert into gift_slice (id, org_unit_id, donation_id, fund_id, amount_fen, remaining_fen, source_type, source_id)
      select gen_random_uuid(), d.org_unit_id, d.id, f.id, d.amount_fen, d.amount_fen, 'receipt', d.id
      from bench_new d join fund f on f.org_unit_id = d.org_unit_id and f.kind = 'unrestricted'`.execute(trx);
    // The balances the journal's insert trigger keeps, set once for the whole load.
    await sql`update fund f set balance_fen = s.total from (select fund_id, sum(amount_fen) as total from journal_line group by fund_id) s where f.id = s.fund_id`.execute(trx);
  });
  await sql`analyze`.execute(db);
  // What the deferred triggers would have checked, set-based: every entry balances with two lines,
  // no fund on the wrong side of zero, one slice per confirmed gift holding its whole amount.
  const bad = (await sql<{ entries: number; funds: number; slices: number }>`
    select (select count(*)::int from (select e.id from journal_entry e left join journal_line l on l.entry_id = e.id group by e.id having coalesce(sum(l.amount_fen), 0) <> 0 or count(l.id) < 2) x) as entries,
      (select count(*)::int from (select f.id from fund f join journal_line l on l.fund_id = f.id group by f.id, f.kind
        having (f.kind in ('bank','cash') and sum(l.amount_fen) < 0) or (f.kind not in ('bank','cash') and sum(l.amount_fen) > 0) or f.balance_fen <> sum(l.amount_fen)) y) as funds,
      (select count(*)::int from donation d where d.status = 'confirmed' and d.amount_fen <> (select coalesce(sum(s.amount_fen), 0) from gift_slice s where s.donation_id = d.id and s.source_type = 'receipt')) as slices`.execute(db)).rows[0]!;
  if (bad.entries || bad.funds || bad.slices) throw new Error(`background breaks the journal invariants: ${JSON.stringify(bad)}`);
}

export async function run(env: BenchEnv): Promise<BenchRow[]> {
  const { deps } = env;
  const db = deps.db;
  const n = sizeOf(`${env.backend}:${env.scale}`);
  const unit = async (code: string) => db.selectFrom('org_unit').select(['id', 'path']).where('code', '=', code).executeTakeFirstOrThrow();
  const city = await unit('330800');
  const county = await unit('330802');
  const t0 = performance.now();
  await load(env, n, city.path);
  const loadSeconds = (performance.now() - t0) / 1000;
  const sizes = (await sql<{ d: number; u: number; c: number; f: number }>`
    select (select count(*)::int from donation) as d, (select count(*)::int from org_unit) as u,
      (select count(*)::int from donation d where d.org_unit_id = ${county.id}) as c,
      (select count(*)::int from journal_line l join fund f on f.id = l.fund_id where f.org_unit_id = ${county.id} and f.kind = 'bank') as f`.execute(db)).rows[0]!;
  const loadNote = `${sizes.d.toLocaleString('en')} donations over ${sizes.u.toLocaleString('en')} units, loaded in ${loadSeconds.toFixed(0)} s; 柯城区’s bank fund has ${sizes.f.toLocaleString('en')} lines`;
  const rows: BenchRow[] = [];
  const row = (scenario: string, baseline: { mean: number; p95: number } & Record<string, number>, subject: typeof baseline, note?: string): BenchRow => ({ benchmark: name, backend: env.backend, scale: env.scale, scenario, baseline: baseline as never, subject: subject as never, ratio: subject.mean / baseline.mean, ...(note ? { note } : {}) });

  // (1) the donation write.
  const ctx = await staffCtx(deps, county.id);
  const donor = await createDonor(ctx, { kind: 'organisation', orgName: '衢州基准测试有限公司', publicConsent: true });
  const funds = (await sql<{ kind: string; id: string }>`select kind, id from fund where org_unit_id = ${county.id} and kind in ('bank', 'unrestricted')`.execute(db)).rows;
  const bank = funds.find((f) => f.kind === 'bank')!.id;
  const free = funds.find((f) => f.kind === 'unrestricted')!.id;
  let k = 0;
  const raw = () =>
    db.transaction().execute(async (trx) => {
      const i = k++;
      const id = crypto.randomUUID();
      const entry = crypto.randomUUID();
      const amount = 1000 + (i % 1000);
      const number = `JZ-330802-2026-R${String(i).padStart(6, '0')}`;
      await sql`insert into donation (id, org_unit_id, number, received_on, donor_id, channel, amount_fen, designation, receipt_no, status, lookup_hash, lookup_sealed, created_at, created_by, confirmed_at, confirmed_by)
        values (${id}, ${county.id}, ${number}, '2026-05-20', ${donor.id}, 'bank_transfer', ${amount}, 'unrestricted', ${`R-${i}`}, 'confirmed', ${sha256Hex(`raw:${id}`)}, 'sealed', now(), ${ctx.actor.userId}, now(), ${ctx.actor.userId})`.execute(trx);
      await sql`insert into journal_entry (id, org_unit_id, kind, ref_type, ref_id, occurred_on, memo, created_at, created_by) values (${entry}, ${county.id}, 'receipt', 'donation', ${id}, '2026-05-20', ${`收到捐赠 ${number}`}, now(), ${ctx.actor.userId})`.execute(trx);
      await sql`insert into journal_line (entry_id, org_unit_id, fund_id, amount_fen) values (${entry}, ${county.id}, ${bank}, ${amount}), (${entry}, ${county.id}, ${free}, ${-amount})`.execute(trx);
      await sql`insert into gift_slice (id, org_unit_id, donation_id, fund_id, amount_fen, remaining_fen, source_type, source_id) values (${crypto.randomUUID()}, ${county.id}, ${id}, ${free}, ${amount}, ${amount}, 'receipt', ${id})`.execute(trx);
    });
  const write = async () => {
    const i = k++;
    const d = await createDonation(ctx, { donorId: donor.id, receivedOn: '2026-05-20', channel: 'bank_transfer', amountFen: 1000 + (i % 1000), designation: 'unrestricted', receiptNo: `S-${i}` });
    await confirmDonation(ctx, d.id, { version: d.version });
  };
  const writes = env.backend === 'postgres' ? 200 : 100;
  const b1 = await measure(raw, { n: writes, warmup: 10 });
  const s1 = await measure(write, { n: writes, warmup: 10 });
  rows.push(row('donation write (create + confirm)', b1, s1, `${s1.throughput.toFixed(0)} donations/s vs ${b1.throughput.toFixed(0)} raw/s; ${loadNote}`));

  // (2) trace lookups: background gifts of 柯城区 (in the staff user's scope), by id and by code.
  const sample = (await sql<{ id: string; receipt_no: string }>`select id, receipt_no from donation where org_unit_id = ${county.id} and receipt_no like 'B%' order by id limit 200`.execute(db)).rows;
  let j = 0;
  const rawTrace = async (where: ReturnType<typeof sql>) => {
    const d = await sql<{ id: string }>`
      select d.*, o.kind as donor_kind, o.org_name, o.public_consent, u.name as unit_name,
        (select f.name from gift_slice s join fund f on f.id = s.fund_id where s.donation_id = d.id and s.source_type = 'receipt' limit 1) as receipt_fund,
        coalesce((select sum(remaining_fen) from gift_slice s where s.donation_id = d.id), 0) as unspent
      from donation d join donor o on o.id = d.donor_id join org_unit u on u.id = d.org_unit_id where ${where}`.execute(db);
    await sql`select g.to_type, g.to_id, g.amount_fen, g.created_at from gift_flow g where g.donation_id = ${d.rows[0]!.id} order by g.created_at`.execute(db);
  };
  const b2 = await measure(() => rawTrace(sql`d.id = ${sample[j++ % sample.length]!.id}`), { n: 300, warmup: 20 });
  const s2 = await measure(() => donationTrace(ctx, sample[j++ % sample.length]!.id), { n: 300, warmup: 20 });
  rows.push(row('trace by id (staff, donationTrace)', b2, s2));
  const code = (r: { receipt_no: string }) => `BENCH${r.receipt_no.slice(1)}`;
  const b3 = await measure(() => rawTrace(sql`d.lookup_hash = ${sha256Hex(`donation-lookup:${code(sample[j++ % sample.length]!)}`)}`), { n: 300, warmup: 20 });
  const s3 = await measure(async () => {
    const t = await publicTrace(deps, code(sample[j++ % sample.length]!));
    if (t.steps.length !== 1) throw new Error('trace of a background gift should have its receipt step');
  }, { n: 300, warmup: 20 });
  rows.push(row('trace by lookup code (public, publicTrace)', b3, s3));

  // (3) public lists: one month, one county and the whole city.
  const from = '2026-03-01';
  const to = '2026-03-31';
  for (const scope of [{ label: 'county (柯城区)', ref: '330802', path: county.path }, { label: 'whole city', ref: undefined, path: city.path }]) {
    const hi = `${scope.path.slice(0, -1)}0`;
    const rawList = () =>
      sql`select d.id, d.number, d.received_on, d.amount_fen, d.designation, d.goods_value_fen, o.kind, o.org_name, o.public_consent, u.name as unit_name
        from donation d join donor o on o.id = d.donor_id join org_unit u on u.id = d.org_unit_id
        where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${scope.path} and u.path < ${hi}
        order by d.received_on, d.number limit 101`.execute(db);
    const inMonth = (await sql<{ n: number }>`select count(*)::int as n from donation d join org_unit u on u.id = d.org_unit_id
      where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${scope.path} and u.path < ${hi}`.execute(db)).rows[0]!.n;
    const b4 = await measure(rawList, { n: 100, warmup: 10 });
    const s4 = await measure(async () => {
      const page = await publicDonations(deps, { from, to, unit: scope.ref, limit: 100 });
      if (page.items.length !== Math.min(100, inMonth)) throw new Error(`public list returned ${page.items.length} of ${inMonth}`);
    }, { n: 100, warmup: 10 });
    rows.push(row(`public list, first 100, one month, ${scope.label}`, b4, s4, `${inMonth.toLocaleString('en')} gifts in the month`));
    const rawSum = () =>
      sql`select left(u.path, ${scope.path.length + 37}) as bucket, sum(d.amount_fen), sum(d.goods_value_fen), count(*)
        from donation d join org_unit u on u.id = d.org_unit_id
        where d.status = 'confirmed' and d.received_on between ${from} and ${to} and u.path >= ${scope.path} and u.path < ${hi} group by 1`.execute(db);
    const b5 = await measure(rawSum, { n: 40, warmup: 5 });
    const s5 = await measure(() => publicSummary(deps, { from, to, unit: scope.ref }), { n: 40, warmup: 5 });
    rows.push(row(`public summary, one month, ${scope.label}`, b5, s5));
  }
  return rows;
}
