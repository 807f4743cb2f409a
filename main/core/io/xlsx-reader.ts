/**
 * The first worksheet of an .xlsx, streamed row by row with our own XML scanner over yauzl
 * streams (no exceljs on the read path: it spools sheets to temp files, has no caps, and fails on
 * prefixed XML). Caps are enforced while reading: shared strings (count and size), cell size,
 * columns; the row cap is the collector's.
 */
import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';
import { columnLetter } from '../../../shared/rules/user-sheet.ts';
import { SheetError, mb } from './sheet-error.ts';
import type { SheetNotice } from './sheet-types.ts';
import { classifyZip } from './sniff.ts';
import { XmlScanner, XmlSyntaxError } from './xml-scanner.ts';
import type { XmlHandlers } from './xml-scanner.ts';
import { openGuardedZip } from './zip-guard.ts';
import type { GuardedZip } from './zip-guard.ts';

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

export interface RawRow {
  rowNumber: number;
  cells: string[];
  formulas: number[] | null;
}

export interface XlsxSource {
  notices: SheetNotice[];
  /** Uncompressed size of the sheet part, for progress. */
  sheetBytes: number;
  /** Calls `onRow` for each row with any content, in file order, while inflating the sheet. */
  rows(onRow: (row: RawRow) => void, onProgress: (inflated: number) => void, signal?: AbortSignal): AsyncGenerator<void>;
  close(): void;
}

function broken(detail: string): SheetError {
  return new SheetError('BROKEN', 'broken', { detail });
}

function parseWhole(text: string, handlers: Partial<XmlHandlers>, part: string): void {
  const s = new XmlScanner({ open: handlers.open ?? noop, close: handlers.close ?? noop, text: handlers.text ?? noop });
  try {
    s.write(text);
    s.end();
  } catch (e) {
    throw e instanceof XmlSyntaxError ? broken(`${part}: ${e.message}`) : e;
  }
}
function noop(): void {}

/** Resolve a relationship target against the folder of the part that declares it. */
function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const base = fromPart.includes('/') ? fromPart.slice(0, fromPart.lastIndexOf('/') + 1) : '';
  const out: string[] = [];
  for (const seg of (base + target).split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

function relsPathOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

async function readRels(zip: GuardedZip, part: string): Promise<{ id: string; type: string; target: string }[]> {
  const path = relsPathOf(part);
  const text = await zip.readText(path);
  if (text === null) return [];
  const rels: { id: string; type: string; target: string }[] = [];
  parseWhole(text, {
    open(name, a) {
      if (name === 'Relationship' && a.Target && a.TargetMode !== 'External') {
        rels.push({ id: a.Id ?? '', type: a.Type ?? '', target: resolveTarget(part, a.Target) });
      }
    },
  }, path);
  return rels;
}

// --- styles: which cell formats are dates ---------------------------------------------------

type DateKind = 'date' | 'time' | null;
const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81]);
const BUILTIN_TIME_IDS = new Set([18, 19, 20, 21, 32, 33, 45, 46, 47, 55, 56]);

export function formatKind(code: string): DateKind {
  const s = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/general/gi, '');
  // Only the first section (positive numbers) decides.
  const first = s.split(';')[0] ?? '';
  if (/[dy]/i.test(first)) return 'date';
  if (/[hs]/i.test(first)) return 'time';
  if (/m/i.test(first)) return 'date';
  return null;
}

