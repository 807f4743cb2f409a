import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';

export type SheetFormat = 'xlsx' | 'csv';

/** One data row: its row number in the file (the header is usually row 1) and its cells as text. */
export interface SheetRow {
  rowNumber: number;
  /** Cell texts by column index (trailing empty cells dropped). Formula cells hold their cached value. */
  cells: string[];
  /** Column indexes whose cell holds a formula (xlsx only); absent when there is none. */
  formulas?: number[];
}

export interface SheetNotice {
  key: string;
  params?: Record<string, string | number>;
}

export type SheetEvent =
  | {
      type: 'header';
      header: string[];
      rowNumber: number;
      format: SheetFormat;
      /** Things the person should know: more sheets than the first, a guessed encoding. */
      notices: SheetNotice[];
      totalBytes: number;
    }
  | { type: 'rows'; rows: SheetRow[]; bytesRead: number; totalBytes: number };

export interface ReadSheetOptions {
  limits?: UserSheetLimits;
  signal?: AbortSignal;
  /** Rows per 'rows' event (default 1,000). */
  batchSize?: number;
}
