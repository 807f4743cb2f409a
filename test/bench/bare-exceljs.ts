/**
 * The bare-library references for the users benchmark, run in their own process so that their
 * memory never counts in the console's peak: `write <file> <rows>` (exceljs streaming writer) and
 * `read <file>` (exceljs streaming reader). Prints the milliseconds, then the CPU milliseconds of the
 * process (all its threads) over the same stretch.
 */
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { benchHeader, benchRows } from './users-sheet-data.ts';

const [mode, file, rows] = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
if (mode === 'write') {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file!, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('Users');
  ws.addRow(benchHeader).commit();
  for (const r of benchRows(Number(rows))) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
} else if (mode === 'read') {
  let n = 0;
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file!, { entries: 'ignore', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' })) {
    for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) if (row.values) n++;
  }
  if (n < 2) throw new Error('nothing read');
} else {
  throw new Error('usage: bare-exceljs.ts write <file> <rows> | read <file>');
}
const cpu = process.cpuUsage(cpuStarted);
process.stdout.write(`${Math.round(performance.now() - started)} ${Math.round((cpu.user + cpu.system) / 1000)}\n`);
