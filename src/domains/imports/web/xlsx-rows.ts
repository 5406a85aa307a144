/**
 * How many data rows an .xlsx holds, read in the browser before (and while) it is uploaded, so the
 * progress bar can show a percentage while the server validates. The server only knows the total
 * when the sheet declares it (`<dimension>` at the top, which Excel and WPS write but streaming
 * writers do not) — otherwise not until validation ends. The server's count wins once it has one.
 *
 * Reads the zip's central directory, picks the same sheet the server does (sheet1.xml, else the
 * first sheetN.xml), inflates it with the browser's own DecompressionStream and counts `<row`
 * elements. Nothing leaves the browser; any surprise gives null (no estimate), never an error.
 */

type Entry = { name: string; method: number; compressed: number; localOffset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

async function bytes(file: Blob, start: number, end: number): Promise<DataView> {
  return new DataView(await file.slice(start, end).arrayBuffer());
}

async function centralDirectory(file: Blob): Promise<Entry[] | null> {
  const tailLen = Math.min(file.size, 65_557);
  const tail = await bytes(file, file.size - tailLen, file.size);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.getUint16(eocd + 10, true);
  const cdSize = tail.getUint32(eocd + 12, true);
  const cdOffset = tail.getUint32(eocd + 16, true);
  if (cdOffset + cdSize > file.size) return null;
  const cd = await bytes(file, cdOffset, cdOffset + cdSize);
  const decoder = new TextDecoder();
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.byteLength || cd.getUint32(p, true) !== CENTRAL) return null;
    const nameLen = cd.getUint16(p + 28, true);
    const extraLen = cd.getUint16(p + 30, true);
    const commentLen = cd.getUint16(p + 32, true);
    entries.push({
      name: decoder.decode(new Uint8Array(cd.buffer, cd.byteOffset + p + 46, nameLen)),
      method: cd.getUint16(p + 10, true),
      compressed: cd.getUint32(p + 20, true),
      localOffset: cd.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Counts `<row ` / `<row>` across chunk boundaries. */
function rowCounter() {
  const pattern = [0x3c, 0x72, 0x6f, 0x77]; // "<row"
  let matched = 0;
  let count = 0;
  return {
    feed(chunk: Uint8Array) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (matched === 4) {
          if (b === 0x20 || b === 0x3e || b === 0x09 || b === 0x0a || b === 0x0d) count++;
          matched = 0;
        }
        if (b === pattern[matched]) matched++;
        else matched = b === pattern[0] ? 1 : 0;
      }
    },
    get count() {
      return count;
    },
  };
}

/** Data rows (all rows but the header) of the first sheet, or null when they cannot be counted here. */
export async function countDataRows(file: Blob): Promise<number | null> {
  try {
    if (typeof DecompressionStream === 'undefined') return null;
    const entries = await centralDirectory(file);
    if (!entries) return null;
    const sheet = entries.find((e) => e.name === 'xl/worksheets/sheet1.xml') ?? entries.find((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name));
    if (!sheet || (sheet.method !== 0 && sheet.method !== 8)) return null;
    const local = await bytes(file, sheet.localOffset, sheet.localOffset + 30);
    if (local.getUint32(0, true) !== LOCAL) return null;
    const start = sheet.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
    let stream = file.slice(start, start + sheet.compressed).stream();
    if (sheet.method === 8) stream = stream.pipeThrough(new DecompressionStream('deflate-raw'));
    const counter = rowCounter();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      counter.feed(value);
    }
    return Math.max(0, counter.count - 1);
  } catch {
    return null;
  }
}
