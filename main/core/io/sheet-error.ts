import { userSheetText } from '../../../shared/rules/user-sheet.ts';

export const SHEET_ERROR_CODES = [
  'UNREADABLE', 'EMPTY', 'HEADER_ONLY', 'TOO_LARGE', 'NOT_SPREADSHEET', 'LEGACY_XLS', 'ODS', 'XLSB',
  'PASSWORD_PROTECTED', 'OTHER_OFFICE', 'BROKEN', 'NO_SHEET', 'ZIP_BOMB', 'TOO_MANY_ROWS',
  'TOO_MANY_COLUMNS', 'CELL_TOO_LONG', 'TOO_MANY_STRINGS', 'TIMEOUT', 'OUT_OF_MEMORY', 'CANCELLED', 'FAILED',
] as const;
export type SheetErrorCode = (typeof SHEET_ERROR_CODES)[number];

export interface SheetErrorShape {
  code: SheetErrorCode;
  key: string;
  params: Record<string, string | number>;
  message: string;
}

/**
 * Why a file cannot be read, for the person who chose it: a code for the program, an i18n key
 * with params for the renderer (`userSheet.file.*`), and the English message.
 * Nothing was read when one is thrown: the caller discards whatever rows it already received.
 */
export class SheetError extends Error {
  override readonly name = 'SheetError';
  readonly code: SheetErrorCode;
  readonly key: string;
  readonly params: Record<string, string | number>;

  constructor(code: SheetErrorCode, key: string, params: Record<string, string | number> = {}) {
    super(userSheetText(`userSheet.file.${key}`, params));
    this.code = code;
    this.key = `userSheet.file.${key}`;
    this.params = params;
  }

  toShape(): SheetErrorShape {
    return { code: this.code, key: this.key, params: this.params, message: this.message };
  }

  static fromShape(shape: SheetErrorShape): SheetError {
    return new SheetError(shape.code, shape.key.replace(/^userSheet\.file\./, ''), shape.params);
  }
}

/** Megabytes with one decimal, for messages. */
export const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
