/**
 * Writing users files: `writeSheet('xlsx' | 'csv', { header, rows }, out)` and the error report.
 *
 * - Every cell is text. A value starting with = + - @ tab or CR gets a leading `'` in both
 *   formats (OWASP CSV injection; people re-save our xlsx as CSV), which `cleanCell` removes on
 *   import, so exported files read back unchanged.
 * - xlsx: exceljs's streaming writer (exceljs-adapter.ts), bold header row, column widths from the
 *   header and the first 100 rows, optional Text-formatted columns.
 * - csv: shared/rules/csv.ts (UTF-8 BOM, CRLF, commas), written with backpressure.
 */
import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { csvRow, neutralizeFormula } from '../../../shared/rules/csv.ts';
import { escapeLeadingQuote, matchHeaders, userSheetText } from '../../../shared/rules/user-sheet.ts';
import type { UserSheetLanguage } from '../../../shared/rules/user-sheet.ts';
import { createXlsxStreamWriter } from './exceljs-adapter.ts';
import type { XlsxColumn } from './exceljs-adapter.ts';

export interface SheetContent {
  header: readonly string[];
  rows: AsyncIterable<readonly string[]> | Iterable<readonly string[]>;
  /** Columns to format as Text in xlsx (IDs, phone numbers). */
  textColumns?: readonly number[];
  /** Columns to wrap (xlsx). */
  wrapColumns?: readonly number[];
  /** Worksheet name (xlsx). Default "Users". */
  sheetName?: string;
}

const SAMPLE_ROWS = 100;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** Write a users sheet to a stream or a file path. A file that fails half-way is removed. */
export async function writeSheet(format: 'xlsx' | 'csv', content: SheetContent, out: Writable | string): Promise<void> {
  const stream = typeof out === 'string' ? createWriteStream(out) : out;
  try {
    if (format === 'csv') await writeCsv(content, stream);
    else await writeXlsx(content, stream);
    if (typeof out === 'string') await finished(stream);
  } catch (e) {
    if (typeof out === 'string') {
      stream.destroy();
      await unlink(out).catch(() => undefined);
    }
    throw e;
  }
}

function finished(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.writableFinished) return resolve();
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
}

async function writeCsv(content: SheetContent, stream: Writable): Promise<void> {
  let buf = `\uFEFF${csvRow(content.header)}\r\n`;
  const flush = async () => {
    if (!stream.write(buf)) await new Promise<void>((r) => stream.once('drain', r));
    buf = '';
  };
  for await (const row of content.rows) {
    buf += `${csvRow(row.map((v) => escapeLeadingQuote(v === null || v === undefined ? '' : String(v))))}\r\n`;
    if (buf.length > 1 << 16) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

async function writeXlsx(content: SheetContent, stream: Writable): Promise<void> {
  const iterator = (Symbol.asyncIterator in content.rows
    ? (content.rows as AsyncIterable<readonly string[]>)[Symbol.asyncIterator]()
    : (content.rows as Iterable<readonly string[]>)[Symbol.iterator]()) as AsyncIterator<readonly string[]> | Iterator<readonly string[]>;
  // Widths from the header and the first rows; those rows are written first, then the rest.
  const sample: (readonly string[])[] = [];
  let done = false;
  while (sample.length < SAMPLE_ROWS) {
    const r = await iterator.next();
    if (r.done) {
      done = true;
      break;
    }
    sample.push(r.value);
  }
  const widths = content.header.map((h) => Math.max(MIN_WIDTH, h.length + 2));
  for (const row of sample) {
    row.forEach((v, i) => {
      widths[i] = Math.min(MAX_WIDTH, Math.max(widths[i] ?? MIN_WIDTH, String(v ?? '').length + 2));
    });
  }
  const text = new Set(content.textColumns ?? []);
  const wrap = new Set(content.wrapColumns ?? []);
  const columns: XlsxColumn[] = widths.map((width, i) => ({ width, text: text.has(i), wrap: wrap.has(i) }));
  const writer = createXlsxStreamWriter(stream, { sheetName: content.sheetName ?? 'Users', columns, freezeHeader: true });
  const cellsOf = (row: readonly string[]) => row.map((v) => neutralizeFormula(escapeLeadingQuote(v === null || v === undefined ? '' : String(v))));
  writer.addRow(cellsOf(content.header), { bold: true });
  for (const row of sample) writer.addRow(cellsOf(row));
  while (!done) {
    const r = await iterator.next();
    if (r.done) break;
    writer.addRow(cellsOf(r.value));
  }
  await writer.commit();
}

export interface ErrorReportRow {
  /** The row number in the imported file. */
  rowNumber: number;
  /** The row's cells as read. */
  cells: readonly string[];
  /** What is wrong with it, as messages for people (already translated). */
  messages: readonly string[];
}

/**
 * The rows that failed, as .xlsx: the file's own header and cells, then "Original row" and
 * "Errors". Fixing the cells and importing this file again works: those two columns are ignored
 * on import (and replaced, not repeated, when a report is itself reported on).
 */
export async function writeErrorReport(
  input: { header: readonly string[]; rows: AsyncIterable<ErrorReportRow> | Iterable<ErrorReportRow>; language?: UserSheetLanguage },
  out: Writable | string,
): Promise<void> {
  const lang = input.language ?? 'en';
  const { columnOf } = matchHeaders(input.header);
  const keep = input.header.map((_, i) => i).filter((i) => columnOf[i] !== 'errors' && columnOf[i] !== 'sourceRow');
  const header = [
    ...keep.map((i) => input.header[i]!),
    userSheetText('userSheet.column.sourceRow', {}, lang),
    userSheetText('userSheet.column.errors', {}, lang),
  ];
  async function* rows() {
    for await (const r of input.rows) {
      yield [...keep.map((i) => r.cells[i] ?? ''), String(r.rowNumber), r.messages.join('\n')];
    }
  }
  await writeSheet('xlsx', { header, rows: rows(), wrapColumns: [header.length - 1], sheetName: 'Errors' }, out);
}
