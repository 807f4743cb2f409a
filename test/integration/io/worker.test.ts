import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSheetInWorker } from '../../../main/core/io/read-in-worker.ts';
import { SheetError } from '../../../main/core/io/sheet-error.ts';
import { readWholeSheet } from '../../../main/core/io/sheet-reader.ts';
import type { SheetEvent, SheetRow } from '../../../main/core/io/sheet-reader.ts';
import { writeSheet } from '../../../main/core/io/sheet-writer.ts';
import { buildZip, fixture, sheetXml, tempDir, xlsxParts } from './helpers.ts';

const dir = tempDir();
let bigCsv = '';
let bigXlsx = '';
const ROWS = 60_000;

beforeAll(async () => {
  const rows = Array.from({ length: ROWS }, (_, i) => [`User ${i}`, `user${i}@example.com`, i % 2 ? 'Admin' : 'Member', 'active', i % 3 ? 'Y' : 'N', `00${i}`]);
  const header = ['Name', 'Email', 'Role', 'Status', 'Email login enabled', 'Employee ID'];
  bigCsv = dir.file('big.csv', '');
  bigXlsx = dir.file('big.xlsx', '');
  await writeSheet('csv', { header, rows }, bigCsv);
  await writeSheet('xlsx', { header, rows }, bigXlsx);
}, 60_000);
afterAll(() => dir.remove());

async function collect(iter: AsyncIterable<SheetEvent>) {
  const events: SheetEvent[] = [];
  for await (const e of iter) events.push(e);
  const header = events.find((e) => e.type === 'header');
  const rows: SheetRow[] = events.flatMap((e) => (e.type === 'rows' ? e.rows : []));
  return { events, header, rows };
}

async function error(iter: AsyncIterable<SheetEvent>): Promise<SheetError> {
  try {
    for await (const _ of iter) { /* drain */ }
  } catch (e) {
    expect(e).toBeInstanceOf(SheetError);
    return e as SheetError;
  }
  throw new Error('expected an error');
}

describe('readSheetInWorker', () => {
  it.each(['csv', 'xlsx'])('streams the same rows as the in-process reader, in batches, with progress (%s)', async (kind) => {
    const path = kind === 'csv' ? bigCsv : bigXlsx;
    const inWorker = await collect(readSheetInWorker(path, { batchSize: 1000 }));
    const inProcess = await readWholeSheet({ path });
    expect(inWorker.header).toMatchObject({ type: 'header', header: inProcess.header, format: kind });
    expect(inWorker.rows).toHaveLength(ROWS);
    expect(inWorker.rows).toEqual(inProcess.rows);
    const batches = inWorker.events.filter((e) => e.type === 'rows');
    expect(batches).toHaveLength(ROWS / 1000);
    const progress = batches.map((b) => b.bytesRead);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(batches[0]!.totalBytes);
  });

  it('passes refusals through with their codes and messages', async () => {
    const e = await error(readSheetInWorker(fixture('libreoffice-users.xls')));
    expect(e.code).toBe('LEGACY_XLS');
    expect(e.message).toMatch(/^This is an Excel 97-2003 workbook \(\.xls\)/);
    expect((await error(readSheetInWorker(fixture('libreoffice-users.ods')))).code).toBe('ODS');
  });

  it('cancels within a second when the signal aborts, mid-file', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    let abortedAt = 0;
    let rows = 0;
    const e = await error((async function* () {
      for await (const ev of readSheetInWorker(bigXlsx, { signal: ac.signal, batchSize: 500 })) {
        if (ev.type === 'rows') rows += ev.rows.length;
        if (rows >= 1000 && !abortedAt) {
          abortedAt = performance.now();
          ac.abort();
        }
        await new Promise((r) => setTimeout(r, 5)); // a consumer that does some work per batch
        yield ev;
      }
    })());
    expect(e.code).toBe('CANCELLED');
    expect(e.message).toBe('The file was not read: you cancelled. Nothing was changed.');
    expect(rows).toBeLessThan(ROWS);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(abortedAt - t0).toBeGreaterThan(0);
  });

  it('refuses to start when the signal is already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await error(readSheetInWorker(bigCsv, { signal: ac.signal }))).code).toBe('CANCELLED');
  });

  it('stops at the wall-clock timeout', async () => {
    const t = performance.now();
    const e = await error(readSheetInWorker(bigXlsx, { timeoutMs: 150 }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe('Reading the file took longer than 0.2 seconds and was stopped. Split the users into smaller files and import them one by one.');
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('stops a worker that runs out of its memory cap, and the caller lives on', async () => {
    let sst = '';
    for (let i = 0; i < 400_000; i++) sst += `<si><t>shared string number ${i} with some padding text</t></si>`;
    const path = dir.file('heavy.xlsx', buildZip(xlsxParts(sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), { sharedStrings: `<sst>${sst}</sst>` })));
    const e = await error(readSheetInWorker(path, { maxMemoryMb: 16 }));
    expect(e.code).toBe('OUT_OF_MEMORY');
    expect(e.message).toBe('Reading the file needed more than 16 MB of memory and was stopped. Split the users into smaller files, or save the workbook as CSV and import that.');
  }, 30_000);

  it('leaves no temp files, and a consumer may stop early', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith(`tmp-${process.pid}-`)).length;
    for await (const ev of readSheetInWorker(bigXlsx)) if (ev.type === 'rows') break;
    const { rows } = await collect(readSheetInWorker(bigXlsx));
    expect(rows).toHaveLength(ROWS);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`tmp-${process.pid}-`)).length).toBe(before);
  });
});
