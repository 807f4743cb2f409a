/**
 * The only file that imports exceljs (4.4.0, pinned: barely maintained). Writing only: the
 * streaming WorkbookWriter without shared strings (research io.md §3.4: 3.1 s / 159 MiB for 100k
 * rows, versus 4.8 s / 339 MiB with them). Reading goes through our own capped reader.
 * To swap exceljs for a fork, re-implement `createXlsxStreamWriter` and run the io tests.
 */
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
// The streaming writer alone, not the package's entry: that one loads all of exceljs (the readers,
// CSV, the in-memory workbook) and took ~300 ms in every worker that writes a file; the writer and
// what it requires take ~100 ms (measured on Node 24). Types from the package's own declarations.
import WorkbookWriterModule from 'exceljs/lib/stream/xlsx/workbook-writer.js';

const WorkbookWriter = WorkbookWriterModule as typeof ExcelJS.stream.xlsx.WorkbookWriter;

export interface XlsxColumn {
  /** Width in characters. */
  width: number;
  /** Format the column as Text ('@'), so Excel keeps "00123" as typed when people edit it. */
  text?: boolean;
  /** Wrap long text (the error report's Errors column). */
  wrap?: boolean;
}

export interface XlsxStreamWriter {
  /** Every value is written as a string cell, never a formula. */
  addRow(values: readonly string[], options?: { bold?: boolean }): void;
  /** Finish the file; resolves when the zip has been written out. */
  commit(): Promise<void>;
}

/**
 * exceljs computes every cell's style from scratch (each cell has its own style object, so its
 * WeakMap cache never hits): with useStyles on, a 100k x 12 write took 2.9x as long. Cells share a
 * handful of distinct styles here, so a cache by value gives the same ids at a fraction of the cost.
 */
function memoizeStyles(wb: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const styles = (wb as unknown as { styles?: { addStyleModel?: (model: unknown, cellType: unknown) => number } }).styles;
  const original = styles?.addStyleModel?.bind(styles);
  if (!styles || !original) return;
  const cache = new Map<string, number>();
  styles.addStyleModel = (model, cellType) => {
    // Most cells have no style of their own: their key without serializing anything.
    const key = `${String(cellType)}|${model === null || model === undefined ? 'null' : isEmptyObject(model) ? '{}' : JSON.stringify(model)}`;
    let id = cache.get(key);
    if (id === undefined) {
      id = original(model, cellType);
      cache.set(key, id);
    }
    return id;
  };
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

export function createXlsxStreamWriter(
  stream: Writable,
  options: { sheetName: string; columns: readonly XlsxColumn[]; freezeHeader?: boolean },
): XlsxStreamWriter {
  const styled = options.columns.some((c) => c.text || c.wrap);
  const wb = new WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  memoizeStyles(wb);
  const ws = wb.addWorksheet(options.sheetName, options.freezeHeader ? { views: [{ state: 'frozen', ySplit: 1 }] } : {});
  ws.columns = options.columns.map((c) => {
    const col: Partial<ExcelJS.Column> = { width: c.width };
    if (styled) {
      const style: Partial<ExcelJS.Style> = {};
      if (c.text) style.numFmt = '@';
      if (c.wrap) style.alignment = { wrapText: true, vertical: 'top' };
      col.style = style as ExcelJS.Style;
    }
    return col;
  });
  const bold: Partial<ExcelJS.Font> = { bold: true, size: 11, name: 'Calibri', family: 2 };
  return {
    addRow(values, opts) {
      const row = ws.addRow(values as string[]);
      if (opts?.bold) row.font = bold;
      row.commit();
    },
    async commit() {
      ws.commit();
      await wb.commit();
    },
  };
}
