/**
 * scripts/run-e2e.ts runs tests again only when their failure was the test process dying from a
 * signal: these cases decide that from Playwright's JSON report.
 */
import { describe, expect, it } from 'vitest';
import { crashedOnly, failedTests, type JsonReport } from '../../scripts/e2e-crashes.ts';

const died = (signal: string) => ({ message: `Error: worker process exited unexpectedly (code=null, signal=${signal})` });
const spec = (file: string, line: number, title: string, results: { status: string; errors?: { message?: string }[] }[]) => ({ title, file, line, tests: [{ results }] });

function report(specs: ReturnType<typeof spec>[], errors: { message?: string }[] = []): JsonReport {
  return { config: { rootDir: '/repo/test/e2e' }, errors, suites: [{ file: 'a.spec.ts', suites: [{ specs }] }] };
}

describe('which e2e failures are crashes of the test process', () => {
  it('lists failed tests as file:line, from nested suites, leaving passed and skipped ones out', () => {
    const r = report([
      spec('a.spec.ts', 3, 'passes', [{ status: 'passed' }]),
      spec('a.spec.ts', 9, 'skipped', [{ status: 'skipped' }]),
      spec('a.spec.ts', 20, 'fails', [{ status: 'failed', errors: [{ message: 'expect(received).toBe(expected)' }] }]),
    ]);
    expect(failedTests(r)).toEqual([{ location: 'a.spec.ts:20', title: 'fails', messages: ['expect(received).toBe(expected)'] }]);
  });

  it('reruns the tests a native crash hit, naming the signals', () => {
    const r = report([
      spec('a.spec.ts', 3, 'ok', [{ status: 'passed' }]),
      spec('users-scale.spec.ts', 10, 'hit by SIGABRT', [{ status: 'failed', errors: [died('SIGABRT')] }]),
      spec('branding.spec.ts', 21, 'hit by SIGTRAP', [{ status: 'failed', errors: [died('SIGTRAP')] }]),
    ]);
    expect(crashedOnly(r)).toEqual({
      tests: [
        { location: 'users-scale.spec.ts:10', title: 'hit by SIGABRT', messages: [died('SIGABRT').message] },
        { location: 'branding.spec.ts:21', title: 'hit by SIGTRAP', messages: [died('SIGTRAP').message] },
      ],
      signals: ['SIGABRT', 'SIGTRAP'],
    });
  });

  it('reruns nothing when any test failed on its own, even beside a crash', () => {
    const r = report([
      spec('a.spec.ts', 10, 'crash', [{ status: 'failed', errors: [died('SIGSEGV')] }]),
      spec('a.spec.ts', 20, 'assertion', [{ status: 'failed', errors: [{ message: 'Error: expect(received).toBeLessThan(expected)' }] }]),
    ]);
    expect(crashedOnly(r)).toBeNull();
  });

  it('reruns nothing for a timeout, an exit with a code, a failure without a message, or a report-level error', () => {
    const timedOut = report([spec('a.spec.ts', 1, 't', [{ status: 'timedOut', errors: [{ message: 'Test timeout of 60000ms exceeded.' }] }])]);
    const exited = report([spec('a.spec.ts', 1, 't', [{ status: 'failed', errors: [{ message: 'Error: worker process exited unexpectedly (code=1, signal=null)' }] }])]);
    const silent = report([spec('a.spec.ts', 1, 't', [{ status: 'failed', errors: [] }])]);
    const configBroken = report([spec('a.spec.ts', 1, 't', [{ status: 'failed', errors: [died('SIGABRT')] }])], [{ message: 'Error: Cannot find module' }]);
    for (const r of [timedOut, exited, silent, configBroken]) expect(crashedOnly(r)).toBeNull();
  });

  it('reruns nothing when nothing failed', () => {
    expect(crashedOnly(report([spec('a.spec.ts', 1, 't', [{ status: 'passed' }])]))).toBeNull();
    expect(crashedOnly({})).toBeNull();
  });
});
