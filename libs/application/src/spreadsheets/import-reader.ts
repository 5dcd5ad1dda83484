import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { open, stat } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import { ImportFileRefused } from './import-errors';

/*
 * Reads a spreadsheet file (already spooled to disk, see import-file.ts) as rows of cells, streaming,
 * against hostile files: a zip that inflates past a bound (checked entry by entry before exceljs
 * reads it, on the sizes actually inflated, not the ones the zip claims), text that is not UTF-8,
 * endless empty rows, records too large. Cells are as exceljs gives them (a formula cell stays an
 * object with `formula`, never evaluated; the import refuses it).
 */

export type SpreadsheetFormat = 'xlsx' | 'csv';

/** One row of the file: its number as the spreadsheet shows it (the header is row 1) and its cells. */
export interface FileRow {
  row: number;
  cells: unknown[];
}

export interface ReadLimits {
  /** The sum of every zip entry's inflated size (bytes). A national file (100,000 rows) inflates to about 60 MB. */
  maxInflatedBytes: number;
  /** Entries in the zip (an XLSX has about ten). */
  maxZipEntries: number;
  /** Empty rows in a row after which the sheet is taken to have ended (a sheet of 1,048,576 empty rows). */
  maxConsecutiveEmptyRows: number;
  /** Characters of one CSV record. */
  maxRecordChars: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxInflatedBytes: 256 * 1024 * 1024,
  maxZipEntries: 1000,
  maxConsecutiveEmptyRows: 1000,
  maxRecordChars: 1024 * 1024,
};

/** What the reader says beside the rows: where it stopped reading early, and why. */
export interface ReadNotes {
  stoppedAfterEmptyRows?: number;
}

/** The format a file's first bytes show: a zip (XLSX) or text (CSV). */
export async function sniffFormat(path: string): Promise<SpreadsheetFormat> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50 ? 'xlsx' : 'csv';
  } finally {
    await handle.close();
  }
}

/** The rows of the file's first sheet (XLSX) or of the file (CSV), header row included. */
export async function* readRows(path: string, format: SpreadsheetFormat, notes: ReadNotes = {}, limits: ReadLimits = DEFAULT_READ_LIMITS): AsyncGenerator<FileRow> {
  const rows = format === 'xlsx' ? readXlsx(path, limits) : readCsv(path, limits);
  let empty = 0;
  for await (const row of rows) {
    if (row.cells.every(isEmptyCell)) {
      empty += 1;
      if (empty >= limits.maxConsecutiveEmptyRows) {
        notes.stoppedAfterEmptyRows = row.row;
        return;
      }
      continue;
    }
    empty = 0;
    yield row;
  }
}

export function isEmptyCell(cell: unknown): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

async function* readXlsx(path: string, limits: ReadLimits): AsyncGenerator<FileRow> {
  const entries = await checkZip(path, limits);
  const Reader = await utf8WorkbookReader();
  // Styles are read so that a date cell comes as a Date; shared strings are cached (bounded by the check above).
  const reader = new Reader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    for await (const worksheet of worksheetsFromDirectory(reader as unknown as ReaderInternals, path, entries)) {
      for await (const row of worksheet as AsyncIterable<import('exceljs').Row>) {
        // row.values is 1-based (index 0 empty): cell A is values[1].
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        yield { row: row.number, cells: values };
      }
      // The first sheet only: the template's notes may follow on another sheet.
      return;
    }
  } catch (error) {
    if (error instanceof ImportFileRefused) throw error;
    throw new ImportFileRefused('FILE_UNREADABLE', `the workbook could not be read: ${(error as Error).message}`);
  }
}

/** The pinned exceljs reader's methods for the parts of a workbook (checked in utf8WorkbookReader). */
interface ReaderInternals {
  model?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Iterable<{ eventType: string; value: unknown }>;
}

/**
 * The worksheets, in sheet order, each read by exceljs once the workbook's relations, sheet list,
 * shared strings and styles are: every part opened where the zip's central directory places it.
 * exceljs 4.4.0's own reading goes through the zip in one streaming pass with an async iteration that
 * can lose entries (exceljs issue #3064, unzipper issue #234); a workbook exceljs wrote stores its
 * `xl/workbook.xml` last, and losing it refused a good file in CI ("Cannot read properties of undefined
 * (reading 'sheets')"), while losing the shared strings would have read text cells wrong.
 */
