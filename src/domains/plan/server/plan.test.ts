import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeDb, errorCode as code, type TestUser } from '../../../../tests/support/harness.ts';
import { addAttachment } from '../../attachments/server/attachments.service.ts';
import { childrenOf, populationsOf } from '../../orgs/server/orgs.service.ts';
import { SCALE_FACTOR, type EnterActual, type Indicator } from '../plan.contract.ts';
import { registerPlanAttachments } from './plan.attachments.ts';
import { registerIndicatorProvider, restoreIndicatorProvider } from './plan.providers.ts';
import * as svc from './plan.service.ts';
import { exportPlanXlsx, importPlanXlsx } from './plan.xlsx.ts';

const COUNTIES = ['330802', '330803', '330822', '330824', '330825', '330881'];
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describeDb('plan domain', (h) => {
  let city: TestUser;
  let kecheng: TestUser;
  let leader: TestUser;
  let planId: string;
  let indicators: Indicator[];
  beforeAll(async () => {
    registerPlanAttachments();
    city = await h().createUser({ username: 'plan.city', unit: '330800', roles: ['staff'] });
    kecheng = await h().createUser({ username: 'plan.kecheng', unit: '330802', roles: ['staff'] });
    leader = await h().createUser({ username: 'plan.leader', unit: '330800', roles: ['leader'] });
    planId = (await svc.listPlans(city.ctx)).find((p) => p.name.includes('十四五'))!.id;
    indicators = (await svc.getPlanDetail(city.ctx, planId)).indicators;
  });

  it('holds the plan’s own numbers: 表2 targets, 表3 per county and per year, 表4, 表1', async () => {
    const d = await svc.getPlanDetail(city.ctx, planId);
    expect(d).toMatchObject({ document: '衢发改发〔2021〕36号', periodStart: 2021, periodEnd: 2025, baseYear: 2020, editable: true });
    expect(d.indicators.filter((i) => i.category === 'headline').map((i) => i.code)).toEqual([
      'fundraising_total', 'village_rc_coverage', 'member_ratio', 'rescuer_ratio', 'popularization_ratio', 'aed_density', 'stem_cell_additions', 'organ_donation_rate',
    ]);
    const target = (c: string) => d.indicators.find((i) => i.code === c)!.target;
    expect([target('fundraising_total'), target('village_rc_coverage'), target('member_ratio'), target('rescuer_ratio'), target('popularization_ratio'), target('aed_density'), target('stem_cell_additions')]).toEqual([5000, 50, 3, 2, 20, 1.5, 1400]);
    const aedCounts = d.targets.filter((t) => t.indicatorCode === 'aed_density' && t.basis === 'count' && !t.statedTotal);
    expect(COUNTIES.map((c) => aedCounts.find((t) => t.unitCode === c)!.value)).toEqual([66, 60, 51, 54, 60, 92]);
    expect(aedCounts.reduce((s, t) => s + t.value, 0)).toBe(383);
    const additions = (unitCode: string) => d.targets.filter((t) => t.indicatorCode === 'aed_density' && t.basis === 'addition' && t.unitCode === unitCode && !t.statedTotal).map((t) => t.value);
    expect(additions('330802')).toEqual([14, 12, 12, 11, 11]);
    expect(additions('330881')).toEqual([20, 17, 17, 16, 16]);
    const members = d.targets.filter((t) => t.indicatorCode === 'member_ratio' && t.unitName === '市本级').map((t) => t.value);
    expect(members).toEqual([6000, 7000, 9000, 10000, 12000]);
    expect(d.baseline.find((b) => b.indicatorCode === 'fundraising_total')?.resultValue).toBe(14945);
    expect(d.baseline).toHaveLength(6);
  });

  it('shows where the printed tables do not add up, with the numbers, and the missing 常山县 row', async () => {
    const w = await svc.planWarnings(city.ctx, planId);
    const mismatches = w.filter((x) => x.code === 'total_mismatch').map((x) => [x.indicatorCode, x.basis, x.year, x.stated, x.sum]);
    expect(mismatches).toEqual(
      expect.arrayContaining([
        ['aed_density', 'baseline', 2020, 57, 42],
        ['member_ratio', 'count', 2022, 48000, 47000],
        ['member_ratio', 'count', 2023, 56000, 54000],
        ['member_ratio', 'count', 2025, 68000, 67000],
      ]),
    );
    expect(mismatches).toHaveLength(4); // 2021 and 2024 of 表4, and 表3's targets and additions, add up
    const missing = w.filter((x) => x.code === 'missing_rows');
    expect(missing.map((x) => [x.indicatorCode, x.missing])).toEqual([['member_ratio', ['常山县']]]);
    expect(w.find((x) => x.code === 'total_mismatch' && x.indicatorCode === 'aed_density')!.message).toContain('合计为 57台，各行相加为 42台');
    expect(w.some((x) => x.code === 'breakdown_missing' && x.indicatorCode === 'fundraising_total')).toBe(true);
  });

  it('computes every indicator as an independent calculation does: roll-up, cumulative vs end of period, the right population', async () => {
    const sys = h().system;
    const rand = rng(7);
    const townships = new Map<string, string[]>();
    for (const c of COUNTIES) townships.set(c, (await childrenOf(sys, h().unit(c))).map((u) => u.id));
    const countyOf = new Map<string, string>();
    for (const c of COUNTIES) {
      countyOf.set(h().unit(c), c);
      for (const t of townships.get(c)!) countyOf.set(t, c);
    }
    const codes = ['rescuer_ratio', 'aed_density', 'member_ratio', 'village_rc_coverage', 'organ_donation_rate', 'stem_cell_additions'];
    const entries: EnterActual[] = [];
    for (const c of COUNTIES) {
      for (const codeName of codes) {
        for (let y = 2020; y <= 2024; y++) {
          if (rand() < 0.25) continue; // gaps: some years unreported
          const ind = indicators.find((i) => i.code === codeName)!;
          if (y === 2020 && ind.kind !== 'end_of_period') continue;
          // Part of the figure from the county itself, part from a township.
          const units = [h().unit(c), townships.get(c)![Math.floor(rand() * townships.get(c)!.length)]!];
          for (const u of units) {
            entries.push({ indicatorCode: codeName, unitId: u, year: y, numerator: Math.round(rand() * 5000), denominator: ind.denominator === 'entered' ? 100 + Math.round(rand() * 200) : null, sourceDocument: '测试' });
          }
        }
      }
    }
    for (const e of entries) await svc.enterActual(city.ctx, planId, e);
    const pops = await populationsOf(sys, [h().unit('330800'), ...COUNTIES.map((c) => h().unit(c))]);

    const expected = (codeName: string, scope: string | null, year: number) => {
      const ind = indicators.find((i) => i.code === codeName)!;
      const inScope = entries.filter((e) => e.indicatorCode === codeName && (scope === null || countyOf.get(e.unitId) === scope));
      let num: number | null = null;
      let den: number | null = null;
      if (ind.kind === 'cumulative' || ind.kind === 'annual') {
        const rows = inScope.filter((e) => (ind.kind === 'annual' ? e.year === year : e.year >= 2021 && e.year <= year));
        if (rows.length) num = rows.reduce((s, e) => s + e.numerator, 0);
      } else {
        // Each reporting unit's latest figure at or before the year, summed.
        const latest = new Map<string, EnterActual>();
        for (const e of inScope) if (e.year <= year && (!latest.has(e.unitId) || latest.get(e.unitId)!.year < e.year)) latest.set(e.unitId, e);
        if (latest.size) {
          num = [...latest.values()].reduce((s, e) => s + e.numerator, 0);
          if (ind.denominator === 'entered') den = [...latest.values()].reduce((s, e) => s + (e.denominator ?? 0), 0);
        }
      }
      if (ind.kind !== 'end_of_period' && ind.denominator === 'entered') {
        const rows = inScope.filter((e) => e.year === year);
        den = rows.length ? rows.reduce((s, e) => s + (e.denominator ?? 0), 0) : null;
      }
      if (ind.denominator === 'registered' || ind.denominator === 'resident') {
        const unitId = scope === null ? h().unit('330800') : h().unit(scope);
        const kinds = ind.denominator === 'resident' ? ['resident', 'census'] : ['registered'];
        const candidates = pops.filter((p) => p.unitId === unitId && kinds.includes(p.kind) && p.year <= year).sort((a, b) => b.year - a.year || (a.kind === 'resident' ? -1 : 1));
        den = candidates[0]?.value ?? null;
      }
      if (num === null) return null;
      if (ind.denominator === 'none') return num;
      return den ? (num / den) * SCALE_FACTOR[ind.scale] : null;
    };

    for (const year of [2022, 2024]) {
      const cityProgress = await svc.progress(city.ctx, planId, { year });
      for (const c of codes) {
        const item = cityProgress.items.find((i) => i.code === c)!;
        const want = expected(c, null, year);
        if (want === null) expect(item.actual, `${c} ${year}`).toBeNull();
        else expect(item.actual, `${c} ${year} city`).toBeCloseTo(want, 4);
        expect(item.actualSource).toBe(want === null ? item.actualSource : 'manual');
      }
      for (const c of ['aed_density', 'rescuer_ratio', 'village_rc_coverage']) {
        const table = await svc.indicatorTable(city.ctx, planId, c, { year });
        for (const county of COUNTIES) {
          const row = table.rows.find((r) => r.unitCode === county)!;
          const want = expected(c, county, year);
          if (want === null) expect(row.item.actual, `${c} ${year} ${county}`).toBeNull();
          else expect(row.item.actual, `${c} ${year} ${county}`).toBeCloseTo(want, 4);
        }
        expect(table.rows.find((r) => r.isTotal)!.item.actual ?? null).toEqual((await svc.progress(city.ctx, planId, { year })).items.find((i) => i.code === c)!.actual);
      }
    }
    // Leaders read the same figures; the county reads its own.
    const kc = await svc.progress(kecheng.ctx, planId, { year: 2024 });
    expect(kc.unit.code).toBe('330802');
    expect(kc.items.find((i) => i.code === 'aed_density')!.actual).toBeCloseTo(expected('aed_density', '330802', 2024)!, 4);
    expect((await svc.progress(leader.ctx, planId, { year: 2024 })).items).toHaveLength(indicators.length);
    // The county's AED target count comes from 表3: base plus the planned additions so far.
    expect(kc.items.find((i) => i.code === 'aed_density')!.targetCount).toBe(6 + 14 + 12 + 12 + 11);
  });

  it('keeps a county user inside the county: no other county’s figures or targets', async () => {
    expect(await code(svc.progress(kecheng.ctx, planId, { unit: '330881' }))).toBe('plan.unit_not_found');
    expect(await code(svc.indicatorTable(kecheng.ctx, planId, 'aed_density', { unit: '330800' }))).toBe('plan.unit_not_found');
    const d = await svc.getPlanDetail(kecheng.ctx, planId);
    expect(d.editable).toBe(false);
    expect(new Set(d.targets.map((t) => t.unitName))).toEqual(new Set(['衢州市', '柯城区']));
    expect(await code(svc.saveTarget(kecheng.ctx, planId, { indicatorCode: 'aed_density', unitId: h().unit('330802'), year: null, basis: 'count', value: 1, statedTotal: false }))).toBe('plan.not_owner');
    expect(await code(svc.enterActual(kecheng.ctx, planId, { indicatorCode: 'aed_density', unitId: h().unit('330881'), year: 2023, numerator: 5, sourceDocument: 'x' }))).toBe('plan.unit_not_found');
  });

  it('keeps every hand-entered figure: a correction supersedes, the database refuses rewriting', async () => {
    const unitId = h().unit('330803');
    const first = await svc.enterActual(city.ctx, planId, { indicatorCode: 'stem_cell_additions', unitId, year: 2025, numerator: 40, sourceDocument: '衢江区 2025 年报' });
    const second = await svc.enterActual(city.ctx, planId, { indicatorCode: 'stem_cell_additions', unitId, year: 2025, numerator: 44, sourceDocument: '衢江区 2025 年报（更正）' });
    const history = await svc.listActuals(city.ctx, planId, { indicatorCode: 'stem_cell_additions', unitId, year: 2025, history: 'true' });
    expect(history.map((e) => [e.numerator, e.supersededAt !== null])).toEqual([[44, false], [40, true]]);
    expect((await svc.listActuals(city.ctx, planId, { indicatorCode: 'stem_cell_additions', unitId, year: 2025 })).map((e) => e.id)).toEqual([second.id]);
    await expect(sql`update plan_actual_entry set numerator = 1 where id = ${first.id}`.execute(h().deps.db)).rejects.toThrow(/superseded mark/);
    await expect(sql`delete from plan_actual_entry where id = ${second.id}`.execute(h().deps.db)).rejects.toThrow(/never removed/);
    expect(await code(svc.enterActual(city.ctx, planId, { indicatorCode: 'village_rc_coverage', unitId, year: 2023, numerator: 10, sourceDocument: 'x' }))).toBe('plan.denominator_required');
    expect(await code(svc.enterActual(city.ctx, planId, { indicatorCode: 'aed_density', unitId, year: 2019, numerator: 10, sourceDocument: 'x' }))).toBe('plan.year_outside_period');
    expect(await code(svc.enterActual(city.ctx, planId, { indicatorCode: 'aed_density', unitId, year: 2023, numerator: 10, rank: 2, sourceDocument: 'x' }))).toBe('plan.rank_not_applicable');
    expect(await code(svc.enterActual(city.ctx, planId, { indicatorCode: 'no_such', unitId, year: 2023, numerator: 10, sourceDocument: 'x' }))).toBe('plan.indicator_not_found');
    // Evidence on an entry.
    const att = await addAttachment(city.ctx, { ownerType: 'plan_actual', ownerId: second.id, bytes: PNG, fileName: '年报.png' });
    expect(att.contentType).toBe('image/png');
  });

  it('replaces hand-entered figures by the computing domain’s, keeping the manual history', async () => {
    const unitPath = (await childrenOf(h().system, h().unit('330800'))).find((u) => u.code === '330825')!.path;
    await svc.enterActual(city.ctx, planId, { indicatorCode: 'fundraising_total', unitId: h().unit('330825'), year: 2022, numerator: 100, sourceDocument: '龙游县 2022 年报' });
    const before = (await svc.progress(city.ctx, planId, { year: 2022, unit: '330825' })).items.find((i) => i.code === 'fundraising_total')!;
    expect([before.actual, before.actualSource]).toEqual([100, 'manual']);
    const previous = registerIndicatorProvider({ code: 'fundraising_total', domain: 'test', compute: async () => [{ unitPath, year: 2022, numerator: 123.45 }] });
    try {
      const after = (await svc.progress(city.ctx, planId, { year: 2022, unit: '330825' })).items.find((i) => i.code === 'fundraising_total')!;
      expect([after.actual, after.actualSource]).toEqual([123.45, 'computed']);
      const kept = await svc.listActuals(city.ctx, planId, { indicatorCode: 'fundraising_total', unitId: h().unit('330825') });
      expect(kept.map((e) => [e.numerator, e.replacedByComputed])).toEqual([[100, true]]);
      expect((await svc.getPlanDetail(city.ctx, planId)).indicators.find((i) => i.code === 'fundraising_total')!.computed).toBe(true);
    } finally {
      restoreIndicatorProvider('fundraising_total', previous);
    }
  });

  it('confirms an annual split that adds up to the target, and refuses one that does not', async () => {
    const cityId = h().unit('330800');
    const years = (v: number[]) => v.map((value, i) => ({ year: 2021 + i, value }));
    expect(await code(svc.saveBreakdown(city.ctx, planId, 'fundraising_total', { unitId: cityId, years: years([1000, 1000, 1000, 1000, 999]) }))).toBe('plan.breakdown_mismatch');
    expect(await code(svc.saveBreakdown(city.ctx, planId, 'fundraising_total', { unitId: cityId, years: years([1250, 1250, 1250, 1250]) }))).toBe('validation_failed');
    expect(await code(svc.saveBreakdown(city.ctx, planId, 'aed_density', { unitId: cityId, years: years([1, 1, 1, 1, 1]) }))).toBe('plan.breakdown_not_cumulative');
    const saved = await svc.saveBreakdown(city.ctx, planId, 'fundraising_total', { unitId: cityId, years: years([1000, 1000, 1000, 1000, 1000]) });
    expect(saved.map((t) => t.value)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect((await svc.planWarnings(city.ctx, planId)).some((x) => x.code === 'breakdown_missing')).toBe(false);
  });

  it('writes a bulletin for a quarter with every indicator and a county ranking', async () => {
    const b = await svc.createBulletin(city.ctx, planId, { periodKind: 'quarter', year: 2024, part: 2, remarks: '请滞后县区说明原因' });
    expect(b.asOf).toBe('2024-06-30');
    expect(b.title).toContain('2024 年第二季度');
    expect(b.progress.items).toHaveLength(indicators.length);
    expect(b.progress.items[0]!.elapsed).toBeCloseTo(3.5 / 5, 2);
    const ranked = b.ranking.filter((r) => r.rank !== null);
    expect(ranked.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score!).toBeGreaterThanOrEqual(ranked[i]!.score!);
    expect(await svc.createBulletin(city.ctx, planId, { periodKind: 'quarter', year: 2024, part: 2 })).toMatchObject({ id: b.id });
    const again = await svc.updateBulletin(city.ctx, b.id, { version: b.version, remarks: '已核实' });
    expect(again.remarks).toBe('已核实');
    expect(await code(svc.updateBulletin(city.ctx, b.id, { version: b.version, remarks: '旧版本' }))).toBe('conflict');
  });

  it('freezes a published evaluation: values, narrative and evidence by hash; edits refused by the service and the database', async () => {
    const draft = await svc.createEvaluation(city.ctx, planId, { kind: 'midterm', narrative: '中期评估说明' });
    expect(draft.asOf).toBe('2023-12-31');
    expect(draft.status).toBe('draft');
    await addAttachment(city.ctx, { ownerType: 'plan_evaluation', ownerId: draft.id, bytes: PNG, fileName: '评估佐证.png' });
    const published = await svc.publishEvaluation(city.ctx, draft.id, draft.version);
    expect(published.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(published.content.attachments.map((a) => a.fileName)).toEqual(['评估佐证.png']);
    expect(await svc.verifyEvaluation(city.ctx, draft.id)).toEqual({ contentHash: published.contentHash, recomputed: published.contentHash, ok: true });
    // New figures later do not change what was published.
    const aedBefore = published.content.units[0]!.items.find((i) => i.code === 'aed_density')!.actual;
    await svc.enterActual(city.ctx, planId, { indicatorCode: 'aed_density', unitId: h().unit('330802'), year: 2023, numerator: 999, sourceDocument: '事后补报' });
    expect((await svc.getEvaluation(city.ctx, draft.id)).content.units[0]!.items.find((i) => i.code === 'aed_density')!.actual).toBe(aedBefore);
    expect(await code(svc.updateEvaluation(city.ctx, draft.id, { version: published.version, narrative: '改' }))).toBe('plan.evaluation_published');
    expect(await code(svc.publishEvaluation(city.ctx, draft.id, published.version))).toBe('plan.evaluation_published');
    expect(await code(svc.deleteEvaluation(city.ctx, draft.id))).toBe('plan.evaluation_published');
    expect(await code(addAttachment(city.ctx, { ownerType: 'plan_evaluation', ownerId: draft.id, bytes: PNG, fileName: '补充.png' }))).toBe('attachments.frozen');
    await expect(sql`update plan_evaluation set narrative = 'x' where id = ${draft.id}`.execute(h().deps.db)).rejects.toThrow(/published evaluation/);
    await expect(sql`delete from plan_evaluation where id = ${draft.id}`.execute(h().deps.db)).rejects.toThrow(/published evaluation/);
    // Tampering with the stored text (were the trigger dropped) would no longer verify.
    const cmp = await svc.comparison(city.ctx, planId);
    const fund = cmp.rows.find((r) => r.indicatorCode === 'fundraising_total')!;
    expect(fund.baseline?.value).toBe(14945);
    expect(fund.midterm?.evaluationId).toBe(draft.id);
    expect(fund.final).toBeNull();
  });

  it('exports the whole plan to xlsx and imports it back as an equal new plan; a bad workbook changes nothing', async () => {
    const { buffer } = await exportPlanXlsx(city.ctx, planId);
    const imported = await importPlanXlsx(city.ctx, buffer);
    const a = await svc.getPlanDetail(city.ctx, planId);
    const b = await svc.getPlanDetail(city.ctx, imported.id);
    const strip = (d: typeof a) => ({
      indicators: d.indicators.map(({ id: _i, planId: _p, version: _v, ...rest }) => rest),
      targets: d.targets.map(({ id: _i, ...rest }) => rest),
      baseline: d.baseline.map(({ id: _i, ...rest }) => rest),
    });
    expect(strip(b)).toEqual(strip(a));
    expect([b.name, b.document, b.periodStart, b.periodEnd, b.baseYear]).toEqual([a.name, a.document, a.periodStart, a.periodEnd, a.baseYear]);
    const plansBefore = (await svc.listPlans(city.ctx)).length;
    expect(await code(importPlanXlsx(city.ctx, Buffer.from('not a workbook')))).toMatch(/^(import\.not_xlsx|plan\.import_invalid)$/);
    expect((await svc.listPlans(city.ctx)).length).toBe(plansBefore);
  });
});
