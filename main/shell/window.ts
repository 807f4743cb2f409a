/**
 * The main window. Its webPreferences are written out literally here (not built elsewhere) so that
 * both a reader and the electronegativity gate see them: contextIsolation, sandbox, no Node, no
 * <webview>, the one preload. webSecurity, allowRunningInsecureContent, experimentalFeatures and
 * enableBlinkFeatures are deliberately left at their secure defaults (security items 6, 8-10).
 */
import { BrowserWindow, nativeTheme, screen } from 'electron';
import { loadWindowState, trackWindowState, windowStateFile, MIN_HEIGHT, MIN_WIDTH } from './window-state.ts';

export interface MainWindowOptions {
  preloadPath: string;
  /** app://bundle/index.html, or the dev server's URL under `electron-vite dev`. */
  url: string;
  userDataDir: string;
  /** DevTools only in development; a packaged console has none. */
  devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const stateFile = windowStateFile(options.userDataDir);
  // Work areas, primary display first (clampToDisplays falls back to the first one).
  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((d) => d.id !== primary.id);
  const state = loadWindowState(stateFile, [primary.workArea, ...others.map((d) => d.workArea)]);

  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false, // shown on ready-to-show: no white flash, no half-drawn UI
    title: 'Orgdesk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff',
    webPreferences: {
      // Reviewed (electronegativity PRELOAD_JS_CHECK): the preload is preload/index.ts, sandboxed, and
      // exposes only call/subscribe over the sender-checked orgdesk:rpc channel; never ipcRenderer.
      preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click would ask for a new window; the window-open handler denies it anyway, and this
      // removes the event altogether (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
    },
  });

  trackWindowState(win, stateFile);
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.loadURL(options.url).catch(() => undefined); // a failed load shows Chromium's error page; nothing to do here
  return win;
}

/** Bring the existing window to the front (second instance, dock click). */
export function focusWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
