/**
 * CSV and text files: decoded by BOM (UTF-8, UTF-16LE "Unicode text", UTF-16BE), else as UTF-8
 * when the whole file is valid UTF-8, else as Windows-1252 (what Excel's plain "CSV" writes on
 * Western European PCs). The delimiter (comma, semicolon or tab) is taken from the header line.
 * papaparse parses complete records, fed in chunks cut at record ends, so memory stays flat.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';
import { columnLetter } from '../../../shared/rules/user-sheet.ts';
import { SheetError } from './sheet-error.ts';
import type { SheetNotice } from './sheet-types.ts';
import type { TextEncodingName } from './sniff.ts';
import type { RawRow } from './xlsx-reader.ts';

const CHUNK = 1 << 20;

/** Whether the whole file is valid UTF-8 (streamed; a few ms per MB). */
export async function isUtf8File(path: string, skip: number): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { start: skip, highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (e) {
    if (e instanceof TypeError) return false;
    throw e;
  }
}

/** The delimiter used by the first record: the most frequent of , ; tab outside quotes. */
export function sniffDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === '\n' || c === '\r') break;
      if (c === ',' || c === ';' || c === '\t') counts[c]++;
    }
  }
  if (counts['\t'] > 0 && counts['\t'] >= counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

export interface TextSource {
  notices: SheetNotice[];
  encoding: TextEncodingName;
  delimiter: string;
  rows(onRow: (row: RawRow) => void, onProgress: (bytes: number) => void, signal?: AbortSignal): AsyncGenerator<void>;
}

export async function openText(
  path: string, encodingHint: TextEncodingName | 'utf-8-or-1252', bomLength: number, limits: UserSheetLimits,
): Promise<TextSource> {
  const notices: SheetNotice[] = [];
  let encoding: TextEncodingName;
  if (encodingHint === 'utf-8-or-1252') {
    encoding = (await isUtf8File(path, bomLength)) ? 'utf-8' : 'windows-1252';
    if (encoding === 'windows-1252') notices.push({ key: 'userSheet.notice.windows_1252' });
  } else encoding = encodingHint;

  // The first 64 KB decide the delimiter.
  const head = await firstText(path, bomLength, encoding, 64 * 1024);
  const delimiter = sniffDelimiter(head);

  return {
    notices,
    encoding,
    delimiter,
    rows: (onRow, onProgress, signal) => textRows(path, bomLength, encoding, delimiter, limits, onRow, onProgress, signal),
  };
}

async function firstText(path: string, skip: number, encoding: TextEncodingName, bytes: number): Promise<string> {
  const decoder = new TextDecoder(encoding);
  let out = '';
  for await (const chunk of createReadStream(path, { start: skip, end: skip + bytes - 1 }) as AsyncIterable<Buffer>) {
    out += decoder.decode(chunk, { stream: true });
  }
  return out;
}

/**
 * Scan `text` starting in quote state `inQuotes`: the index just after the last record end (a
 * newline outside quotes), or -1, and the quote state at the end of `text`.
 */
function scanRecords(text: string, inQuotes: boolean): { cut: number; end: boolean } {
  let q = inQuotes;
  let cut = -1;
  let i = 0;
  for (;;) {
    const quote = text.indexOf('"', i);
    const nl = text.indexOf('\n', i);
    if (nl < 0 && quote < 0) break;
    if (quote >= 0 && (nl < 0 || quote < nl)) {
      q = !q;
      i = quote + 1;
    } else {
      if (!q) cut = nl + 1;
      i = nl + 1;
    }
  }
  return { cut, end: q };
}

async function* textRows(
  path: string, skip: number, encoding: TextEncodingName, delimiter: string, limits: UserSheetLimits,
  onRow: (row: RawRow) => void, onProgress: (bytes: number) => void, signal?: AbortSignal,
): AsyncGenerator<void> {
  const decoder = new TextDecoder(encoding);
  let pending = '';
  let rowNumber = 0;
  let bytes = skip;

  const emit = (text: string, final: boolean) => {
    if (!text) return;
    const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
    const rows = result.data;
    // A chunk that ends with a record end yields a last, empty record that is not in the file.
    const n = !final || /\r?\n$/.test(text) ? rows.length - 1 : rows.length;
    for (let r = 0; r < n; r++) {
      const cells = rows[r]!;
      rowNumber++;
      if (cells.length > limits.maxColumns) {
        for (let c = limits.maxColumns; c < cells.length; c++) {
          if (cells[c]!.trim() !== '') {
            throw new SheetError('TOO_MANY_COLUMNS', 'too_many_columns', { row: rowNumber, letter: columnLetter(c), max: limits.maxColumns });
          }
        }
        cells.length = limits.maxColumns;
      }
      let any = false;
      for (let c = 0; c < cells.length; c++) {
        const v = cells[c]!;
        if (v.length > limits.maxCellChars) {
          throw new SheetError('CELL_TOO_LONG', 'cell_too_long', { row: rowNumber, letter: columnLetter(c), max: limits.maxCellChars });
        }
        if (!any && v.trim() !== '') any = true;
      }
      if (any) {
        while (cells.length && cells[cells.length - 1] === '') cells.pop();
        onRow({ rowNumber, cells, formulas: null });
      }
    }
  };

  // `pending` always starts at a record start; `pendingQuotes` is the quote state at its end.
  let pendingQuotes = false;
  for await (const chunk of createReadStream(path, { start: skip, highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    if (signal?.aborted) throw new SheetError('CANCELLED', 'cancelled');
    bytes += chunk.length;
    const fresh = decoder.decode(chunk, { stream: true });
    const { cut, end } = scanRecords(fresh, pendingQuotes);
    pendingQuotes = end;
    if (cut < 0) {
      pending += fresh;
      // One record longer than the largest row we accept cannot be a users row.
      if (pending.length > limits.maxCellChars * limits.maxColumns + CHUNK) {
        throw new SheetError('CELL_TOO_LONG', 'cell_too_long', { row: rowNumber + 1, letter: 'A', max: limits.maxCellChars });
      }
      continue;
    }
    emit(pending + fresh.slice(0, cut), false);
    pending = fresh.slice(cut);
    onProgress(bytes);
    yield;
  }
  pending += decoder.decode();
  emit(pending, true);
  onProgress(bytes);
}
