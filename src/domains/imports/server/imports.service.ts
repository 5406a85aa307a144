import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Ctx } from '../../../platform/context.ts';
import { DomainError } from '../../../platform/errors.ts';
import { xlsxStream } from '../../../platform/excel.ts';
import { t } from '../../../platform/i18n.ts';

function shanghaiMinute(at: Date) {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
import { requirePermission } from '../../../platform/permissions.ts';
import { declaredRows, inspectXlsx, readFirstSheet, XLSX_LIMITS, type SheetRow } from '../../../platform/xlsx-read.ts';
import { recordAudit } from '../../audit/server/audit.service.ts';
import { unitBrief } from '../../orgs/server/orgs.service.ts';
import type { ImportJob, ImportStatus } from '../imports.contract.ts';
import { importSpec, type ImportSpec } from './imports.registry.ts';

/**
 * The importer (issue 3): a file is checked, then validated row by row in the background with its
 * progress visible, then — only if every row is valid — inserted in ONE transaction, so a file goes
 * in entirely or not at all. Rows are sealed (validated, encrypted) during validation, so the
 * transaction only inserts. Errors come back as a downloadable report (row, column, value, reason).
 */
const BATCH = 1000;
/** Rows per insert call: a batch is one or two statements, so larger batches mean fewer round trips (progress still moves every few seconds). */
const INSERT_BATCH = 5000;
const MAX_REPORTED_ERRORS = 50_000;

type Running = { cancel: boolean; timings: { validationMs: number | null; insertMs: number | null }; progress: { processed: number; total: number | null; errors: number; inserted: number; status: ImportStatus }; done: Promise<void> };
const running = new Map<string, Running>();

function dirs(ctx: Ctx) {
  const dir = path.join(ctx.deps.config.filesDir, 'imports');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function specFor(ctx: Ctx, registry: string) {
  const spec = importSpec(registry);
  if (!spec) throw new DomainError('import.unknown_registry', { registry });
  requirePermission(ctx, spec.permission);
  return spec;
}

export function registryInfo(ctx: Ctx, registry: string) {
  const spec = specFor(ctx, registry);
  return {
    registry,
    title: t(spec.title, ctx.lang),
    permission: spec.permission,
    columns: spec.columns.map((c) => ({ key: c.key, header: c.header, required: !!c.required, example: c.example ?? null, note: c.note ?? null })),
    maxRows: XLSX_LIMITS.maxRows,
  };
}

/** The template: the headers in order, one example row, notes on what each column takes. */
export function templateStream(ctx: Ctx, registry: string) {
  const spec = specFor(ctx, registry);
  return xlsxStream({
    sheetName: t(spec.title, 'zh-CN'),
    title: `${t(spec.title, 'zh-CN')}导入模板`,
    watermark: `${ctx.actor.username ?? ''} · ${ctx.deps.clock.now().toISOString()}`,
    columns: spec.columns.map((c) => ({ header: c.header + (c.required ? '*' : ''), key: c.key, width: c.width ?? 16 })),
    rows: [Object.fromEntries(spec.columns.map((c) => [c.key, c.example ?? '']))],
  });
}

function toJob(r: {
  id: string; registry: string; status: string; file_name: string; validation_ms?: number | null; total_rows: number | null; processed_rows: number; error_count: number;
  inserted_count: number; message: string | null; message_params?: unknown; report_file: string | null; created_at: Date; finished_at: Date | null;
}): ImportJob {
  const live = running.get(r.id)?.progress;
  return {
    id: r.id,
    registry: r.registry,
    status: (live?.status ?? r.status) as ImportStatus,
    fileName: r.file_name,
    totalRows: live?.total ?? r.total_rows,
    processedRows: live?.processed ?? r.processed_rows,
    errorCount: live?.errors ?? r.error_count,
    insertedCount: live?.inserted ?? r.inserted_count,
    message: r.message,
    messageParams: (r.message_params as Record<string, string | number> | null | undefined) ?? null,
    hasReport: !!r.report_file,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/**
 * Takes an uploaded file and starts its job. The same file already imported into the same unit is
 * refused (409) instead of being imported twice; the same file still running returns that job.
 */
export async function startImport(ctx: Ctx, registry: string, upload: { bytes: Buffer | null; fileName: string; unitId?: string | undefined }): Promise<ImportJob> {
  const spec = specFor(ctx, registry);
  const unitId = upload.unitId ?? ctx.actor.unitId;
  if (!unitId || !(await unitBrief(ctx, unitId))) throw new DomainError('orgs.not_found', undefined, [{ field: 'query.unitId', code: 'not_found', message: '' }]);
  if (!upload.bytes || upload.bytes.length === 0) throw new DomainError('import.not_xlsx');
  const bytes = upload.bytes;
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const prior = await ctx.run((trx) =>
    trx.selectFrom('import_job').selectAll().where('registry', '=', registry).where('org_unit_id', '=', unitId).where('file_sha256', '=', sha).where('status', 'in', ['done', 'queued', 'validating', 'importing']).orderBy('created_at', 'desc').executeTakeFirst(),
  );
  if (prior?.status === 'done') throw new DomainError('import.already_imported', { at: prior.finished_at ? shanghaiMinute(prior.finished_at) : '' }, { jobId: prior.id });
  if (prior && running.has(prior.id)) return toJob(prior);

  const id = crypto.randomUUID();
  const file = path.join(dirs(ctx), `${id}.xlsx`);
  fs.writeFileSync(file, bytes, { mode: 0o600 });
  let total: number | null;
  try {
    const { sheet } = inspectXlsx(file);
    const declared = declaredRows(file, sheet);
    total = declared === null ? null : Math.max(0, declared - 1);
    if (total !== null && total > XLSX_LIMITS.maxRows) throw new DomainError('import.too_many_rows', { max: XLSX_LIMITS.maxRows });
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  const fileName = upload.fileName.replace(/[\r\n\\/]/g, '_').slice(0, 200) || 'upload.xlsx';
  const now = ctx.deps.clock.now();
  await ctx.run(async (trx) => {
    await trx.insertInto('import_job').values({ id, registry, org_unit_id: unitId, actor_id: ctx.actor.userId ?? '00000000-0000-0000-0000-000000000000', file_name: fileName, file_sha256: sha, status: 'queued', total_rows: total, processed_rows: 0, error_count: 0, inserted_count: 0, message: null, message_params: null, validation_ms: null, insert_ms: null, report_file: null, created_at: now, finished_at: null }).execute();
    await recordAudit(ctx, { action: 'imports.started', entityType: 'import_job', entityId: id, unitId, details: { registry, fileName, sha256: sha, rows: total } });
  });
  const state: Running = { cancel: false, timings: { validationMs: null, insertMs: null }, progress: { processed: 0, total, errors: 0, inserted: 0, status: 'queued' }, done: Promise.resolve() };
  running.set(id, state);
  // Detached from the request: the caller polls GET /api/imports/:id.
  state.done = run(ctx, spec, id, file, unitId, state).catch((err) => ctx.deps.log.error({ err, job: id }, 'import job crashed'));
  return toJob((await ctx.run((trx) => trx.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow())));
}

async function run(ctx: Ctx, spec: ImportSpec<unknown>, id: string, file: string, unitId: string, state: Running) {
  const p = state.progress;
  const finish = async (status: ImportStatus, message: string | null, reportFile: string | null, params: Record<string, unknown> | null = null) => {
    p.status = status;
    await ctx.run(async (trx) => {
      await trx.updateTable('import_job').set({ status, message, message_params: params ? JSON.stringify(params) : null, report_file: reportFile, validation_ms: state.timings.validationMs, insert_ms: state.timings.insertMs, processed_rows: p.processed, total_rows: p.total ?? p.processed, error_count: p.errors, inserted_count: p.inserted, finished_at: ctx.deps.clock.now() }).where('id', '=', id).execute();
      await recordAudit(ctx, { action: `imports.${status}`, entityType: 'import_job', entityId: id, unitId, details: { rows: p.processed, errors: p.errors, inserted: p.inserted, message } });
    });
    running.delete(id);
    fs.rmSync(file, { force: true });
  };
  try {
    p.status = 'validating';
    await ctx.run((trx) => trx.updateTable('import_job').set({ status: 'validating' }).where('id', '=', id).execute());
    const now = ctx.deps.clock.now();
    const t0 = performance.now();
    const errors: { row: number; column: string; value: string; message: string }[] = [];
    const prepared: unknown[] = [];
    const keys = new Map<string, number>(); // key → first row
    const keyRows: { key: string; row: number; value: string }[] = [];
    // Keys are checked against the registry in the background while the file is still being read
    // (on PostgreSQL the server does that work on another core), a batch at a time, in order.
    let checked = 0;
    let checks = Promise.resolve();
    const taken: { key: string; row: number; value: string }[] = [];
    const checkExisting = () => {
      if (!spec.existing || checked === keyRows.length) return;
      const slice = keyRows.slice(checked, keyRows.length);
      checked = keyRows.length;
      checks = checks.then(async () => {
        const found = await spec.existing!(ctx, slice.map((k) => k.key));
        for (const k of slice) if (found.has(k.key)) taken.push(k);
      });
      checks.catch(() => undefined); // awaited below; a job that stops early must not leave it unhandled
    };
    let columnIndex: Map<string, number> | undefined;
    const rows = sheetRowBatches(ctx, file, p.total === null || p.total >= readerThread.minRows);
    for await (const batch of rows) {
      for (const row of batch) {
        if (state.cancel) return await finish('cancelled', null, null);
        if (!columnIndex) {
          columnIndex = mapHeader(spec, row.cells);
          continue;
        }
        if (row.cells.every((c) => c === null)) continue;
        p.processed++;
        if (p.processed > XLSX_LIMITS.maxRows) throw new DomainError('import.too_many_rows', { max: XLSX_LIMITS.maxRows });
        const cells: Record<string, string | null> = {};
        for (const c of spec.columns) cells[c.key] = row.cells[columnIndex.get(c.key) ?? -1] ?? null;
        const r = spec.prepare(ctx, cells, unitId, now);
        if (!r.ok) {
          p.errors++;
          for (const e of r.errors) if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: row.rowNumber, column: headerOf(spec, e.column), value: cells[e.column] ?? '', message: e.message });
        } else {
          if (r.key) {
            const first = keys.get(r.key);
            if (first !== undefined) {
              p.errors++;
              if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: row.rowNumber, column: headerOf(spec, spec.keyColumn ?? ''), value: cells[spec.keyColumn ?? ''] ?? '', message: `与第 ${first} 行重复` });
              continue;
            }
            keys.set(r.key, row.rowNumber);
            keyRows.push({ key: r.key, row: row.rowNumber, value: cells[spec.keyColumn ?? ''] ?? '' });
            if (keyRows.length - checked === BATCH) checkExisting();
          }
          prepared.push(r.value);
        }
        if (p.processed % 500 === 0) await new Promise((res) => setImmediate(res)); // let requests (progress polls) through
      }
    }
    if (!columnIndex) throw new DomainError('import.empty');
    if (p.processed === 0) throw new DomainError('import.empty');
    p.total = p.processed;
    checkExisting();
    await checks;
    for (const k of taken) {
      p.errors++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: k.row, column: headerOf(spec, spec.keyColumn ?? ''), value: k.value, message: '已登记，不能重复导入' });
    }
    state.timings.validationMs = Math.round(performance.now() - t0);
    if (p.errors > 0) {
      const report = path.join(dirs(ctx), `${id}-report.xlsx`);
      await writeReport(report, errors.sort((a, b) => a.row - b.row));
      return await finish('failed', 'import.rows_invalid', report, { rows: p.errors });
    }
    p.status = 'importing';
    const t1 = performance.now();
    await ctx.run(async () => {
      for (let i = 0; i < prepared.length; i += INSERT_BATCH) {
        if (state.cancel) throw new CancelledError();
        await spec.insert(ctx, prepared.slice(i, i + INSERT_BATCH));
        p.inserted = Math.min(prepared.length, i + INSERT_BATCH);
      }
    });
    state.timings.insertMs = Math.round(performance.now() - t1);
    await finish('done', null, null);
  } catch (err) {
    if (err instanceof CancelledError) {
      p.inserted = 0;
      return finish('cancelled', null, null);
    }
    p.inserted = 0;
    const message = err instanceof DomainError ? err.code : 'internal';
    if (!(err instanceof DomainError)) ctx.deps.log.error({ err, job: id }, 'import failed');
    return finish('failed', message, null, err instanceof DomainError ? (err.params ?? null) : null);
  }
}

