import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npm audit` does not work against our registry, so known-bad packages are denied here
 * (security.md §8, item 27; stack-notes.md).
 */
const DENY: { name: string; bad: (version: string) => boolean; why: string }[] = [
  { name: 'xlsx', bad: () => true, why: 'frozen on npm at 0.18.5 with CVE-2023-30533 and CVE-2024-22363: use exceljs' },
  { name: 'better-sqlite3', bad: (v) => Number(v.split('.')[0]) >= 13, why: 'version 13 crashes on Node 20' },
  { name: 'kysely-pglite', bad: () => true, why: 'no connection mutex: concurrent transactions interleave (stack-notes.md)' },
  { name: 'kysely-pglite-dialect', bad: () => true, why: 'does not install with PGlite 0.5' },
  { name: 'kysely', bad: (v) => !v.startsWith('0.28.'), why: 'kysely 0.29 needs Node 22; stay on 0.28' },
];

describe('supply chain', () => {
  it('the lockfile holds none of the denied packages', () => {
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> };
    const found: string[] = [];
    for (const [path, meta] of Object.entries(lock.packages)) {
      const name = path.replace(/^.*node_modules\//, '');
      for (const d of DENY) if (name === d.name && meta.version && d.bad(meta.version)) found.push(`${name}@${meta.version}: ${d.why}`);
    }
    expect(found).toEqual([]);
  });
  it('pins direct dependencies exactly', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as Record<string, Record<string, string>>;
    const loose = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(v));
    expect(loose).toEqual([]);
  });
});
