import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openBenchEnv, type BenchEnv, type BenchRow, type Scale } from './support.ts';

/**
 * `npm run bench`: runs every bench/*.bench.ts on PGlite and, when DATABASE_URL is set, on
 * PostgreSQL, at city and province scale, and writes docs/benchmarks.md. Each benchmark reports its
 * subject against a raw baseline measured in the same run, as a ratio: machines differ, ratios travel.
 */
type Bench = { name: string; description: string; run(env: BenchEnv): Promise<BenchRow[]> };

const only = process.argv[2];
const files = fs.readdirSync('bench').filter((f) => f.endsWith('.bench.ts') && (!only || f.startsWith(only))).sort();
const benches: Bench[] = [];
for (const f of files) benches.push((await import(pathToFileURL(path.resolve('bench', f)).href)) as Bench);

const backends: ('pglite' | 'postgres')[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const scales: Scale[] = ['city', 'province'];
const rows: BenchRow[] = [];
for (const backend of backends) {
  for (const scale of scales) {
    for (const b of benches) {
      const env = await openBenchEnv(backend, scale);
      try {
        console.log(`${b.name} · ${backend} · ${scale}`);
        rows.push(...(await b.run(env)));
      } finally {
        await env.close();
      }
    }
  }
}

const ms = (v: number) => v.toFixed(2);
const runLine = `Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · backends: ${backends.join(', ')}`;
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (bench/run.ts; `npm run bench -- <name>` re-runs one benchmark and keeps the',
  'others’ last results). Each row times the subject and a raw baseline in the same run on the same',
  'database and driver; **ratio = subject mean / baseline mean**. Absolute times depend on the machine;',
  'the ratios are what to compare between runs.',
  '',
  'Scales: **city** = Quzhou’s real tree (1 city, 市本级, 6 counties, 2 function zones, 100 townships) plus',
  'synthetic villages and communities (~570 units); **province** = that plus 26 synthetic cities of the',
  'same shape (~16,700 units, about Zhejiang’s 27×).',
  '',
];
// Sections of benchmarks not run this time are kept as they were.
const previous = fs.existsSync('docs/benchmarks.md') ? fs.readFileSync('docs/benchmarks.md', 'utf8') : '';
function previousSection(benchName: string) {
  const start = previous.indexOf(`\n## ${benchName}\n`);
  if (start < 0) return null;
  const next = previous.indexOf('\n## ', start + 4);
  return previous.slice(start + 1, next < 0 ? undefined : next).trim();
}
const allNames = fs.readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).sort().map((f) => f.replace(/\.bench\.ts$/, ''));
for (const benchName of allNames) {
  const b = benches.find((x) => x.name === benchName);
  if (!b) {
    const old = previousSection(benchName);
    if (old) lines.push(old, '');
    continue;
  }
  lines.push(`## ${b.name}`, '', b.description, '', runLine, '');
  lines.push('| backend | scale | scenario | baseline mean (p95) ms | subject mean (p95) ms | ratio | note |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows.filter((x) => x.benchmark === b.name)) {
    lines.push(`| ${r.backend} | ${r.scale} | ${r.scenario} | ${ms(r.baseline.mean)} (${ms(r.baseline.p95)}) | ${ms(r.subject.mean)} (${ms(r.subject.p95)}) | **${r.ratio.toFixed(2)}×** | ${r.note ?? ''} |`);
  }
  lines.push('');
}
const notesFile = 'bench/NOTES.md';
if (fs.existsSync(notesFile)) lines.push(fs.readFileSync(notesFile, 'utf8').trim(), '');
fs.writeFileSync('docs/benchmarks.md', lines.join('\n'));
console.log(lines.join('\n'));
