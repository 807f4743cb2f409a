/**
 * Spreadsheet figures, each beside the bare library measured in the same run
 * (research io.md §6 goals): `benchSpreadsheets(rows)`, called by the lead's `npm run bench`,
 * or on its own: `npm exec -- node test/bench/io-bench.ts [rows]` (default 100,000).
 *
 *  1. xlsx export: our writeSheet (bold header, widths, neutralized cells) vs a bare exceljs
 *     streaming writer (useSharedStrings:false) of the same rows. Goal: <= 1.5x.
 *  2. xlsx import: readSheetInWorker (worker, caps, own XML scanner) vs a bare exceljs streaming
 *     reader on the same file (the bare writer's output). Goal: <= 2.0x.
 *  3. csv import: readSheetInWorker vs papaparse parsing the decoded file in one call.
 *     Goal: >= 20k rows/s.
 *  Peak RSS (whole process) after our phases and at the end. Not a timed test.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { readSheetInWorker } from '../../main/core/io/read-in-worker.ts';
import { writeSheet } from '../../main/core/io/sheet-writer.ts';
import { line } from './report.ts';

const HEADER = ['Name', 'Email', 'Role', 'Organization', 'Status', 'Email login enabled', 'Source', 'Created', 'Last login', 'Employee ID', 'Department', 'Phone'];

function* users(n: number): Generator<string[]> {
  for (let i = 0; i < n; i++) {
    yield [
      `User ${i} Núñez`, `user${i}@client${i % 50}.example`, i % 7 ? 'Member' : 'Admin', `Client ${i % 50} / Sales`,
      i % 11 ? 'active' : 'deactivated', i % 2 ? 'Y' : 'N', i % 3 ? 'local' : 'scim', '2024-01-31T10:20:00Z',
      i % 5 ? '2026-11-01T08:00:00Z' : '', `00${i}`, `Dept ${i % 40}`, `+34 600 ${String(i).padStart(6, '0')}`,
    ];
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = () => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function bareWrite(path: string, n: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('Users');
  ws.addRow(HEADER).commit();
  for (const row of users(n)) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}

async function bareRead(path: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    entries: 'ignore', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit',
  });
  let rows = 0;
  for await (const ws of reader) {
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      if (row.values) rows++;
    }
  }
  return rows;
}

async function ourRead(path: string): Promise<number> {
  let rows = 0;
  for await (const ev of readSheetInWorker(path, { timeoutMs: 600_000 })) if (ev.type === 'rows') rows += ev.rows.length;
  return rows;
}

export async function benchSpreadsheets(rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orgdesk-io-bench-'));
  try {
    const ours = join(dir, 'ours.xlsx');
    const bare = join(dir, 'bare.xlsx');
    const csv = join(dir, 'users.csv');
    process.stdout.write(`Spreadsheets: ${rows} users x ${HEADER.length} columns\n`);

    // Ours first, so the first peak-RSS figure is ours (plus the bench itself).
    const tOurWrite = await timed(() => writeSheet('xlsx', { header: HEADER, rows: users(rows), textColumns: [9, 11] }, ours));
    await writeSheet('csv', { header: HEADER, rows: users(rows) }, csv);
    let n = 0;
    const tOurRead = await timed(async () => { n = await ourRead(bare.replace('bare', 'ours')); });
    if (n !== rows) throw new Error(`read ${n} rows of ${rows}`);
    let nCsv = 0;
    const tOurCsv = await timed(async () => { nCsv = await ourRead(csv); });
    if (nCsv !== rows) throw new Error(`read ${nCsv} csv rows of ${rows}`);
    const rssOurs = mib();

    const tBareWrite = await timed(() => bareWrite(bare, rows));
    let nBare = 0;
    const tBareRead = await timed(async () => { nBare = await bareRead(bare); });
    if (nBare !== rows + 1) throw new Error(`bare exceljs read ${nBare} rows of ${rows + 1}`);
    const tOurReadSame = await timed(async () => { n = await ourRead(bare); });
    const tBareCsv = await timed(async () => {
      const text = new TextDecoder().decode(readFileSync(csv));
      Papa.parse<string[]>(text, { delimiter: ',' });
    });

    line('xlsx export: writeSheet', s(tOurWrite), s(tBareWrite), `${(tOurWrite / tBareWrite).toFixed(2)}x bare exceljs streaming writer (goal <= 1.5x)`);
    line('xlsx import: readSheetInWorker', s(tOurReadSame), s(tBareRead), `${(tOurReadSame / tBareRead).toFixed(2)}x bare exceljs streaming reader (goal <= 2.0x)`);
    line('xlsx import of our own export', s(tOurRead), s(tBareRead), `${(tOurRead / tBareRead).toFixed(2)}x; ${Math.round(rows / (tOurRead / 1000))} rows/s`);
    line('csv import: readSheetInWorker', `${Math.round(rows / (tOurCsv / 1000))} rows/s`, `${Math.round(rows / (tBareCsv / 1000))} rows/s`,
      `${(tOurCsv / tBareCsv).toFixed(2)}x papaparse in one call (goal >= 20k rows/s)`);
    process.stdout.write(`  files: ours.xlsx ${(statSync(ours).size / 2 ** 20).toFixed(1)} MB, bare.xlsx ${(statSync(bare).size / 2 ** 20).toFixed(1)} MB, users.csv ${(statSync(csv).size / 2 ** 20).toFixed(1)} MB\n`);
    process.stdout.write(`  peak memory (max RSS): ${rssOurs} after our write+reads, ${mib()} after the bare exceljs phases\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchSpreadsheets(Number(process.argv[2] ?? 100_000));
}
