import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readWholeSheet } from '../../../main/core/io/sheet-reader.ts';
import { writeErrorReport, writeSheet } from '../../../main/core/io/sheet-writer.ts';
import { cleanCell, matchHeaders, validateUserRow } from '../../../shared/rules/user-sheet.ts';
import type { UserSheetCell, UserSheetKey } from '../../../shared/rules/user-sheet.ts';
import { fixture, tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => dir.remove());

const header = ['Name', 'Email', 'Employee ID', 'Notes'];
const rows = [
  ['Zoë 李', 'zoe@example.com', '00123', 'plain'],
  ['José Núñez-Ñandú', 'jose@example.com', '0049 30 1234', '=1+2'],
  ['Ana', 'ana@example.com', '007', '+SUM(1,2)'],
  ['Bob', 'bob@example.com', '1', '@x'],
  ['Carl', 'carl@example.com', '2', '-3'],
  ['Dora', 'dora@example.com', '3', "'=already quoted"],
  ['Eve', 'eve@example.com', '4', 'comma, "quote"; semicolon\nnew line'],
];

describe.each(['xlsx', 'csv'] as const)('%s round trip', (format) => {
  it('reads back what was written: unicode, leading zeros, and formula-like text as text', async () => {
    const path = dir.file(`rt.${format}`, '');
    await writeSheet(format, { header, rows, textColumns: [2] }, path);
    const read = await readWholeSheet({ path });
    expect(read.format).toBe(format);
    expect(read.header).toEqual(header);
    expect(read.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(read.rows.map((r) => r.cells.map(cleanCell))).toEqual(rows);
    expect(read.rows.every((r) => r.formulas === undefined)).toBe(true);
    // On disk, nothing starts with a formula trigger.
    const cellsOnDisk = read.rows.flatMap((r) => r.cells);
    expect(cellsOnDisk.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    expect(cellsOnDisk).toContain("'=1+2");
  });

  it('writes rows from an async iterable', async () => {
    const path = dir.file(`async.${format}`, '');
    async function* gen() {
      for (let i = 0; i < 2500; i++) yield [`User ${i}`, `u${i}@example.com`];
    }
    await writeSheet(format, { header: ['Name', 'Email'], rows: gen() }, path);
    const read = await readWholeSheet({ path });
    expect(read.rows).toHaveLength(2500);
    expect(read.rows[2499]).toEqual({ rowNumber: 2501, cells: ['User 2499', 'u2499@example.com'] });
  });
});

describe('CSV and text encodings', () => {
  it('reads UTF-8 with a BOM, comma-separated', async () => {
    const path = dir.file('bom.csv', '\uFEFFName,Email\r\nRenée Ærø,renee@example.com\r\n');
    const r = await readWholeSheet({ path });
    expect(r.header).toEqual(['Name', 'Email']);
    expect(r.rows).toEqual([{ rowNumber: 2, cells: ['Renée Ærø', 'renee@example.com'] }]);
    expect(r.notices).toEqual([]);
  });

  it('reads Windows-1252 with semicolons (Excel "CSV" on a Spanish PC) and says how it was read', async () => {
    const text = 'Nombre;Correo electrónico;Rol\r\nJosé Núñez;jose@example.com;Admin\r\nFrançois Œuvre;f@example.com;Member\r\n';
    const bytes = Buffer.from([...text].map((c) => ({ 'é': 0xe9, 'ó': 0xf3, 'ú': 0xfa, 'ñ': 0xf1, 'ç': 0xe7, 'Œ': 0x8c } as Record<string, number>)[c] ?? c.charCodeAt(0)));
    const r = await readWholeSheet({ path: dir.file('cp1252.csv', bytes) });
    expect(r.header).toEqual(['Nombre', 'Correo electrónico', 'Rol']);
    expect(r.rows.map((x) => x.cells)).toEqual([['José Núñez', 'jose@example.com', 'Admin'], ['François Œuvre', 'f@example.com', 'Member']]);
    expect(r.notices).toEqual([{ key: 'userSheet.notice.windows_1252' }]);
    expect(matchHeaders(r.header).columnOf).toEqual(['name', 'email', 'role']);
  });

  it('reads UTF-16LE tab-separated "Unicode text" (.txt from Excel)', async () => {
    const text = 'Name\tEmail\tStatus\r\n李小龙\tlee@example.com\tactive\r\n"Tab\tinside"\tx@example.com\tarchived\r\n';
    const r = await readWholeSheet({ path: dir.file('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])) });
    expect(r.header).toEqual(['Name', 'Email', 'Status']);
    expect(r.rows.map((x) => x.cells)).toEqual([['李小龙', 'lee@example.com', 'active'], ['Tab\tinside', 'x@example.com', 'archived']]);
  });

  it('reads UTF-16BE with a BOM', async () => {
    const le = Buffer.from('Name,Email\nÅsa,asa@example.com\n', 'utf16le');
    const be = Buffer.alloc(le.length);
    for (let i = 0; i < le.length; i += 2) { be[i] = le[i + 1]!; be[i + 1] = le[i]!; }
    const r = await readWholeSheet({ path: dir.file('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be])) });
    expect(r.rows[0]!.cells).toEqual(['Åsa', 'asa@example.com']);
  });

  it('keeps file row numbers across blank lines and multi-line cells, without a trailing newline', async () => {
    const r = await readWholeSheet({ path: dir.file('blank.csv', 'Name,Email\n\nA,a@example.com\n"Multi\nline",m@example.com\n ,  \nB,b@example.com') });
    expect(r.rows.map((x) => [x.rowNumber, x.cells[0]])).toEqual([[3, 'A'], [4, 'Multi\nline'], [6, 'B']]);
  });

  it('cuts records correctly across 1 MB read chunks', async () => {
    const lines = ['Name,Email,Note'];
    for (let i = 0; i < 40_000; i++) lines.push(`User ${i},u${i}@example.com,"quoted, with ""quotes""\nand a newline ${i}"`);
    const r = await readWholeSheet({ path: dir.file('chunks.csv', `${lines.join('\r\n')}\r\n`) });
    expect(r.rows).toHaveLength(40_000);
    expect(r.rows[39_999]).toEqual({ rowNumber: 40_001, cells: ['User 39999', 'u39999@example.com', 'quoted, with "quotes"\nand a newline 39999'] });
    expect(new Set(r.rows.map((x) => x.cells.length))).toEqual(new Set([3]));
  });
});

describe('files from other programs', () => {
  it('reads an xlsx saved by LibreOffice: shared strings, a date, a number, a formula, a second sheet', async () => {
    const r = await readWholeSheet({ path: fixture('libreoffice-users.xlsx') });
    expect(r.header).toEqual(['Name', 'Email', 'Role', 'Status', 'Email login enabled', 'Employee ID', 'Created']);
    expect(r.rows).toEqual([
      { rowNumber: 2, cells: ['José Núñez', 'jose@example.com', 'Admin', 'active', 'Y', '00123', '2024-01-31'] },
      { rowNumber: 3, cells: ['Zoë 李', 'zoe@example.com', 'Member', 'deactivated', 'N', '4567', '2023-12-01'], formulas: [4] },
    ]);
    expect(r.notices).toEqual([{ key: 'userSheet.notice.more_sheets', params: { count: 2, sheet: 'Users' } }]);
  });

  it('reads an xlsx LibreOffice made from a CSV', async () => {
    const r = await readWholeSheet({ path: fixture('libreoffice-from-csv.xlsx') });
    const csv = await readWholeSheet({ path: fixture('libreoffice-from-csv.csv') });
    expect(r.header).toEqual(csv.header);
    expect(r.rows).toEqual(csv.rows);
  });

  it('reads a hand-built xlsx: x: prefixes, inline and rich text, 1904 dates, booleans, errors, shared formulas, gaps', async () => {
    const r = await readWholeSheet({ path: fixture('handmade-prefixed.xlsx') });
    expect(r.header).toEqual(['Name', 'E-mail', 'Employee ID', 'Started', 'Email login enabled', 'Score']);
    expect(r.rows).toEqual([
      { rowNumber: 2, cells: ['Ann Lee', ' ann&lee@example.com ', '00042', '1904-01-01', 'TRUE', '1234.5'] },
      { rowNumber: 3, cells: ['René Côté', 'rene@example.com', '', '2027-03-16T12:00:00', '#N/A', '2469'], formulas: [4, 5] },
      { rowNumber: 6, cells: ['Mia Wong', 'mia@example.com', '', '', '', '4938', '', 'beyond the header'], formulas: [5] },
    ]);
  });

  it('turns a formula cell into a per-cell error the importer can show', async () => {
    const r = await readWholeSheet({ path: fixture('libreoffice-users.xlsx') });
    const { columnOf } = matchHeaders(r.header);
    const row = r.rows[1]!;
    const cells: Partial<Record<UserSheetKey, UserSheetCell>> = {};
    columnOf.forEach((key, i) => {
      if (key) cells[key] = row.formulas?.includes(i) ? { formula: true, text: row.cells[i] } : row.cells[i] ?? '';
    });
    const v = validateUserRow(cells, { roles: ['Admin', 'Member'] });
    expect(v.errors.emailLoginEnabled?.[0]?.key).toBe('userSheet.row.formula');
    expect(v.errors.emailLoginEnabled?.[0]?.params).toEqual({ column: 'Email login enabled', value: 'N' });
  });
});

describe('error report', () => {
  it('writes the failed rows with their row numbers and messages, and imports again once fixed', async () => {
    const path = dir.file('errors.xlsx', '');
    await writeErrorReport({
      header: ['Name', 'Email', 'Email login enabled'],
      rows: [
        { rowNumber: 4, cells: ['Ana', 'ana at example', 'Y'], messages: ['Email: "ana at example" is not a valid email address.'] },
        { rowNumber: 9, cells: ['=cmd', 'bob@example.com', 'Maybe'], messages: ['Email login enabled: "Maybe" is not Y or N. Use Y or N.', 'second'] },
      ],
    }, path);
    const r = await readWholeSheet({ path });
    expect(r.header).toEqual(['Name', 'Email', 'Email login enabled', 'Original row', 'Errors']);
    expect(r.rows.map((x) => x.cells.map(cleanCell))).toEqual([
      ['Ana', 'ana at example', 'Y', '4', 'Email: "ana at example" is not a valid email address.'],
      ['=cmd', 'bob@example.com', 'Maybe', '9', 'Email login enabled: "Maybe" is not Y or N. Use Y or N.\nsecond'],
    ]);
    const match = matchHeaders(r.header);
    expect(match.unknown).toEqual([]);
    expect(match.columnOf).toEqual(['name', 'email', 'emailLoginEnabled', 'sourceRow', 'errors']);

    // Reporting on a report replaces its Original row / Errors columns instead of adding more.
    const again = dir.file('errors2.xlsx', '');
    await writeErrorReport({ header: r.header, rows: [{ rowNumber: 2, cells: r.rows[0]!.cells, messages: ['still wrong'] }], language: 'es' }, again);
    const r2 = await readWholeSheet({ path: again });
    expect(r2.header).toEqual(['Name', 'Email', 'Email login enabled', 'Fila original', 'Errores']);
    expect(r2.rows[0]!.cells).toEqual(['Ana', 'ana at example', 'Y', '2', 'still wrong']);
  });

  it('writes a real xlsx zip with a bold header and no formulas', async () => {
    const path = dir.file('plain.xlsx', '');
    await writeSheet('xlsx', { header: ['Name'], rows: [['=HYPERLINK("http://evil")']] }, path);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    const r = await readWholeSheet({ path });
    expect(r.rows[0]).toEqual({ rowNumber: 2, cells: ['\'=HYPERLINK("http://evil")'] });
  });
});