async function readStyles(zip: GuardedZip, part: string | undefined): Promise<DateKind[]> {
  if (!part) return [];
  const text = await zip.readText(part);
  if (text === null) return [];
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  parseWhole(text, {
    open(name, a) {
      if (name === 'numFmt' && a.numFmtId !== undefined) custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  }, part);
  return xfFormats.map((id) => {
    const code = custom.get(id);
    if (code !== undefined) return formatKind(code);
    if (BUILTIN_DATE_IDS.has(id)) return 'date';
    if (BUILTIN_TIME_IDS.has(id)) return 'time';
    return null;
  });
}

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel serial date as ISO text: "2024-01-31", "2024-01-31T10:20:00", or "10:20:00" for a time. */
export function excelSerialToIso(serial: number, date1904: boolean, kind: 'date' | 'time'): string {
  if (kind === 'time' && serial >= 0 && serial < 1) {
    const secs = Math.round(serial * 86_400) % 86_400;
    return `${pad(Math.floor(secs / 3600))}:${pad(Math.floor((secs % 3600) / 60))}:${pad(secs % 60)}`;
  }
  // 1900 system: serial 1 = 1900-01-01, and Excel counts a 29 February 1900 that never was (60).
  const epochDays = date1904 ? 24_107 : serial < 61 ? 25_568 : 25_569;
  const ms = Math.round(((serial - epochDays) * DAY_MS) / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

function numberText(v: string): string {
  if (/^-?\d{1,15}$/.test(v)) return v;
  const n = Number(v);
  return Number.isFinite(n) ? String(Number(n.toPrecision(15))) : v;
}

const unescapeOoxml = (s: string) =>
  s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s;

// --- shared strings --------------------------------------------------------------------------

async function readSharedStrings(zip: GuardedZip, part: string | undefined, limits: UserSheetLimits, signal?: AbortSignal): Promise<string[]> {
  const table: string[] = [];
  if (!part || !zip.entry(part)) return table;
  let chars = 0;
  let cur = '';
  let inT = false;
  let rph = 0;
  const scanner = new XmlScanner({
    open(name) {
      if (name === 't') inT = rph === 0;
      else if (name === 'si') cur = '';
      else if (name === 'rPh') rph++;
    },
    text(t) {
      if (inT) cur += t;
    },
    close(name) {
      if (name === 't') inT = false;
      else if (name === 'rPh') rph--;
      else if (name === 'si') {
        if (table.length >= limits.maxSharedStrings) {
          throw new SheetError('TOO_MANY_STRINGS', 'too_many_strings', { max: limits.maxSharedStrings });
        }
        chars += cur.length;
        if (chars > limits.maxSharedStringChars) {
          throw new SheetError('TOO_MANY_STRINGS', 'strings_too_big', { max: mb(limits.maxSharedStringChars) });
        }
        table.push(unescapeOoxml(cur));
        cur = '';
      }
    },
  });
  try {
    for await (const chunk of zip.textChunks(part)) {
      if (signal?.aborted) throw new SheetError('CANCELLED', 'cancelled');
      scanner.write(chunk);
    }
    scanner.end();
  } catch (e) {
    throw e instanceof XmlSyntaxError ? broken(`${part}: ${e.message}`) : e;
  }
  return table;
}

// --- the workbook ----------------------------------------------------------------------------

export async function openXlsx(path: string, limits: UserSheetLimits, signal?: AbortSignal): Promise<XlsxSource> {
  const zip = await openGuardedZip(path, limits);
  try {
    const mimetype = zip.entry('mimetype') ? await zip.readText('mimetype') : null;
    const kind = classifyZip(zip.names, mimetype);
    if (kind === 'ods') throw new SheetError('ODS', 'ods');
    if (kind === 'xlsb') throw new SheetError('XLSB', 'xlsb');
    if (kind === 'other-office') throw new SheetError('OTHER_OFFICE', 'other_office');
    if (kind === 'other-zip') throw new SheetError('NOT_SPREADSHEET', 'other_zip');

    const rootRels = await readRels(zip, '');
    const workbookPart = rootRels.find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.target ?? 'xl/workbook.xml';
    const workbookXml = await zip.readText(workbookPart);
    if (workbookXml === null) throw new SheetError('NOT_SPREADSHEET', 'other_zip');

    const sheets: { name: string; relId: string; hidden: boolean }[] = [];
    let date1904 = false;
    parseWhole(workbookXml, {
      open(name, a) {
        if (name === 'sheet') sheets.push({ name: a.name ?? '', relId: a.id ?? '', hidden: a.state === 'hidden' || a.state === 'veryHidden' });
        else if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      },
    }, workbookPart);

    const rels = await readRels(zip, workbookPart);
    const sheet = sheets.find((s) => !s.hidden) ?? sheets[0];
    const sheetPart = sheet ? rels.find((r) => r.id === sheet.relId)?.target : undefined;
    if (!sheet || !sheetPart || !zip.entry(sheetPart)) throw new SheetError('NO_SHEET', 'no_sheet');

    const notices: SheetNotice[] = [];
    if (sheets.length > 1) notices.push({ key: 'userSheet.notice.more_sheets', params: { count: sheets.length, sheet: sheet.name } });

    const styles = await readStyles(zip, rels.find((r) => REL_STYLES.test(r.type))?.target ?? resolveTarget(workbookPart, 'styles.xml'));
    const sst = await readSharedStrings(zip, rels.find((r) => REL_SHARED_STRINGS.test(r.type))?.target ?? resolveTarget(workbookPart, 'sharedStrings.xml'), limits, signal);

    return {
      notices,
      sheetBytes: zip.entry(sheetPart)!.uncompressedSize,
      close: () => zip.close(),
      rows: (onRow, onProgress, sig) => sheetRows(zip, sheetPart, { sst, styles, date1904, limits }, onRow, onProgress, sig),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}

interface SheetCtx {
  sst: string[];
  styles: DateKind[];
  date1904: boolean;
  limits: UserSheetLimits;
}

function colIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n - 1;
}

async function* sheetRows(
  zip: GuardedZip, part: string, ctx: SheetCtx,
  onRow: (row: RawRow) => void, onProgress: (inflated: number) => void, signal?: AbortSignal,
): AsyncGenerator<void> {
  const { sst, styles, date1904, limits } = ctx;
  const maxChars = limits.maxCellChars;
  let rowNumber = 0;
  let cells: string[] = [];
  let formulas: number[] | null = null;
  let any = false;
  let col = -1;
  let type = 'n';
  let style = 0;
  let hasFormula = false;
  let capture = false;
  let inIs = false;
  let rph = 0;
  let text = '';
  let inSheetData = false;

  const tooLong = () =>
    new SheetError('CELL_TOO_LONG', 'cell_too_long', { row: rowNumber, letter: columnLetter(Math.max(col, 0)), max: maxChars });

  const finishCell = () => {
    let value: string;
    switch (type) {
      case 's': {
        const i = Number(text);
        const s = sst[i];
        if (text === '') value = '';
        else if (s === undefined) throw broken(`cell ${columnLetter(col)}${rowNumber} refers to a missing shared text`);
        else value = s;
        break;
      }
      case 'inlineStr':
        value = unescapeOoxml(text);
        break;
      case 'str':
      case 'e':
      case 'd':
        value = unescapeOoxml(text);
        break;
      case 'b':
        value = text === '1' || text === 'true' ? 'TRUE' : text === '' ? '' : 'FALSE';
        break;
      default: {
        const t = text.trim();
        if (t === '') value = '';
        else {
          const kind = styles[style];
          const n = Number(t);
          value = kind && Number.isFinite(n) ? excelSerialToIso(n, date1904, kind) : numberText(t);
        }
      }
    }
    if (value.length > maxChars) throw tooLong();
    if (value !== '' || hasFormula) {
      if (col >= limits.maxColumns) {
        throw new SheetError('TOO_MANY_COLUMNS', 'too_many_columns', { row: rowNumber, letter: columnLetter(col), max: limits.maxColumns });
      }
      if (value !== '') {
        while (cells.length < col) cells.push('');
        cells[col] = value;
        if (value.trim() !== '') any = true;
      }
      if (hasFormula) {
        (formulas ??= []).push(col);
        any = true;
        while (cells.length <= col) cells.push('');
      }
    }
  };

  const scanner = new XmlScanner({
    open(name, a) {
      switch (name) {
        case 'c':
          col = a.r !== undefined ? colIndex(a.r) : col + 1;
          if (col < 0) col = 0;
          type = a.t ?? 'n';
          style = a.s !== undefined ? Number(a.s) : 0;
          hasFormula = false;
          text = '';
          break;
        case 'v':
          capture = true;
          break;
        case 't':
          if (inIs && rph === 0) capture = true;
          break;
        case 'is':
          inIs = true;
          break;
        case 'rPh':
          rph++;
          break;
        case 'f':
          hasFormula = true;
          break;
        case 'row': {
          if (!inSheetData) break;
          const r = a.r !== undefined ? Number(a.r) : rowNumber + 1;
          rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
          cells = [];
          formulas = null;
          any = false;
          col = -1;
          break;
        }
        case 'sheetData':
          inSheetData = true;
          break;
      }
    },
    text(t) {
      if (capture) {
        text += t;
        if (text.length > maxChars + 16) throw tooLong();
      }
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          capture = false;
          break;
        case 'is':
          inIs = false;
          break;
        case 'rPh':
          rph--;
          break;
        case 'c':
          if (inSheetData) finishCell();
          break;
        case 'row':
          if (inSheetData && any) onRow({ rowNumber, cells, formulas });
          break;
        case 'sheetData':
          inSheetData = false;
          break;
      }
    },
  });

  try {
    for await (const chunk of zip.textChunks(part, onProgress)) {
      if (signal?.aborted) throw new SheetError('CANCELLED', 'cancelled');
      scanner.write(chunk);
      yield;
    }
    scanner.end();
  } catch (e) {
    throw e instanceof XmlSyntaxError ? broken(`${part}: ${e.message}`) : e;
  }
}
