import { createRequire } from 'node:module';
import type ExcelJSType from 'exceljs';

/**
 * exceljs, with its XML reading fixed for Chinese text. exceljs 4.4.0 decodes every chunk of an
 * unzipped part separately (lib/utils/parse-sax.js), so a character whose UTF-8 bytes straddle
 * two chunks turns into U+FFFD — in a large workbook, every few thousand rows a 居民身份证
 * becomes 居���身份证 (found by the import test). The replacement below decodes the stream with a
 * streaming TextDecoder. It must be in the module cache before exceljs loads its readers, so
 * every use of exceljs goes through this module (an ESLint rule forbids importing 'exceljs').
 */
const require = createRequire(import.meta.url);
const saxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const { SaxesParser } = require('saxes') as { SaxesParser: new () => { on(e: string, f: (v: unknown) => void): void; write(s: string): void; close(): void } };

async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }) {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let error: unknown;
  let events: { eventType: string; value: unknown }[] = [];
  parser.on('error', (err) => (error = err));
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.decode();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

if (require.cache[saxPath]?.exports !== parseSax) {
  if (require.cache[require.resolve('exceljs')]) throw new Error('exceljs was loaded before its fix: import it from src/platform/exceljs.ts only');
  require.cache[saxPath] = { id: saxPath, filename: saxPath, loaded: true, exports: parseSax, children: [], paths: [] } as unknown as NodeJS.Module;
}

export const ExcelJS = require('exceljs') as typeof ExcelJSType;
export type Workbook = ExcelJSType.Workbook;
export type Worksheet = ExcelJSType.Worksheet;
