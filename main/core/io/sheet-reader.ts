/**
 * `readSheet({ path }, opts)`: the rows of a users file, whatever it is (xlsx, csv, txt), as
 * an async iterator: one `header` event (the first row with content, with notices), then `rows`
 * batches. Bad files throw a SheetError; when one is thrown, discard what was received: a file is
 * read whole or not at all. Run it through `readSheetInWorker` in the app (memory cap, timeout).
 */
import { USER_SHEET_LIMITS } from '../../../shared/rules/user-sheet.ts';
import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';
import { SheetError } from './sheet-error.ts';
import type { ReadSheetOptions, SheetEvent, SheetFormat, SheetNotice, SheetRow } from './sheet-types.ts';
import { sniffFile } from './sniff.ts';
import { openText } from './text-reader.ts';
import { openXlsx } from './xlsx-reader.ts';
import type { RawRow } from './xlsx-reader.ts';

export type { ReadSheetOptions, SheetEvent, SheetFormat, SheetNotice, SheetRow } from './sheet-types.ts';

/** Collects rows: the first is the header, then batches; enforces the row cap. */
class RowCollector {
  header: RawRow | null = null;
  pending: SheetRow[] = [];
  dataRows = 0;
  headerSent = false;
  private readonly maxRows: number;

  constructor(maxRows: number) {
    this.maxRows = maxRows;
  }

  readonly push = (row: RawRow): void => {
    if (!this.header) {
      this.header = row;
      return;
    }
    if (++this.dataRows > this.maxRows) throw new SheetError('TOO_MANY_ROWS', 'too_many_rows', { max: this.maxRows });
    const out: SheetRow = { rowNumber: row.rowNumber, cells: row.cells };
    if (row.formulas) out.formulas = row.formulas;
    this.pending.push(out);
  };
}

export async function* readSheet(input: { path: string }, opts: ReadSheetOptions = {}): AsyncGenerator<SheetEvent> {
  const limits: UserSheetLimits = opts.limits ?? USER_SHEET_LIMITS;
  const batchSize = opts.batchSize ?? 1000;
  const signal = opts.signal;
  const cancelled = () => new SheetError('CANCELLED', 'cancelled');
  if (signal?.aborted) throw cancelled();

  const sniffed = await sniffFile(input.path, limits.maxFileBytes);
  const totalBytes = sniffed.size;
  const collector = new RowCollector(limits.maxRows);
  let bytesRead = 0;
  let format: SheetFormat;
  let notices: SheetNotice[];
  let source: AsyncGenerator<void>;
  let close = () => {};

  if (sniffed.head.kind === 'zip') {
    const x = await openXlsx(input.path, limits, signal);
    format = 'xlsx';
    notices = x.notices;
    close = x.close;
    const scale = x.sheetBytes > 0 ? totalBytes / x.sheetBytes : 0;
    source = x.rows(collector.push, (inflated) => { bytesRead = Math.min(totalBytes, Math.round(inflated * scale)); }, signal);
  } else if (sniffed.head.kind === 'text') {
    const t = await openText(input.path, sniffed.head.encoding, sniffed.head.bomLength, limits);
    format = 'csv';
    notices = t.notices;
    source = t.rows(collector.push, (b) => { bytesRead = b; }, signal);
  } else {
    throw new SheetError('NOT_SPREADSHEET', 'not_spreadsheet_binary');
  }

  try {
    const header = (): SheetEvent => {
      collector.headerSent = true;
      const h = collector.header!;
      return { type: 'header', header: h.cells, rowNumber: h.rowNumber, format, notices, totalBytes };
    };
    for await (const _ of source) {
      if (signal?.aborted) throw cancelled();
      while (collector.pending.length >= batchSize) {
        if (!collector.headerSent) yield header();
        yield { type: 'rows', rows: collector.pending.splice(0, batchSize), bytesRead, totalBytes };
      }
    }
    if (!collector.header) throw new SheetError('EMPTY', 'empty');
    if (collector.dataRows === 0) throw new SheetError('HEADER_ONLY', 'header_only');
    if (!collector.headerSent) yield header();
    while (collector.pending.length) {
      yield { type: 'rows', rows: collector.pending.splice(0, batchSize), bytesRead: totalBytes, totalBytes };
    }
  } finally {
    await source.return(undefined);
    close();
  }
}

/** Read a whole file into memory (tests, small files): header, rows, notices. */
export async function readWholeSheet(input: { path: string }, opts: ReadSheetOptions = {}): Promise<{
  header: string[]; headerRow: number; format: SheetFormat; notices: SheetNotice[]; rows: SheetRow[];
}> {
  let header: string[] = [];
  let headerRow = 0;
  let format: SheetFormat = 'csv';
  let notices: SheetNotice[] = [];
  const rows: SheetRow[] = [];
  for await (const ev of readSheet(input, opts)) {
    if (ev.type === 'header') ({ header, rowNumber: headerRow, format, notices } = ev);
    else rows.push(...ev.rows);
  }
  return { header, headerRow, format, notices, rows };
}
