/**
 * `npm run bench [-- --scale 0.1]`: every benchmark, each in its own process so that each peak
 * memory figure is its own. Each prints its figures beside a reference measured in the same run.
 * Not timed tests: nothing here fails a build.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const scale = Number(values.scale);
if (!(scale > 0 && scale <= 10)) {
  process.stderr.write('--scale must be a number above 0 and at most 10\n');
  process.exit(2);
}
const benches: [string, string[]][] = [
  ['foundation-bench.ts', ['--scale', String(scale)]],
  ['io-bench.ts', [String(Math.round(100_000 * scale))]],
  ['users-sheets-bench.ts', [String(Math.round(100_000 * scale))]],
  ['directory-bench.ts', ['--scale', String(scale)]],
  ['org-settings-bench.ts', [String(Math.max(100, Math.round(10_000 * scale)))]],
  ['api-keys-bench.ts', [String(Math.max(100, Math.round(5_000 * scale)))]],
  ['scim-bench.ts', ['--scale', String(scale)]],
  ['products-bench.ts', [String(Math.max(1000, Math.round(36_500 * scale)))]],
  ['sync-bench.ts', ['--scale', String(scale)]],
  ['sync-long-bench.ts', ['--scale', String(scale)]],
  ['identity-bench.ts', [String(Math.max(100, Math.round(5_000 * scale)))]],
];
let failed = false;
for (const [file, args] of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const r = spawnSync(process.execPath, [new URL(file, import.meta.url).pathname, ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
