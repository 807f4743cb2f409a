/**
 * Reading Playwright's JSON report for scripts/run-e2e.ts: which tests failed, and whether every
 * failure is the test process itself dying from a signal (a native crash of Node, V8 or an addon)
 * rather than a test that ran and found something wrong.
 */

/** The part of Playwright's JSON report read here (reporter `json`). */
export interface JsonReport {
  config?: { rootDir?: string };
  suites?: JsonSuite[];
  errors?: { message?: string }[];
}
interface JsonSuite {
  file?: string;
  suites?: JsonSuite[];
  specs?: { title: string; file: string; line: number; tests: { results: { status: string; errors?: { message?: string }[] }[] }[] }[];
}

export interface FailedTest {
  /** `file:line` (file relative to the report's rootDir), as `playwright test` takes it to run that test alone. */
  location: string;
  title: string;
  messages: string[];
}

/** Playwright's words when the process running a test exits without being asked to. */
const PROCESS_DIED = /worker process exited unexpectedly \(code=(\w+), signal=(SIG[A-Z0-9]+)\)/;

export function failedTests(report: JsonReport): FailedTest[] {
  const out: FailedTest[] = [];
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const failed = test.results.filter((r) => r.status !== 'passed' && r.status !== 'skipped');
        if (failed.length === 0) continue;
        out.push({
          location: `${spec.file}:${spec.line}`,
          title: spec.title,
          messages: failed.flatMap((r) => (r.errors ?? []).map((e) => e.message ?? '')),
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  return out;
}

/** The signal that killed the test process, when that is all that went wrong with this test. */
export function crashSignal(test: FailedTest): string | null {
  if (test.messages.length === 0) return null;
  const signals = test.messages.map((m) => PROCESS_DIED.exec(m)?.[2] ?? null);
  return signals.every((s) => s !== null) ? signals[0]! : null;
}

/**
 * The tests to run once more: only when the run failed solely because its process crashed. Any
 * test that failed on its own, or a report-level error (a config that does not load), returns null.
 */
export function crashedOnly(report: JsonReport): { tests: FailedTest[]; signals: string[] } | null {
  if ((report.errors ?? []).length > 0) return null;
  const failed = failedTests(report);
  if (failed.length === 0) return null;
  const signals = failed.map(crashSignal);
  if (signals.some((s) => s === null)) return null;
  return { tests: failed, signals: [...new Set(signals as string[])] };
}
