/**
 * The shell's lifecycle: everything main.ts does, with its inputs passed in so tests can run it
 * against the recording double of 'electron'. The core runs in a worker thread (startCoreWorker):
 * main only brokers messages, so the window never waits on SQLite.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell } from 'electron';
import type { CoreClient, CoreWorkerOptions } from '../core/worker/core-client.ts';
import { createUrlPolicy, hardenAllWebContents, hardenSession, isSafeExternalUrl, APP_ENTRY_URL } from './security.ts';
import { installAppProtocol, registerAppScheme } from './protocol.ts';
import { forwardCoreEvents, registerRpc } from './ipc.ts';
import { createMainWindow, focusWindow } from './window.ts';

export interface ShellOptions {
  /** The built renderer, served on app://bundle (out/renderer). */
  rendererRoot: string;
  /** The bundled sandboxed preload (out/preload/index.cjs). */
  preloadPath: string;
  /** The bundled core worker (out/main/core-worker.js). */
  workerUrl: URL;
  /** The folder of the core's other bundled workers (out/main/: sheet-worker.js, apply-worker.js). */
  workerDir: URL;
  /** process.env.ELECTRON_RENDERER_URL; honoured only when the app is not packaged. */
  devServerUrl?: string | undefined;
  startCore: (options: CoreWorkerOptions) => Promise<CoreClient>;
}

export interface ShellHandle {
  /** False when another instance already runs: this one quits without opening anything. */
  primary: boolean;
  /** Resolves when the window is created (or rejects when startup failed). */
  ready: Promise<void>;
  mainWindow(): BrowserWindow | null;
}

export function runShell(options: ShellOptions): ShellHandle {
  // --- before 'ready' -------------------------------------------------------------------------
  app.enableSandbox(); // every renderer sandboxed, whatever a window asks for (security item 4)
  registerAppScheme(protocol);
  nativeTheme.themeSource = 'system';
  if (process.platform !== 'darwin') Menu.setApplicationMenu(null); // no default menu: faster start, no stray shortcuts

  if (!app.requestSingleInstanceLock()) {
    app.quit(); // the running instance gets 'second-instance' and comes to the front
    return { primary: false, ready: Promise.resolve(), mainWindow: () => null };
  }

  const devServerUrl = app.isPackaged ? undefined : options.devServerUrl;
  const isTrusted = createUrlPolicy(devServerUrl);
  // Reviewed (electronegativity OPEN_EXTERNAL_JS_CHECK): only https: URLs without credentials, after
  // URL parsing (isSafeExternalUrl), reach the OS; security.ts checks again before calling this.
  const openExternal = (url: string) => (isSafeExternalUrl(url) ? shell.openExternal(url) : Promise.resolve()); // eng-disable OPEN_EXTERNAL_JS_CHECK
  hardenAllWebContents(app, isTrusted, openExternal);

  let mainWindow: BrowserWindow | null = null;
  let core: Promise<CoreClient> | null = null;
  let closed = false;

  const openWindow = () => {
    mainWindow = createMainWindow({
      preloadPath: options.preloadPath,
      url: devServerUrl ?? APP_ENTRY_URL,
      userDataDir: app.getPath('userData'),
      devTools: !app.isPackaged,
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  app.on('second-instance', () => {
    if (mainWindow) focusWindow(mainWindow);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && core && !mainWindow) openWindow();
  });
  app.on('will-quit', (event) => {
    if (!core || closed) return;
    // Let the worker checkpoint and close SQLite before the process ends (close() gives up after 2 s).
    event.preventDefault();
    closed = true;
    void core
      .then((c) => c.close())
      .catch(() => undefined)
      .finally(() => app.quit());
  });

  const ready = app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    installAppProtocol(protocol, options.rendererRoot);
    if (process.platform === 'darwin') {
      Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]));
    }
    // The worker opens and migrates the database while the window loads.
    const starting = options.startCore({ dataDir: app.getPath('userData'), workerUrl: options.workerUrl, workerDir: options.workerDir });
    core = starting;
    const lazyCore = { call: async (method: string, input: unknown) => (await starting).call(method, input) };
    registerRpc(ipcMain, lazyCore, isTrusted);
    openWindow();
    let client: CoreClient;
    try {
      client = await starting;
    } catch (e) {
      core = null;
      dialog.showErrorBox('Orgdesk could not open its data', `${e instanceof Error ? e.message : String(e)}\n\nData folder: ${app.getPath('userData')}`);
      app.quit();
      throw e;
    }
    forwardCoreEvents(client, () => BrowserWindow.getAllWindows().map((w) => w.webContents), isTrusted);
  });
  ready.catch(() => undefined);

  return { primary: true, ready, mainWindow: () => mainWindow };
}
