import { systemCtx, type Deps } from '../../platform/context.ts';
import { enterActual } from '../../domains/plan/server/plan.service.ts';
import { TABLE3, TABLE4 } from '../../domains/plan/server/plan.reference.ts';
import type { EnterActual } from '../../domains/plan/plan.contract.ts';

/**
 * Invented figures for the demo, entered by hand as staff would (人工填报) until the domains that
 * compute them exist: each county runs somewhat ahead of or behind its plan, so the dashboard shows
 * every status. Seeded, so every demo shows the same numbers. Never loaded outside the demo.
 */
const SOURCE = '演示数据（虚构）';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Pace of each county against its plan (1 = exactly on plan). */
const PACE: Record<string, number> = { '330802': 1.08, '330803': 0.95, '330822': 0.7, '330824': 0.88, '330825': 1.0, '330881': 0.8 };
const REGISTERED: Record<string, number> = { '330802': 440_000, '330803': 400_000, '330822': 340_000, '330824': 360_000, '330825': 400_000, '330881': 610_000 };
const VILLAGES: Record<string, number> = { '330802': 251, '330803': 288, '330822': 180, '330824': 255, '330825': 262, '330881': 292 };

export async function loadDemoPlanActuals(deps: Deps, planId: string, ids: Map<string, string>, lastYear = 2025) {
  const ctx = systemCtx(deps);
  const r = rng(2021);
  const entries: EnterActual[] = [];
  const put = (indicatorCode: string, unit: string, year: number, numerator: number, extra: Partial<EnterActual> = {}) =>
    entries.push({ indicatorCode, unitId: ids.get(unit)!, year, numerator: Math.max(0, Math.round(numerator * 100) / 100), sourceDocument: SOURCE, ...extra });
  for (const [code, pace] of Object.entries(PACE)) {
    const t3 = TABLE3.find((t) => t.code === code)!;
    const t4 = TABLE4.find((t) => t.unit === code);
    let aeds = t3.installed;
    let covered = Math.round(VILLAGES[code]! * 0.2);
    let warehouses = code === '330802' ? 1 : 0;
    let brands = 0;
    put('aed_density', code, 2020, aeds);
    for (let y = 2021; y <= lastYear; y++) {
      const k = pace * (0.9 + r() * 0.2);
      // The last year is still being entered for the slowest county.
      if (y === lastYear && pace < 0.75) continue;
      aeds += Math.round(t3.additions[y - 2021]! * k);
      put('aed_density', code, y, aeds);
      put('member_ratio', code, y, (t4 ? t4.values[y - 2021]! * 10_000 : 6_000 + (y - 2021) * 800) * k);
      put('rescuer_ratio', code, y, (REGISTERED[code]! * 0.02 * k) / 5);
      put('popularization_ratio', code, y, (REGISTERED[code]! * 0.2 * k) / 5);
      covered = Math.min(VILLAGES[code]!, covered + Math.round(VILLAGES[code]! * 0.07 * k));
      put('village_rc_coverage', code, y, covered, { denominator: VILLAGES[code]! });
      put('fundraising_total', code, y, 90 + 120 * r() * pace);
      put('stem_cell_additions', code, y, Math.round(35 + 20 * r() * pace));
      put('boai_homes', code, y, Math.round(2 * k));
      if (y === 2022 + Math.round(r() * 2)) warehouses = 1;
      put('relief_warehouses', code, y, warehouses);
      if (y >= 2022 && brands < 2 && r() < 0.45 * pace) brands += 1;
      put('brand_projects', code, y, brands);
    }
  }
  const city = '330800';
  for (let y = 2021; y <= lastYear; y++) {
    put('fundraising_total', city, y, 260 + 180 * r());
    put('organ_donation_rate', city, y, Math.round(16 + 8 * r()), { rank: 2 + Math.round(r() * 2) });
    put('screening_loss_rate', city, y, Math.round(40 + 30 * r()), { denominator: 300 });
    put('remobilization_regret_rate', city, y, Math.round(1 + 5 * r()), { denominator: 40 });
    put('team_drills', city, y, Math.round(26 + 10 * r()), { denominator: 8 });
    put('member_ratio', 'shibenji', y, TABLE4[0]!.values[y - 2021]! * 10_000 * (0.95 + r() * 0.1));
  }
  for (const e of entries) await enterActual(ctx, planId, e);
  return entries.length;
}