async function* worksheetsFromDirectory(reader: ReaderInternals, path: string, entries: ZipEntry[]): AsyncGenerator<unknown> {
  const part = (name: string) => entries.find((entry) => entry.name === name);
  const rels = part('xl/_rels/workbook.xml.rels');
  const workbook = part('xl/workbook.xml');
  if (!rels || !workbook) throw new ImportFileRefused('FILE_UNREADABLE', 'the file is not an XLSX workbook (no xl/workbook.xml or its relations)');
  await reader._parseRels(entryStream(path, rels));
  await reader._parseWorkbook(entryStream(path, workbook));
  if (reader.model === undefined) throw new ImportFileRefused('FILE_UNREADABLE', "the workbook's xl/workbook.xml could not be read");
  const sharedStrings = part('xl/sharedStrings.xml');
  if (sharedStrings) for await (const _ of reader._parseSharedStrings(entryStream(path, sharedStrings))) void _;
  const styles = part('xl/styles.xml');
  if (styles) await reader._parseStyles(entryStream(path, styles));
  const sheets = entries
    .map((entry) => ({ entry, number: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry.name)?.[1] }))
    .filter((sheet): sheet is { entry: ZipEntry; number: string } => sheet.number !== undefined)
    .sort((a, b) => Number(a.number) - Number(b.number));
  for (const { entry, number } of sheets) {
    for (const { eventType, value } of reader._parseWorksheet(entryStream(path, entry), number)) if (eventType === 'worksheet') yield value;
  }
}

/** One zip entry's bytes, inflated, read from where the central directory places its data. */
function entryStream(path: string, entry: ZipEntry): Readable {
  if (entry.compressed === 0) return Readable.from([]);
  const raw = createReadStream(path, { start: entry.dataStart, end: entry.dataStart + entry.compressed - 1 });
  if (entry.method === 0) return raw;
  const inflate = createInflateRaw();
  raw.on('error', (error) => inflate.destroy(error));
  return raw.pipe(inflate);
}

type ExcelJSModule = typeof import('exceljs');
let readerClass: Promise<ExcelJSModule['stream']['xlsx']['WorkbookReader']> | null = null;

/**
 * exceljs 4.4.0's streaming reader decodes each inflated chunk of a part on its own
 * (utils/parse-sax.js), so a Vietnamese letter (2–3 bytes in UTF-8) cut by a chunk boundary becomes
 * U+FFFD: about 1 row in 8,000 of a national file lost a letter of its name, kind or sector. This
 * subclass hands the parser text decoded across chunks: the parts it reads as streams are set to
 * UTF-8 (a stream's decoder keeps a cut letter for the next chunk), and a worksheet (read from the
 * zip or from exceljs's temporary copy) is decoded by one streaming TextDecoder. Only the pinned
 * version's internal methods are touched; the import spec reads letters across many chunk boundaries.
 * Loaded on first use: the api and every cli command load this library, and exceljs takes a third of a second.
 */
function utf8WorkbookReader(): Promise<ExcelJSModule['stream']['xlsx']['WorkbookReader']> {
  readerClass ??= import('exceljs').then(({ default: ExcelJS }) => {
    const Base = ExcelJS.stream.xlsx.WorkbookReader;
    class Utf8WorkbookReader extends Base {}
    const base = Base.prototype as unknown as Record<string, (this: unknown, ...args: unknown[]) => unknown>;
    const own = Utf8WorkbookReader.prototype as unknown as Record<string, (this: unknown, ...args: unknown[]) => unknown>;
    for (const name of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings']) {
      const original = base[name];
      if (typeof original !== 'function') throw new Error(`exceljs changed: WorkbookReader.${name} is gone (see import-reader.ts)`);
      own[name] = function (this: unknown, entry: unknown, ...rest: unknown[]) {
        (entry as { setEncoding?: (encoding: string) => void }).setEncoding?.('utf8');
        return original.call(this, entry, ...rest);
      };
    }
    const parseWorksheet = base._parseWorksheet;
    if (typeof parseWorksheet !== 'function') throw new Error('exceljs changed: WorkbookReader._parseWorksheet is gone (see import-reader.ts)');
    own._parseWorksheet = function (this: unknown, iterator: unknown, sheetNo: unknown) {
      return parseWorksheet.call(this, decodedUtf8(iterator as AsyncIterable<Buffer | string>), sheetNo);
    };
    return Utf8WorkbookReader;
  });
  return readerClass;
}