class CancelledError extends Error {}

/**
 * Files declaring fewer rows are read on the job's own thread: starting the reader thread (loading
 * the xlsx library into it) takes a few hundred milliseconds, more than it saves on a small file.
 * Tests lower it to exercise the thread with small files.
 */
export const readerThread = { minRows: 20_000 };
const ROWS_PER_MESSAGE = 500;
/** Messages the reader may have in flight before it waits for the job to catch up (bounds memory). */
const READ_AHEAD = 8;

/**
 * The reader thread: unzipping and parsing the sheet's XML (and the garbage it leaves) is about a
 * third of validation time; on its own thread it runs alongside validation and sealing.
 * It loads the same reader module as the job thread (through tsx: a worker does not inherit the
 * process's loader) and sends rows in batches, at most READ_AHEAD unacknowledged.
 */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const mod = await (await import(workerData.tsx)).tsImport(workerData.reader, workerData.reader);
  let credit = workerData.readAhead;
  let wake = null;
  parentPort.on('message', (n) => { credit += n; if (wake) { const w = wake; wake = null; w(); } });
  parentPort.postMessage({ type: 'ready' });
  let rows = [];
  for await (const row of mod.readFirstSheet(workerData.file)) {
    rows.push(row);
    if (rows.length < workerData.perMessage) continue;
    while (credit <= 0) await new Promise((r) => (wake = r));
    credit--;
    parentPort.postMessage({ type: 'rows', rows });
    rows = [];
  }
  parentPort.postMessage({ type: 'rows', rows, done: true });
})().catch((err) => parentPort.postMessage({ type: 'error', message: String((err && err.message) || err) }));
`;

/** tsx's API (a dependency: the server runs under tsx) loads the TypeScript reader into the worker. */
function tsxApi() {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    // Module runners without import.meta.resolve (the test runner): the same entry, found by require.
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  }
}

type ReaderMessage = { type: 'ready' } | { type: 'rows'; rows: SheetRow[]; done?: boolean } | { type: 'error'; message: string } | { type: 'exit'; code: number };

/** The rows of the first sheet in batches: read on a worker thread for large files, else (or if the worker cannot start) on this one. */
async function* sheetRowBatches(ctx: Ctx, file: string, useWorker: boolean): AsyncGenerator<SheetRow[]> {
  if (useWorker) {
    const worker = new Worker(READER_SOURCE, {
      eval: true,
      workerData: { file, reader: new URL('../../../platform/xlsx-read.ts', import.meta.url).href, tsx: tsxApi(), perMessage: ROWS_PER_MESSAGE, readAhead: READ_AHEAD },
    });
    const queue: ReaderMessage[] = [];
    let wake: (() => void) | null = null;
    const push = (m: ReaderMessage) => {
      queue.push(m);
      const w = wake;
      wake = null;
      w?.();
    };
    worker.on('message', push);
    worker.on('error', (err) => push({ type: 'error', message: err.message }));
    worker.on('exit', (code) => push({ type: 'exit', code }));
    let ready = false;
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const m = queue.shift()!;
        if (m.type === 'ready') ready = true;
        else if (m.type === 'rows') {
          if (!m.done) worker.postMessage(1);
          yield m.rows;
          if (m.done) return;
        } else if (ready) throw new Error(m.type === 'error' ? m.message : `xlsx reader exited with code ${m.code}`);
        else {
          ctx.deps.log.warn({ reason: m.type === 'error' ? m.message : `exit ${m.code}` }, 'xlsx reader thread unavailable; reading on the job thread');
          break;
        }
      }
    } finally {
      await worker.terminate();
    }
  }
  let rows: SheetRow[] = [];
  for await (const row of readFirstSheet(file)) {
    rows.push(row);
    if (rows.length === ROWS_PER_MESSAGE) {
      yield rows;
      rows = [];
    }
  }
  yield rows;
}

function normaliseHeader(h: string) {
  return h.replace(/[*＊\s（）()]/g, '').toLowerCase();
}

/** Column positions by header text (with or without the * of required columns); missing required columns stop the job. */
function mapHeader(spec: ImportSpec<unknown>, cells: (string | null)[]) {
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    if (!cell) return;
    const h = normaliseHeader(cell);
    const col = spec.columns.find((c) => normaliseHeader(c.header) === h || (c.aliases ?? []).some((a) => normaliseHeader(a) === h));
    if (col && !index.has(col.key)) index.set(col.key, i);
  });
  const missing = spec.columns.filter((c) => c.required && !index.has(c.key)).map((c) => c.header);
  if (missing.length) throw new DomainError('import.no_header', { columns: missing.join('、') });
  return index;
}

function headerOf(spec: ImportSpec<unknown>, key: string) {
  return spec.columns.find((c) => c.key === key)?.header ?? key;
}

async function writeReport(file: string, errors: { row: number; column: string; value: string; message: string }[]) {
  const out = fs.createWriteStream(file, { mode: 0o600 });
  const stream = xlsxStream({
    sheetName: '错误报告',
    title: '导入错误报告',
    watermark: '博爱平台',
    columns: [
      { header: '行号', key: 'row', width: 8 },
      { header: '列', key: 'column', width: 14 },
      { header: '内容', key: 'value', width: 24 },
      { header: '原因', key: 'message', width: 50 },
    ],
    rows: errors,
  });
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    out.on('error', reject);
    out.on('finish', () => resolve());
    stream.pipe(out);
  });
}

async function loadJob(ctx: Ctx, id: string) {
  const row = await ctx.run((trx) => trx.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst());
  if (!row) throw new DomainError('import.not_found');
  specFor(ctx, row.registry);
  return row;
}

export async function getJob(ctx: Ctx, id: string) {
  return toJob(await loadJob(ctx, id));
}

export async function listJobs(ctx: Ctx, registry?: string) {
  const rows = await ctx.run((trx) => {
    let q = trx.selectFrom('import_job').selectAll().orderBy('created_at', 'desc').limit(50);
    if (registry) q = q.where('registry', '=', registry);
    return q.execute();
  });
  return rows.filter((r) => importSpec(r.registry) && (ctx.actor.kind === 'system' || ctx.actor.permissions.has(importSpec(r.registry)!.permission))).map(toJob);
}

export async function cancelJob(ctx: Ctx, id: string) {
  await loadJob(ctx, id);
  const state = running.get(id);
  if (!state) throw new DomainError('import.not_running');
  state.cancel = true;
  await state.done;
  return getJob(ctx, id);
}

export async function reportFile(ctx: Ctx, id: string) {
  const row = await loadJob(ctx, id);
  if (!row.report_file || !fs.existsSync(row.report_file)) throw new DomainError('import.no_report');
  return { path: row.report_file, name: `${row.file_name.replace(/\.xlsx$/i, '')}-错误报告.xlsx` };
}

/** For tests and the demo loader: resolves when a job has finished. */
export async function jobFinished(id: string) {
  await running.get(id)?.done;
}
