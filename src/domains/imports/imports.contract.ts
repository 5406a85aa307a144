import { z } from 'zod';
import type { ErrorCatalog } from '../../platform/errors.ts';
import { isoDateTime, uuid } from '../../platform/contract-kit.ts';

/**
 * Excel import jobs, shared by every registry (people first). Permissions are the registries' own
 * (`people.import`, …): there is no import permission of its own.
 */
export const importsErrors = {
  'import.unknown_registry': { status: 404, zh: '没有名为“{registry}”的导入类型', en: 'No import type "{registry}"' },
  'import.not_found': { status: 404, zh: '导入任务不存在', en: 'Import job not found' },
  'import.not_xlsx': { status: 415, zh: '文件不是有效的 Excel 工作簿（.xlsx）', en: 'The file is not a valid Excel workbook (.xlsx)' },
  'import.macro': { status: 415, zh: '不接受含宏的工作簿，请另存为普通 .xlsx', en: 'Macro-enabled workbooks are not accepted; save as a plain .xlsx' },
  'import.too_large': { status: 413, zh: '文件超过 {mb} MB', en: 'The file is larger than {mb} MB' },
  'import.zip_bomb': { status: 422, zh: '文件解压后过大或结构异常，已拒绝', en: 'The file expands to too much data or is malformed' },
  'import.too_many_rows': { status: 422, zh: '单个文件最多 {max} 行，请拆分后导入', en: 'At most {max} rows per file; split the file' },
  'import.no_header': { status: 422, zh: '第 1 行应为表头，缺少必填列：{columns}', en: 'Row 1 must be the header; required columns missing: {columns}' },
  'import.empty': { status: 422, zh: '文件中没有数据行', en: 'The file has no data rows' },
  'import.already_imported': { status: 409, zh: '同一文件已于 {at} 导入成功，未重复导入', en: 'This very file was imported on {at}; nothing was imported again' },
  'import.not_running': { status: 409, zh: '任务已结束，无法取消', en: 'The job has finished and cannot be cancelled' },
  'import.rows_invalid': { status: 422, zh: '有行未通过校验，未导入任何数据；请下载错误报告，修改后重新导入', en: 'Some rows are invalid and nothing was imported; download the error report, fix and import again' },
  'import.no_report': { status: 404, zh: '该任务没有错误报告', en: 'This job has no error report' },
} satisfies ErrorCatalog;

export const IMPORT_STATUSES = ['queued', 'validating', 'importing', 'done', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const importStatusLabels: Record<ImportStatus, { zh: string; en: string }> = {
  queued: { zh: '排队中', en: 'Queued' },
  validating: { zh: '校验中', en: 'Validating' },
  importing: { zh: '写入中', en: 'Importing' },
  done: { zh: '已完成', en: 'Done' },
  failed: { zh: '有错误，未导入', en: 'Errors; nothing imported' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const importJob = z.object({
  id: z.string(),
  registry: z.string(),
  status: z.enum(IMPORT_STATUSES),
  fileName: z.string(),
  totalRows: z.number().int().nullable(),
  processedRows: z.number().int(),
  errorCount: z.number().int(),
  insertedCount: z.number().int(),
  /** Why a job failed: an error code of this contract (import.rows_invalid, import.no_header, …), worded by the client. */
  message: z.string().nullable(),
  messageParams: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  hasReport: z.boolean(),
  createdAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
});
export type ImportJob = z.infer<typeof importJob>;

export const registryParams = z.strictObject({ registry: z.string().regex(/^[a-z][a-z_]{1,30}$/) });
export const jobParams = z.strictObject({ id: uuid });
export const startImportQuery = z.strictObject({ unitId: uuid.optional() });
export const jobListQuery = z.strictObject({ registry: z.string().regex(/^[a-z][a-z_]{1,30}$/).optional() });

export const importColumn = z.object({ key: z.string(), header: z.string(), required: z.boolean(), example: z.string().nullable(), note: z.string().nullable() });
export const importRegistryInfo = z.object({ registry: z.string(), title: z.string(), permission: z.string(), columns: z.array(importColumn), maxRows: z.number().int() });
