/**
 * The end-to-end tests: `npm run test:e2e` (after `vite build`). Runs `playwright test` with the
 * list reporter on the terminal and a JSON report beside it, and handles one case specially: the
 * run failed only because the test process itself died from a signal.
 *
 * Why: the console's core runs in worker threads of the test process (as it does in Electron's main
 * process), and twice that process aborted natively as a spec file began ("Check failed:
 * jit_page.has_value()" from V8, then glibc's "corrupted size vs. prev_size"), with no test
 * assertion involved and no reproduction in about 20 local runs since. Playwright then fails
 * whichever test was running. So when — and only when — every failure is such a crash, this script
 *   1. prints the native backtrace from the crashed process's core dump (gdb), so the next
 *      occurrence says where it happened, and
 *   2. runs the tests that were hit once more, and exits with that run's result.
 * A test that fails on its own fails the run at once, with no second run; a crash that happens again
 * fails it too. Nothing here is silent: the crash, its signal and the rerun are printed.
 *
 *   npm run test:e2e                         every spec
 *   npm run test:e2e -- test/e2e/x.spec.ts   arguments go to `playwright test`
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crashedOnly, type JsonReport } from './e2e-crashes.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'orgdesk-e2e-'));

/** One `playwright test` run; core dumps allowed (ulimit), its JSON report read afterwards. */
function playwright(args: string[], reportName: string): Promise<{ code: number; report: JsonReport | null }> {
  const reportFile = join(work, reportName);
  const child = spawn('sh', ['-c', 'ulimit -c unlimited 2>/dev/null; exec "$@"', 'sh', process.execPath, cli, 'test', '--reporter=list,json', ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: reportFile },
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      let report: JsonReport | null = null;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
      } catch {
        // No report: the runner itself failed, and its own output says why.
      }
      resolve({ code: code ?? (signal ? 1 : 0), report });
    });
  });
}

/** Core files the crash left in the working folder (core_pattern "core" or "core.<pid>"). */
function coreDumps(since: number): string[] {
  return readdirSync(root)
    .filter((name) => /^core(\.\d+)?$/.test(name))
    .map((name) => join(root, name))
    .filter((path) => statSync(path).mtimeMs >= since);
}

/**
 * gdb's output, kept to what locates a crash: the crashed thread's backtrace, the list of threads,
 * and the backtraces of the threads that were doing something (idle ones, parked in a futex or
 * epoll wait, are left out). Runs of JIT frames, which have no symbols, fold into one line.
 */
function readableBacktrace(text: string): string {
  const idle = /futex_abstimed_wait|epoll_pwait|__GI___poll|do_futex_wait/;
  const blocks: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (line.startsWith('[New LWP') || line.startsWith('warning:')) continue;
    if (/^Thread \d+ \(/.test(line)) blocks.push([]);
    blocks[blocks.length - 1]!.push(line);
  }
  const kept = blocks.filter((block, i) => i === 0 || !idle.test(block[1] ?? ''));
  const out: string[] = [];
  let jitFrames = 0;
  const flush = () => {
    if (jitFrames > 0) out.push(`    (${jitFrames} frame${jitFrames === 1 ? '' : 's'} of JIT code)`);
    jitFrames = 0;
  };
  for (const line of kept.flat()) {
    if (/^#\d+\s+0x[0-9a-f]+ in \?\? \(\)$/.test(line)) {
      jitFrames++;
      continue;
    }
    flush();
    out.push(line);
  }
  flush();
  const omitted = blocks.length - kept.length;
  if (omitted > 0) out.push(`(${omitted} idle thread${omitted === 1 ? '' : 's'} left out)`);
  return out.slice(0, 400).join('\n');
}

function printBacktraces(since: number) {
  const cores = coreDumps(since);
  if (cores.length === 0) {
    const pattern = existsSync('/proc/sys/kernel/core_pattern') ? readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim() : 'unknown';
    console.log(`e2e: no core dump was left to read a backtrace from (core_pattern: ${pattern}).`);
    return;
  }
  for (const core of cores) {
    console.log(`e2e: native backtrace from ${core}:`);
    const gdb = spawnSync('gdb', ['-batch', '-nx', '-q', '-ex', 'bt 40', '-ex', 'info threads', '-ex', 'thread apply all bt 8', process.execPath, core], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (gdb.error) console.log(`e2e: gdb could not run (${gdb.error.message}); install the Debian package gdb to read it.`);
    else console.log(readableBacktrace(`${gdb.stdout}${gdb.stderr}`));
    rmSync(core, { force: true }); // hundreds of MB; the backtrace above is what is kept
  }
}

async function main(started: number): Promise<number> {
  const args = process.argv.slice(2);
  const first = await playwright(args, 'report.json');
  if (first.code === 0) return 0;
  const crashed = first.report ? crashedOnly(first.report) : null;
  if (!crashed) return first.code;

  console.log(`\ne2e: the test process crashed (${crashed.signals.join(', ')}): no assertion failed. Tests it was running:`);
  for (const t of crashed.tests) console.log(`  - ${t.title} (${t.location})`);
  printBacktraces(started);
  console.log('e2e: running those tests once more; the run passes only if they pass now.\n');
  const testDir = first.report?.config?.rootDir ?? root;
  const rerunStarted = Date.now() - 1000;
  const again = await playwright(crashed.tests.map((t) => relative(root, join(testDir, t.location))), 'rerun.json');
  if (again.code === 0) {
    console.log(`e2e: the rerun passed. The crash above (${crashed.signals.join(', ')}) was the test process's, not a test's.`);
    return 0;
  }
  const crashedAgain = again.report ? crashedOnly(again.report) : null;
  console.log(crashedAgain ? `e2e: the test process crashed again (${crashedAgain.signals.join(', ')}).` : 'e2e: the rerun failed too.');
  if (crashedAgain) printBacktraces(rerunStarted);
  return again.code;
}

const started = Date.now() - 1000; // file times may lag the clock a little
const code = await main(started);
// Core files no backtrace was printed from (a browser process's, say) are hundreds of MB each.
for (const core of coreDumps(started)) rmSync(core, { force: true });
rmSync(work, { recursive: true, force: true });
process.exit(code);
