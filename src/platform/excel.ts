import { PassThrough } from 'node:stream';
import { ExcelJS } from './exceljs.ts';

/**
 * Excel out: streamed (constant memory for any row count), Chinese headers, frozen header row,
 * A4 print setup with page numbers and a watermark naming who exported it and when.
 * Cells that a spreadsheet would treat as a formula are neutralised (security.md item 29).
 */
export type XlsxColumn = { header: string; key: string; width?: number };

const FORMULA_TRIGGER = /^[=+\-@\t\r\0]/;

export function escapeCell(v: unknown): unknown {
  if (typeof v === 'string' && FORMULA_TRIGGER.test(v)) return "'" + v;
  return v;
}

export function xlsxStream(opts: {
  sheetName: string;
  title: string;
  watermark: string;
  columns: XlsxColumn[];
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
}): PassThrough {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = opts.watermark;
  wb.title = opts.title;
  wb.description = opts.watermark;
  const ws = wb.addWorksheet(opts.sheetName.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    headerFooter: { oddHeader: `&C${opts.title}`, oddFooter: `&L${opts.watermark}&R第 &P 页，共 &N 页` },
  });
  ws.columns = opts.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const row of opts.rows as AsyncIterable<Record<string, unknown>>) {
        const safe: Record<string, unknown> = {};
        for (const c of opts.columns) safe[c.key] = escapeCell(row[c.key]);
        ws.addRow(safe).commit();
      }
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name, with nothing that could break the header. */
export function contentDisposition(filename: string) {
  const clean = filename.replace(/[\r\n"\\/]/g, '_');
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}
