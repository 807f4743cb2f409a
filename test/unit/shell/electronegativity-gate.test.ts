// The security gate must be able to fail: it is run here on a deliberately insecure sample (exit 1)
// and on the real shell (exit 0), as `npm run test:security` runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isBlocking, report, scan, type Finding, type ScanResult } from '../../../scripts/electronegativity-gate.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const gate = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/electronegativity-gate.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 150_000 });

let insecure: string;
let empty: string;
beforeAll(() => {
  insecure = mkdtempSync(join(tmpdir(), 'orgdesk-gate-insecure-'));
  writeFileSync(
    join(insecure, 'main.js'),
    "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n",
  );
  empty = mkdtempSync(join(tmpdir(), 'orgdesk-gate-empty-'));
  writeFileSync(join(empty, 'notes.md'), 'no code here');
});
afterAll(() => {
  rmSync(insecure, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

const finding = (severity: string, id = 'SOME_CHECK'): Finding => ({
  id, severity, confidence: 'FIRM', file: 'main/shell/x.ts', line: 1, column: 0, description: 'd', manualReview: false, sample: '',
});
const result = (findings: Finding[], parseErrors: ScanResult['parseErrors'] = []): ScanResult => ({ findings, parseErrors, warnings: [], suppressions: [], files: 3 });

describe('electronegativity gate', () => {
  it('exits 1 on an insecure window (contextIsolation: false, nodeIntegration: true) and names the finding', () => {
    const run = gate('--input', insecure);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(run.stdout).toMatch(/BLOCK HIGH\/\w+ CONTEXT_ISOLATION_JS_CHECK/);
    expect(run.stdout).toContain('FAIL:');
  }, 150_000);

  it('--self-test passes because the gate fails the insecure sample', () => {
    const run = gate('--self-test');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('SELF-TEST PASS');
  }, 150_000);

  it('exits 0 on the real shell, preload and renderer', () => {
    const run = gate();
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PASS: no HIGH or MEDIUM findings');
    expect(run.stdout).not.toContain('BLOCK');
  }, 150_000);

  it('refuses to pass when there is nothing to scan or the input is missing', async () => {
    await expect(scan([empty])).rejects.toThrow(/no source files/);
    await expect(scan([join(empty, 'missing')])).rejects.toThrow(/does not exist/);
    const run = gate('--input', empty);
    expect(run.status).toBe(1);
  }, 150_000);

  it('blocks on HIGH and MEDIUM, and on files the scanner could not parse; LOW and INFORMATIONAL pass', () => {
    const quiet = () => undefined;
    expect(isBlocking(finding('HIGH'))).toBe(true);
    expect(isBlocking(finding('MEDIUM'))).toBe(true);
    expect(report(result([finding('LOW'), finding('INFORMATIONAL')]), quiet)).toBe(0);
    expect(report(result([finding('LOW'), finding('MEDIUM')]), quiet)).toBe(1);
    expect(report(result([finding('HIGH')]), quiet)).toBe(1);
    expect(report(result([], [{ file: 'main/shell/broken.ts', message: 'Unexpected token' }]), quiet)).toBe(1);
  });
});