/** Chunks of bytes as text, a letter cut between two chunks kept whole. */
async function* decodedUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A zip entry as the central directory places it: where its (compressed) data starts and how long it is. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (checkZip refuses any other). */
  method: number;
  dataStart: number;
  compressed: number;
}

/**
 * Walks the zip's central directory and inflates every entry from its local header, counting the
 * bytes it actually yields: a zip bomb is refused (ZIP_TOO_LARGE) before exceljs (which would spool
 * a worksheet to a temporary file, or cache shared strings in memory) sees any of it. Costs one
 * extra inflate pass, a fraction of the parse. Answers the entries, which the reading then opens.
 */
export async function checkZip(path: string, limits: ReadLimits): Promise<ZipEntry[]> {
  const size = (await stat(path)).size;
  const handle = await open(path, 'r');
  try {
    // End of central directory: 22 bytes and a comment of at most 65,535.
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ImportFileRefused('FILE_UNREADABLE', 'the file is not an XLSX workbook (no zip directory found)');
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || directoryOffset === 0xffffffff) throw new ImportFileRefused('ZIP_TOO_LARGE', 'the workbook is a ZIP64 archive, larger than any register');
    if (entries > limits.maxZipEntries) throw new ImportFileRefused('ZIP_TOO_LARGE', `the workbook holds ${entries} zip entries (at most ${limits.maxZipEntries})`);
    if (directoryOffset + directorySize > size) throw new ImportFileRefused('FILE_UNREADABLE', 'the workbook is truncated (its zip directory lies past its end)');
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    let claimed = 0;
    const located: { name: string; method: number; compressed: number; declared: number; offset: number }[] = [];
    for (let at = 0, i = 0; i < entries; i++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50) throw new ImportFileRefused('FILE_UNREADABLE', 'the workbook\'s zip directory is damaged');
      const method = directory.readUInt16LE(at + 10);
      const compressed = directory.readUInt32LE(at + 20);
      const declared = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const offset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      claimed += declared;
      if (claimed > limits.maxInflatedBytes || declared === 0xffffffff) {
        throw new ImportFileRefused('ZIP_TOO_LARGE', `the workbook claims to inflate to more than ${mb(limits.maxInflatedBytes)} (entry ${name}: ${mb(declared)})`);
      }
      located.push({ name, method, compressed, declared, offset });
      at += 46 + nameLength + extraLength + commentLength;
    }
    // The claims may lie: inflate each entry and count what comes out. exceljs reads the zip front to
    // back by its local headers, so the entries must also tile the file up to the directory: no bytes
    // (a hidden entry) that the directory does not name and this check would not inflate.
    let inflated = 0;
    let expectedOffset = 0;
    const checked: ZipEntry[] = [];
    for (const entry of [...located].sort((a, b) => a.offset - b.offset)) {
      if (entry.method !== 0 && entry.method !== 8) throw new ImportFileRefused('FILE_UNREADABLE', `the workbook's zip entry ${entry.name} uses an unknown compression (${entry.method})`);
      const header = Buffer.alloc(30);
      await handle.read(header, 0, 30, entry.offset);
      if (header.readUInt32LE(0) !== 0x04034b50 || header.readUInt16LE(8) !== entry.method) throw new ImportFileRefused('FILE_UNREADABLE', `the workbook's zip entry ${entry.name} is damaged`);
      if (!(await isDescriptorGap(handle, expectedOffset, entry.offset))) throw new ImportFileRefused('FILE_UNREADABLE', 'the workbook holds data its zip directory does not name');
      const dataStart = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      if (dataStart + entry.compressed > size) throw new ImportFileRefused('FILE_UNREADABLE', `the workbook's zip entry ${entry.name} is truncated`);
      const budget = limits.maxInflatedBytes - inflated;
      inflated += entry.method === 0 ? entry.compressed : await inflatedSize(path, dataStart, entry.compressed, budget, entry.name);
      if (inflated > limits.maxInflatedBytes) throw new ImportFileRefused('ZIP_TOO_LARGE', `the workbook inflates to more than ${mb(limits.maxInflatedBytes)}`);
      expectedOffset = dataStart + entry.compressed;
      checked.push({ name: entry.name, method: entry.method, dataStart, compressed: entry.compressed });
    }
    if (!(await isDescriptorGap(handle, expectedOffset, directoryOffset))) throw new ImportFileRefused('FILE_UNREADABLE', 'the workbook holds data its zip directory does not name');
    return checked;
  } finally {
    await handle.close();
  }
}

