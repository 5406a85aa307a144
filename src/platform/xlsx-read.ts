import fs from 'node:fs';
import zlib from 'node:zlib';
import { ExcelJS } from './exceljs.ts';
import { DomainError } from './errors.ts';

/**
 * Reading uploaded workbooks safely (security.md items 26–27): the file must be an xlsx by its
 * content, not its name; the zip directory is checked before anything is unpacked (entry count,
 * total and per-entry expansion), macro-enabled workbooks are refused, and rows are streamed so a
 * large file never sits in memory as a whole. Formulas are read as their cached values.
 */
export const XLSX_LIMITS = {
  maxBytes: 50 * 1024 * 1024,
  maxEntries: 1000,
  maxUncompressed: 600 * 1024 * 1024,
  maxRatio: 120,
  maxRows: 200_000,
};

type ZipEntry = { name: string; compressed: number; uncompressed: number; method: number; localOffset: number };

function fail(code: 'import.not_xlsx' | 'import.too_large' | 'import.zip_bomb' | 'import.macro', params?: Record<string, unknown>): never {
  throw new DomainError(code, params);
}

/** Reads the zip central directory (no decompression) and applies the limits. */
export function inspectXlsx(file: string, limits = XLSX_LIMITS): { entries: ZipEntry[]; sheet: ZipEntry | undefined } {
  const size = fs.statSync(file).size;
  if (size > limits.maxBytes) fail('import.too_large', { mb: Math.round(limits.maxBytes / 1024 / 1024) });
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    fs.readSync(fd, head, 0, 4, 0);
    if (head.readUInt32LE(0) !== 0x04034b50) fail('import.not_xlsx');
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    fs.readSync(fd, tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('import.not_xlsx');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count > limits.maxEntries || count === 0xffff) fail('import.zip_bomb');
    if (cdOffset + cdSize > size) fail('import.not_xlsx');
    const cd = Buffer.alloc(cdSize);
    fs.readSync(fd, cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    let total = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) fail('import.not_xlsx');
      const method = cd.readUInt16LE(p + 10);
      const compressed = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      p += 46 + nameLen + extraLen + commentLen;
      if (compressed === 0xffffffff || uncompressed === 0xffffffff) fail('import.zip_bomb'); // zip64: far beyond any sane workbook
      total += uncompressed;
      if (total > limits.maxUncompressed) fail('import.zip_bomb');
      if (uncompressed > 1024 * 1024 && uncompressed / Math.max(compressed, 1) > limits.maxRatio) fail('import.zip_bomb');
      entries.push({ name, compressed, uncompressed, method, localOffset });
    }
    const names = new Set(entries.map((e) => e.name));
    if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) fail('import.not_xlsx');
    if ([...names].some((n) => /vbaProject\.bin$/i.test(n))) fail('import.macro');
    const types = readEntry(fd, entries.find((e) => e.name === '[Content_Types].xml')!, 64 * 1024).toString('utf8');
    if (/macroEnabled|vbaProject/i.test(types)) fail('import.macro');
    const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml') ?? entries.find((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
    return { entries, sheet };
  } finally {
    fs.closeSync(fd);
  }
}

/** Inflates at most `max` bytes of one entry. */
function readEntry(fd: number, e: ZipEntry, max: number): Buffer {
  const local = Buffer.alloc(30);
  fs.readSync(fd, local, 0, 30, e.localOffset);
  const dataStart = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = Buffer.alloc(Math.min(e.compressed, max));
  fs.readSync(fd, raw, 0, raw.length, dataStart);
  if (e.method === 0) return raw.subarray(0, max);
  try {
    return zlib.inflateRawSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: max });
  } catch {
    return Buffer.alloc(0);
  }
}

/** The last row number the first sheet declares (`<dimension ref="A1:K1001"/>`), for a progress bar; null if absent. */
export function declaredRows(file: string, sheet: ZipEntry | undefined): number | null {
  if (!sheet) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const start = readEntry(fd, sheet, 4096).toString('utf8');
    const m = /<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(start);
    return m ? Number(m[1]) : null;
  } finally {
    fs.closeSync(fd);
  }
}

export type SheetRow = { rowNumber: number; cells: (string | null)[] };

/** A cell as the text a person typed: formulas by their value, dates as YYYY-MM-DD, numbers without float noise. */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return new Date(v.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if ('result' in o) return cellText(o.result);
    if (o.richText) return cellText(o.richText.map((r) => r.text).join(''));
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return null;
  }
  return String(v);
}

/** Streams the rows of the first worksheet. */
export async function* readFirstSheet(file: string): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  for await (const ws of reader) {
    for await (const row of ws) {
      const values = row.values as unknown[];
      const cells: (string | null)[] = [];
      for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
      yield { rowNumber: row.number, cells };
    }
    return; // the first sheet only
  }
}
