import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callLog, electron, resetElectron, FakeEvent, type FakeBrowserWindow } from '../../stubs/electron-double.ts';
import type { CoreClient, CoreWorkerOptions } from '../../../main/core/worker/core-client.ts';
import type { RpcResult } from '../../../shared/model/errors.ts';
import { runShell, type ShellOptions } from '../../../main/shell/app.ts';

let userData: string;
beforeEach(() => {
  resetElectron();
  userData = mkdtempSync(join(tmpdir(), 'orgdesk-shell-'));
  electron.app.paths.userData = userData;
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

function fakeCore() {
  const started: CoreWorkerOptions[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let closed = 0;
  const client: CoreClient = {
    call: async (method) => ({ ok: true, value: { method } }),
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => set.delete(cb);
    },
    async close() {
      closed++;
    },
  };
  return {
    started,
    listeners,
    closed: () => closed,
    startCore: async (o: CoreWorkerOptions) => {
      started.push(o);
      return client;
    },
  };
}

const workerUrl = new URL('file:///opt/orgdesk/out/main/core-worker.js');
const workerDir = new URL('file:///opt/orgdesk/out/main/');
function start(overrides: Partial<ShellOptions> = {}) {
  const core = fakeCore();
  const shell = runShell({
    rendererRoot: '/opt/orgdesk/out/renderer',
    preloadPath: '/opt/orgdesk/out/preload/index.cjs',
    workerUrl,
    workerDir,
    startCore: core.startCore,
    ...overrides,
  });
  return { core, shell };
}

async function startReady(overrides: Partial<ShellOptions> = {}) {
  const s = start(overrides);
  electron.app.fireReady();
  await s.shell.ready;
  return s;
}

const onlyWindow = (): FakeBrowserWindow => {
  expect(electron.windows).toHaveLength(1);
  return electron.windows[0]!;
};

describe('before ready', () => {
  it('enables the sandbox for all renderers and registers app:// before the ready event', () => {
    start();
    electron.app.fireReady();
    expect(electron.app.sandboxEnabled).toBe(true);
    expect(callLog.indexOf('app.enableSandbox')).toBeGreaterThanOrEqual(0);
    expect(callLog.indexOf('app.enableSandbox')).toBeLessThan(callLog.indexOf('app ready'));
    expect(callLog.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(callLog.indexOf('app ready'));
    expect(electron.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('follows the system theme and removes the default menu', () => {
    start();
    expect(electron.nativeTheme.themeSource).toBe('system');
    if (process.platform !== 'darwin') expect(electron.Menu.applicationMenu).toBeNull();
  });
});

describe('single instance', () => {
  it('a second instance quits at once and opens nothing', async () => {
    electron.app.singleInstanceLock = false;
    const { core, shell } = start();
    expect(shell.primary).toBe(false);
    expect(electron.app.quitCalls).toBe(1);
    electron.app.fireReady();
    await shell.ready;
    await new Promise((r) => setTimeout(r, 0));
    expect(electron.windows).toHaveLength(0);
    expect(core.started).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it("the first instance brings its window back on 'second-instance'", async () => {
    await startReady();
    const win = onlyWindow();
    win.minimize();
    win.focused = false;
    electron.app.emit('second-instance', new FakeEvent(), ['orgdesk'], '/');
    expect(win.isMinimized()).toBe(false);
    expect(win.focused).toBe(true);
    expect(electron.windows).toHaveLength(1);
  });
});

describe('on ready', () => {
  it('starts the core worker on userData with the bundled worker file', async () => {
    const { core } = await startReady();
    expect(core.started).toEqual([{ dataDir: userData, workerUrl, workerDir }]);
  });

  it('creates one hardened window: context isolation, sandbox, no Node, no webview, the preload', async () => {
    await startReady();
    const prefs = onlyWindow().options.webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/opt/orgdesk/out/preload/index.cjs');
    expect(prefs.disableBlinkFeatures).toBe('Auxclick'); // middle-click cannot ask for a new window
    // Left at Electron's secure defaults, never switched off.
    for (const key of ['webSecurity', 'allowRunningInsecureContent', 'experimentalFeatures', 'enableBlinkFeatures']) {
      expect(prefs, key).not.toHaveProperty(key);
    }
  });

  it('loads app://bundle/index.html and shows the window only on ready-to-show', async () => {
    await startReady();
    const win = onlyWindow();
    expect(win.options.show).toBe(false);
    expect(win.loadedUrl).toBe('app://bundle/index.html');
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('hardens the session, the window contents, and serves app:// from the renderer folder', async () => {
    await startReady();
    const ses = electron.session.defaultSession;
    const answers: boolean[] = [];
    (ses.permissionRequestHandler as unknown as (...a: unknown[]) => void)({}, 'media', (g: boolean) => answers.push(g), {});
    expect(answers).toEqual([false]);
    expect(electron.protocol.handlers.has('app')).toBe(true);
    const contents = onlyWindow().webContents;
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const nav = new FakeEvent({ url: 'https://evil.example/' });
    contents.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
  });

  it('registers the one IPC channel, which answers only the app frame', async () => {
    await startReady();
    expect([...electron.ipcMain.handlers.keys()]).toEqual(['orgdesk:rpc']);
    const handler = electron.ipcMain.handlers.get('orgdesk:rpc') as unknown as (...a: unknown[]) => Promise<RpcResult>;
    expect(await handler({ senderFrame: { url: 'app://bundle/index.html', parent: null } }, 'org.tree', {})).toEqual({ ok: true, value: { method: 'org.tree' } });
    const denied = await handler({ senderFrame: { url: 'http://localhost:5173/', parent: null } }, 'org.tree', {});
    expect(!denied.ok && denied.error.code).toBe('FORBIDDEN');
  });

  it('forwards core events to the window', async () => {
    const { core } = await startReady();
    const win = onlyWindow();
    for (const cb of core.listeners.get('data.changed') ?? []) cb({ orgIds: ['a'], entities: ['org'] });
    expect(win.webContents.sent).toEqual([['orgdesk:event', 'data.changed', { orgIds: ['a'], entities: ['org'] }]]);
  });

  it('when the core cannot start, says so and quits', async () => {
    const s = start({ startCore: () => Promise.reject(new Error('database is locked')) });
    electron.app.fireReady();
    await expect(s.shell.ready).rejects.toThrow('database is locked');
    expect(electron.dialog.errors).toHaveLength(1);
    expect(electron.dialog.errors[0]![1]).toContain('database is locked');
    expect(electron.app.quitCalls).toBe(1);
  });
});

describe('development server', () => {
  it('loads the dev server URL and trusts its origin when not packaged', async () => {
    await startReady({ devServerUrl: 'http://localhost:5173/' });
    const win = onlyWindow();
    expect(win.loadedUrl).toBe('http://localhost:5173/');
    const handler = electron.ipcMain.handlers.get('orgdesk:rpc') as unknown as (...a: unknown[]) => Promise<RpcResult>;
    expect((await handler({ senderFrame: { url: 'http://localhost:5173/', parent: null } }, 'org.tree', {})).ok).toBe(true);
    expect(win.options.webPreferences!.devTools).toBe(true);
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app', async () => {
    electron.app.isPackaged = true;
    await startReady({ devServerUrl: 'http://localhost:5173/' });
    const win = onlyWindow();
    expect(win.loadedUrl).toBe('app://bundle/index.html');
    const handler = electron.ipcMain.handlers.get('orgdesk:rpc') as unknown as (...a: unknown[]) => Promise<RpcResult>;
    expect((await handler({ senderFrame: { url: 'http://localhost:5173/', parent: null } }, 'org.tree', {})).ok).toBe(false);
    expect(win.options.webPreferences!.devTools).toBe(false);
  });
});

describe('quit', () => {
  it('closes the core worker before the process ends', async () => {
    const { core } = await startReady();
    const quitsBefore = electron.app.quitCalls;
    const event = new FakeEvent();
    electron.app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(core.closed()).toBe(1);
    expect(electron.app.quitCalls).toBe(quitsBefore + 1);
    // The second will-quit (from that app.quit()) goes through.
    const again = new FakeEvent();
    electron.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
    expect(core.closed()).toBe(1);
  });

  it('saves the window bounds on close and restores them next run', async () => {
    await startReady();
    const win = onlyWindow();
    win.bounds = { x: 40, y: 50, width: 1111, height: 777 };
    win.close();
    resetElectron();
    electron.app.paths.userData = userData;
    await startReady();
    expect(onlyWindow().options).toMatchObject({ x: 40, y: 50, width: 1111, height: 777 });
  });
});