/**
 * Between one entry's data and the next header there may be only the previous entry's data
 * descriptor: nothing (0 bytes), or 12 bytes, or 16 starting with its signature.
 */
async function isDescriptorGap(handle: import('node:fs/promises').FileHandle, from: number, to: number): Promise<boolean> {
  const gap = to - from;
  if (gap === 0 || gap === 12) return true;
  if (gap !== 16) return false;
  const signature = Buffer.alloc(4);
  await handle.read(signature, 0, 4, from);
  return signature.readUInt32LE(0) === 0x08074b50;
}

/** Inflates a deflated entry, counting bytes; stops (ZIP_TOO_LARGE) once past `budget`. */
function inflatedSize(path: string, start: number, length: number, budget: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    if (length === 0) return resolve(0);
    const input = createReadStream(path, { start, end: start + length - 1 });
    const inflate = createInflateRaw();
    let count = 0;
    const fail = (error: Error) => {
      input.destroy();
      inflate.destroy();
      reject(error);
    };
    inflate.on('data', (chunk: Buffer) => {
      count += chunk.length;
      if (count > budget) fail(new ImportFileRefused('ZIP_TOO_LARGE', `the workbook inflates to more than its bound (entry ${name} alone passes ${mb(budget)})`));
    });
    inflate.on('end', () => resolve(count));
    inflate.on('error', (error) => fail(new ImportFileRefused('FILE_UNREADABLE', `the workbook's zip entry ${name} is damaged: ${error.message}`)));
    input.on('error', fail);
    input.pipe(inflate);
  });
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

async function* readCsv(path: string, limits: ReadLimits): AsyncGenerator<FileRow> {
  await requireUtf8(path);
  const delimiter = await detectDelimiter(path);
  const parser = createReadStream(path).pipe(
    parseCsv({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, max_record_size: limits.maxRecordChars, info: true }),
  );
  try {
    for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number; records: number } }>) {
      // The record's number is its row in a spreadsheet program (header = 1), whatever its line breaks inside quotes.
      yield { row: record.info.records, cells: record.record };
    }
  } catch (error) {
    throw new ImportFileRefused('FILE_UNREADABLE', `the CSV file could not be read: ${(error as Error).message}`);
  }
}

/**
 * Files are UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"); anything else (Windows-1258,
 * UTF-16, …) is refused as a whole, not guessed: a wrong guess would write mangled names into a register.
 */
export async function requireUtf8(path: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
      offset += (chunk as Buffer).length;
    }
    decoder.decode();
  } catch {
    throw new ImportFileRefused('ENCODING_NOT_UTF8', `the file is not UTF-8 (invalid bytes near byte ${offset}); save it as "CSV UTF-8"`);
  }
}

/** `,` unless the header line has more `;` or tabs (Excel writes `;` where the list separator is one). */
async function detectDelimiter(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const line = head.toString('utf8', 0, bytesRead).split(/\r?\n/, 1)[0] ?? '';
    const count = (c: string) => line.split(c).length - 1;
    const candidates = [',', ';', '\t'].map((c) => ({ c, n: count(c) }));
    candidates.sort((a, b) => b.n - a.n);
    return candidates[0]!.n > 0 ? candidates[0]!.c : ',';
  } finally {
    await handle.close();
  }
}
