// electron-builder.yml is only exercised on release machines; here it is checked against the schema
// that ships with app-builder-lib (the same one electron-builder validates with), and the security
// settings that matter are asserted one by one.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const require = createRequire(import.meta.url);
// js-yaml 4 ships no type declarations; only load() is used.
const yaml = require('js-yaml') as { load(text: string): unknown };
const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));

const config = yaml.load(readFileSync(root('electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(root('node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;

const check = new Ajv({ allErrors: true, strict: false }).compile(schema);

function validate(candidate: unknown) {
  return { valid: check(candidate), errors: check.errors ?? [] };
}

describe('electron-builder.yml', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const { valid, errors } = validate(config);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: an unknown key and a wrong type are refused', () => {
    expect(validate({ ...config, notAnOption: true }).valid).toBe(false);
    expect(validate({ ...config, asar: 'yes please' }).valid).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: false, notAFuse: true } }).valid).toBe(false);
  });

  it('flips every security fuse', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packages only the compiled app, in an asar, with native addons unpacked and no rebuild', () => {
    expect(config.appId).toBe('com.orgdesk.console');
    expect(config.productName).toBe('Orgdesk');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    const files = config.files as string[];
    const included = files.filter((f) => !f.startsWith('!'));
    expect(included).toEqual(['out/**', 'package.json', 'node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node']);
    expect(files).toContain('!node_modules/better-sqlite3/prebuilds/**');
    // Never the dev/test-only servers or sources.
    for (const f of included) expect(f).not.toMatch(/^(main|shared|renderer|preload|test|scripts)\//);
  });

  it('builds dmg+zip on macOS, nsis on Windows, AppImage+deb on Linux', () => {
    expect((config.mac as { target: string[] }).target).toEqual(['dmg', 'zip']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
  });

  it('package.json "main" points at the bundled shell electron-vite emits', () => {
    const pkg = JSON.parse(readFileSync(root('package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
  });
});
