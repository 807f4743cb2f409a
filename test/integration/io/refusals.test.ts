import { tmpdir } from 'node:os';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SheetError } from '../../../main/core/io/sheet-error.ts';
import { readWholeSheet } from '../../../main/core/io/sheet-reader.ts';
import { USER_SHEET_LIMITS } from '../../../shared/rules/user-sheet.ts';
import type { UserSheetLimits } from '../../../shared/rules/user-sheet.ts';
import { buildCfb, buildZip, deflateRepeated, fixture, inlineRow, sheetXml, tempDir, xlsxParts } from './helpers.ts';

const dir = tempDir();
afterAll(() => dir.remove());

async function refusal(path: string, limits?: UserSheetLimits): Promise<SheetError> {
  try {
    await readWholeSheet({ path }, limits ? { limits } : {});
  } catch (e) {
    expect(e).toBeInstanceOf(SheetError);
    return e as SheetError;
  }
  throw new Error(`${path} was read, but it should have been refused`);
}

const limits = (patch: Partial<UserSheetLimits>): UserSheetLimits => ({ ...USER_SHEET_LIMITS, ...patch });
const oursInTmp = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`tmp-${process.pid}-`));

describe('files that are not spreadsheets we read', () => {
  it('refuses a PDF and a PNG renamed .xlsx, by content', async () => {
    const pdf = await refusal(dir.file('report.xlsx', '%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'));
    expect(pdf.code).toBe('NOT_SPREADSHEET');
    expect(pdf.message).toBe('This file is not a spreadsheet Orgdesk can read: it contains PDF data, whatever its name says. Choose an Excel workbook (.xlsx) or a CSV or text file (.csv, .txt).');
    const png = await refusal(dir.file('users.xlsx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])));
    expect(png.params).toEqual({ detected: 'PNG' });
    const bin = await refusal(dir.file('users.csv', Buffer.from([1, 2, 3, 0, 0, 9, 250, 251, 0, 7])));
    expect(bin.message).toBe('This file is not a spreadsheet: it contains binary data, whatever its name says. Choose an Excel workbook (.xlsx) or a CSV or text file (.csv, .txt).');
  });

  it('refuses XML and HTML saved as spreadsheets (flat ODS, web "xls" exports)', async () => {
    expect((await refusal(fixture('libreoffice-users.fods'))).params).toEqual({ detected: 'XML' });
    expect((await refusal(dir.file('export.xls', '<html><body><table><tr><td>Name</td></tr></table></body></html>'))).params).toEqual({ detected: 'HTML' });
  });

  it('refuses an empty file and a header-only file', async () => {
    const empty = await refusal(dir.file('empty.csv', ''));
    expect(empty.code).toBe('EMPTY');
    expect(empty.message).toBe('The file is empty. Export the users list to get a file with the right columns, fill it in and import it.');
    expect((await refusal(dir.file('blank.csv', '\r\n , \r\n'))).code).toBe('EMPTY');
    const headerOnly = await refusal(dir.file('header.csv', 'Name,Email\r\n'));
    expect(headerOnly.code).toBe('HEADER_ONLY');
    expect(headerOnly.message).toBe('The file has column headers but no users. Add one row per user below the headers.');
    expect((await refusal(dir.file('header.xlsx', buildZip(xlsxParts(sheetXml(inlineRow(1, ['Name', 'Email']))))))).code).toBe('HEADER_ONLY');
  });

  it('refuses a legacy .xls (LibreOffice "Excel 97") naming the formats we read', async () => {
    const e = await refusal(fixture('libreoffice-users.xls'));
    expect(e.code).toBe('LEGACY_XLS');
    expect(e.message).toBe('This is an Excel 97-2003 workbook (.xls), which Orgdesk does not read. Open it in Excel and choose File > Save As > Excel Workbook (.xlsx) or CSV UTF-8, then import the new file.');
  });

  it('refuses an .ods (LibreOffice) naming the formats we read', async () => {
    const e = await refusal(fixture('libreoffice-users.ods'));
    expect(e.code).toBe('ODS');
    expect(e.message).toMatch(/OpenDocument spreadsheet \(\.ods\), which Orgdesk does not read\. .*\(\.xlsx\) or CSV/);
  });

  it('refuses a password-protected xlsx (CFB with EncryptionInfo / EncryptedPackage), telling it from a legacy .xls', async () => {
    const e = await refusal(dir.file('secret.xlsx', buildCfb(['\u0006DataSpaces', 'EncryptionInfo', 'EncryptedPackage'])));
    expect(e.code).toBe('PASSWORD_PROTECTED');
    expect(e.message).toBe('This workbook is password-protected, so Orgdesk cannot read it. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, then clear it), save it and import it again.');
    expect((await refusal(dir.file('old.xls', buildCfb(['Workbook', '\u0005SummaryInformation'])))).code).toBe('LEGACY_XLS');
    expect((await refusal(dir.file('letter.xls', buildCfb(['WordDocument'])))).code).toBe('OTHER_OFFICE');
    const cut = await refusal(dir.file('cut.xls', buildCfb(['Workbook']).subarray(0, 600)));
    expect(cut.code).toBe('BROKEN');
    expect(cut.params).toEqual({ detail: 'the Office container is damaged' });
  });

  it('refuses other zips, .xlsb and broken zips with a message, never a crash', async () => {
    expect((await refusal(dir.file('photos.xlsx', buildZip([{ name: 'a.txt', data: 'hello' }])))).code).toBe('NOT_SPREADSHEET');
    expect((await refusal(dir.file('b.xlsx', buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'xl/workbook.bin', data: 'x' }])))).code).toBe('XLSB');
    expect((await refusal(dir.file('doc.xlsx', buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w/>' }])))).code).toBe('OTHER_OFFICE');
    const good = buildZip(xlsxParts(sheetXml(inlineRow(1, ['Name']) + inlineRow(2, ['A']))));
    const truncated = await refusal(dir.file('trunc.xlsx', good.subarray(0, good.length - 30)));
    expect(truncated.code).toBe('BROKEN');
    expect(truncated.message).toMatch(/^The file is damaged and cannot be read \(.+\)\. Open it in Excel, save it again as Excel Workbook \(\.xlsx\), and import the new file\.$/);
    const badXml = await refusal(dir.file('badxml.xlsx', buildZip(xlsxParts(sheetXml(`${inlineRow(1, ['Name'])}<row r="2"><c r="A2" t="inlineStr"><is><t>cut`)))));
    expect(badXml.code).toBe('BROKEN');
    const doctype = await refusal(dir.file('dtd.xlsx', buildZip(xlsxParts(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${sheetXml(inlineRow(1, ['&a;']))}`))));
    expect(doctype.code).toBe('BROKEN');
  });
});

describe('hostile workbooks', () => {
  let bomb: { bytes: Buffer; size: number; crc: number };
  beforeAll(async () => {
    // 150 MB of blanks inside <sheetData>: a ~150 KB deflated part.
    bomb = await deflateRepeated('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>', ' ', 150 * 1024 * 1024, '</sheetData></worksheet>');
  }, 30_000);

  const measure = async (path: string, lim?: UserSheetLimits) => {
    const before = process.memoryUsage().rss;
    const tmpBefore = oursInTmp().length;
    const t = performance.now();
    const e = await refusal(path, lim);
    return { e, ms: performance.now() - t, rssGrowthMb: (process.memoryUsage().rss - before) / 2 ** 20, tmpFiles: oursInTmp().length - tmpBefore };
  };

  it('rejects a zip bomb from its central directory, fast, with little memory and no temp file', async () => {
    const path = dir.file('bomb.xlsx', buildZip(xlsxParts({ name: 'xl/worksheets/sheet1.xml', deflated: bomb })));
    const { e, ms, rssGrowthMb, tmpFiles } = await measure(path);
    expect(e.code).toBe('ZIP_BOMB');
    expect(e.message).toMatch(/^The workbook unpacks to far more data than a users list needs \(xl\/worksheets\/sheet1\.xml: 150 MB from 0\.1 MB\), so it was refused for safety\./);
    expect(ms).toBeLessThan(1000);
    expect(rssGrowthMb).toBeLessThan(50);
    expect(tmpFiles).toBe(0);
  });

  it('rejects a part declaring 1 GB, and a workbook with too many parts', async () => {
    const big = await refusal(dir.file('1gb.xlsx', buildZip(xlsxParts({ name: 'xl/worksheets/sheet1.xml', data: 'x', declaredSize: 1_000_000_000 }))));
    expect(big.code).toBe('ZIP_BOMB');
    expect(big.message).toBe('The workbook unpacks to more than 200 MB, which is far more than a users list needs. Split the users into several files.');
    const many = xlsxParts(sheetXml(inlineRow(1, ['Name'])));
    for (let i = 0; i < 120; i++) many.push({ name: `xl/media/image${i}.png`, data: 'x' });
    const e = await refusal(dir.file('many.xlsx', buildZip(many)));
    expect(e.message).toBe('The workbook has 125 internal parts; a users list needs far fewer (the limit is 100). Copy the users into a new workbook and import that.');
  });

  it('stops inflating a part whose central directory under-declares its size', async () => {
    // Declared as 50 KB (so the ratio rule does not apply); really 150 MB.
    const path = dir.file('liar.xlsx', buildZip(xlsxParts({ name: 'xl/worksheets/sheet1.xml', deflated: bomb, declaredSize: 50_000 })));
    const { e, ms, rssGrowthMb, tmpFiles } = await measure(path);
    expect(e.code).toBe('ZIP_BOMB');
    expect(e.message).toBe('A part of the workbook (xl/worksheets/sheet1.xml) holds more data than the file declares, a sign of a damaged or malicious file, so it was refused for safety. Open it in Excel, save it again as Excel Workbook (.xlsx), and import the new file.');
    expect(ms).toBeLessThan(1000);
    expect(rssGrowthMb).toBeLessThan(50);
    expect(tmpFiles).toBe(0);
  });

  it('stops at the shared-strings cap (count), with the default limits', async () => {
    const n = USER_SHEET_LIMITS.maxSharedStrings + 1;
    const parts = [];
    for (let i = 0; i < n; i += 50_000) {
      let s = '';
      for (let j = i; j < Math.min(n, i + 50_000); j++) s += `<si><t>s${j}</t></si>`;
      parts.push(s);
    }
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${parts.join('')}</sst>`;
    const path = dir.file('sst.xlsx', buildZip(xlsxParts(sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), { sharedStrings: sst })));
    const t = performance.now();
    const e = await refusal(path);
    expect(e.code).toBe('TOO_MANY_STRINGS');
    expect(e.message).toBe('The workbook holds more than 1000000 different texts, far more than a users list needs; it may be damaged. Copy the users into a new workbook and import that.');
    expect(performance.now() - t).toBeLessThan(5000);
  }, 30_000);

  it('stops at the shared-strings cap (size)', async () => {
    const sst = `<sst>${'<si><t>0123456789</t></si>'.repeat(200)}</sst>`;
    const e = await refusal(dir.file('sst2.xlsx', buildZip(xlsxParts(sheetXml(inlineRow(1, ['Name'])), { sharedStrings: sst }))), limits({ maxSharedStringChars: 1024 * 1024 / 1024 }));
    expect(e.code).toBe('TOO_MANY_STRINGS');
    expect(e.key).toBe('userSheet.file.strings_too_big');
  });
});

describe('caps while reading', () => {
  it('too many rows (csv and xlsx)', async () => {
    const csv = ['Name,Email', ...Array.from({ length: 6 }, (_, i) => `U${i},u${i}@example.com`)].join('\n');
    const e = await refusal(dir.file('rows.csv', csv), limits({ maxRows: 5 }));
    expect(e.code).toBe('TOO_MANY_ROWS');
    expect(e.message).toBe('The sheet has more than 5 user rows. Split it into files of at most 5 rows and import them one by one.');
    const xml = sheetXml(Array.from({ length: 7 }, (_, i) => inlineRow(i + 1, [`U${i}`])).join(''));
    expect((await refusal(dir.file('rows.xlsx', buildZip(xlsxParts(xml))), limits({ maxRows: 5 }))).code).toBe('TOO_MANY_ROWS');
    // Exactly at the cap is fine.
    expect((await readWholeSheet({ path: dir.file('rows5.csv', csv.split('\n').slice(0, 6).join('\n')) }, { limits: limits({ maxRows: 5 }) })).rows).toHaveLength(5);
  });

  it('too many columns, naming the row and the column letter', async () => {
    const row = Array.from({ length: 101 }, (_, i) => `c${i}`);
    const e = await refusal(dir.file('cols.csv', `Name\n${row.join(',')}\n`));
    expect(e.code).toBe('TOO_MANY_COLUMNS');
    expect(e.message).toBe('Row 2 has data in column CW, beyond the limit of 100 columns. Delete the extra columns and import again.');
    const xml = sheetXml(`${inlineRow(1, ['Name'])}<row r="2"><c r="CW2" t="inlineStr"><is><t>x</t></is></c></row>`);
    expect((await refusal(dir.file('cols.xlsx', buildZip(xlsxParts(xml))))).message).toBe(e.message);
    // Empty cells far to the right (formatting) are not data.
    const ok = sheetXml(`${inlineRow(1, ['Name'])}<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="XFD2" s="1"/></row>`);
    expect((await readWholeSheet({ path: dir.file('styled.xlsx', buildZip(xlsxParts(ok))) })).rows).toEqual([{ rowNumber: 2, cells: ['A'] }]);
  });

  it('a cell over 32,767 characters', async () => {
    const e = await refusal(dir.file('cell.csv', `Name,Email\nA,${'x'.repeat(40_000)}\n`));
    expect(e.code).toBe('CELL_TOO_LONG');
    expect(e.message).toBe('Row 2, column B: the cell holds more than 32767 characters, which is more than Excel allows. Shorten it.');
    const xml = sheetXml(`${inlineRow(1, ['Name'])}${inlineRow(2, ['y'.repeat(40_000)])}`);
    expect((await refusal(dir.file('cell.xlsx', buildZip(xlsxParts(xml))))).code).toBe('CELL_TOO_LONG');
  });

  it('a file over the size limit', async () => {
    const e = await refusal(dir.file('big.csv', `Name\n${'a\n'.repeat(600_000)}`), limits({ maxFileBytes: 1024 * 1024 }));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toBe('The file is 1.1 MB; the limit is 1 MB. Split the users into several files and import them one by one.');
  });

  it('a missing file', async () => {
    const e = await refusal(`${dir.path}/nope.xlsx`);
    expect(e.code).toBe('UNREADABLE');
  });
});
