/**
 * A recording test double of the parts of 'electron' that main/shell and preload use. The shell's
 * tests install it with
 *   vi.mock('electron', async () => (await import('../../stubs/electron-double.ts')).electronModule);
 * and read what the code did from `electron` (the same singleton), calling `resetElectron()` in
 * beforeEach. Nothing here decides anything: it records calls and lets tests fire events.
 */

// Handlers are stored untyped and called with whatever Electron would pass; tests cast as needed.
export type Listener = (...args: never[]) => unknown;

/** Minimal EventEmitter with the once/off semantics the shell relies on. */
export class Emitter {
  private listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();
  on(event: string, fn: Listener): this {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once: false });
    this.listeners.set(event, list);
    return this;
  }
  once(event: string, fn: Listener): this {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once: true });
    this.listeners.set(event, list);
    return this;
  }
  off(event: string, fn: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l.fn !== fn));
    return this;
  }
  removeListener(event: string, fn: Listener): this {
    return this.off(event, fn);
  }
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listeners.get(event) ?? [];
    this.listeners.set(event, list.filter((l) => !l.once));
    for (const l of list) l.fn(...(args as never[]));
    return list.length > 0;
  }
  listenerCount(event: string): number {
    return (this.listeners.get(event) ?? []).length;
  }
  removeAllListeners(): void {
    this.listeners.clear();
  }
}

/** An Electron Event: records preventDefault(). */
export class FakeEvent<T extends object = object> {
  defaultPrevented = false;
  constructor(fields?: T) {
    Object.assign(this, fields);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/**
 * State shared through globalThis: vi.resetModules() (used to re-run a module's top level, such as
 * the preload's exposeInMainWorld) creates a fresh copy of this file for the code under test, and
 * both copies must record into the same double.
 */
const shared = globalThis as { __orgdeskElectronDouble?: { electron: ElectronDouble; callLog: string[] } };

const record = (name: string) => shared.__orgdeskElectronDouble!.callLog.push(name);

export class FakeWebContents extends Emitter {
  url = '';
  destroyed = false;
  sent: Array<[string, ...unknown[]]> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    record('webContents.setWindowOpenHandler');
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
}

export interface FakeRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeWindowOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  show?: boolean;
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export class FakeBrowserWindow extends Emitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return electron.windows.filter((w) => !w.destroyed);
  }
  readonly options: FakeWindowOptions;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  bounds: FakeRect;
  constructor(options: FakeWindowOptions = {}) {
    super();
    record('new BrowserWindow');
    this.options = options;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    electron.windows.push(this);
    electron.app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL');
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return false;
  }
  getNormalBounds(): FakeRect {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    const e = new FakeEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends Emitter {
  isPackaged = false;
  sandboxEnabled = false;
  ready = false;
  quitCalls = 0;
  /** What requestSingleInstanceLock() answers: false = another instance holds it. */
  singleInstanceLock = true;
  paths: Record<string, string> = { userData: '/tmp/orgdesk-test-userdata' };
  private readyWaiters: Array<() => void> = [];
  enableSandbox(): void {
    record('app.enableSandbox');
    if (this.ready) throw new Error('app.enableSandbox() must be called before the ready event');
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return this.singleInstanceLock;
  }
  quit(): void {
    record('app.quit');
    this.quitCalls++;
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`no path ${name}`);
    return p;
  }
  /** Test helper: fire 'ready' like Electron does. */
  fireReady(): void {
    record('app ready');
    this.ready = true;
    this.emit('ready', new FakeEvent());
    for (const w of this.readyWaiters.splice(0)) w();
  }
}

class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  setPermissionRequestHandler(h: Listener | null): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: Listener | null): void {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: Listener | null): void {
    this.devicePermissionHandler = h;
  }
}

function createDouble() {
  return {
    /** Every BrowserWindow constructed, in order. */
    windows: [] as FakeBrowserWindow[],
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handlers: new Map<string, Listener>(),
      handle(channel: string, fn: Listener) {
        record('ipcMain.handle');
        if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        this.handlers.set(channel, fn);
      },
      removeHandler(channel: string) {
        this.handlers.delete(channel);
      },
    },
    protocol: {
      privileged: [] as unknown[],
      handlers: new Map<string, Listener>(),
      registerSchemesAsPrivileged(schemes: unknown[]) {
        record('protocol.registerSchemesAsPrivileged');
        if (electron.app.ready) throw new Error('registerSchemesAsPrivileged must be called before ready');
        this.privileged.push(...schemes);
      },
      handle(scheme: string, fn: Listener) {
        record('protocol.handle');
        if (!electron.app.ready) throw new Error('protocol.handle must be called after ready');
        this.handlers.set(scheme, fn);
      },
    },
    session: { defaultSession: new FakeSession() },
    shell: {
      opened: [] as string[],
      openExternal(url: string) {
        this.opened.push(url);
        return Promise.resolve();
      },
    },
    screen: {
      displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }],
      getAllDisplays() {
        return this.displays;
      },
      getPrimaryDisplay() {
        return this.displays[0]!;
      },
    },
    Menu: {
      applicationMenu: undefined as unknown,
      setApplicationMenu(menu: unknown) {
        record('Menu.setApplicationMenu');
        this.applicationMenu = menu;
      },
      buildFromTemplate(template: unknown[]) {
        return { template };
      },
    },
    nativeTheme: { themeSource: 'light' as string, shouldUseDarkColors: false },
    dialog: {
      errors: [] as Array<[string, string]>,
      showErrorBox(title: string, content: string) {
        this.errors.push([title, content]);
      },
    },
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown) {
        if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
        this.exposed.set(key, api);
      },
    },
    ipcRenderer: Object.assign(new Emitter(), {
      invoked: [] as unknown[][],
      invokeResult: { ok: true, value: 'reply' } as unknown,
      invoke(...args: unknown[]) {
        this.invoked.push(args);
        return Promise.resolve(this.invokeResult);
      },
    }),
  };
}

export type ElectronDouble = ReturnType<typeof createDouble>;

shared.__orgdeskElectronDouble ??= { electron: createDouble(), callLog: [] };

/** The singleton the mocked module and the tests share. */
export const electron: ElectronDouble = shared.__orgdeskElectronDouble.electron;

/** One entry per call, in order, across all fakes: lets tests assert ordering (e.g. before 'ready'). */
export const callLog: string[] = shared.__orgdeskElectronDouble.callLog;

/** Put every fake back to its initial state (call in beforeEach). */
export function resetElectron(): void {
  Object.assign(electron, createDouble());
  callLog.length = 0;
}

/**
 * What vi.mock('electron', ...) should return: named exports that always read the current fakes
 * (so resetElectron() takes effect for modules imported earlier), plus a default export.
 */
export const electronModule: Record<string, unknown> = new Proxy({} as Record<string, unknown>, {
  get(_t, prop) {
    if (prop === 'default') return electron;
    if (prop === '__esModule') return true;
    return (electron as unknown as Record<string | symbol, unknown>)[prop];
  },
  has(_t, prop) {
    return prop === 'default' || prop in electron;
  },
  ownKeys() {
    return [...Object.keys(electron), 'default'];
  },
  getOwnPropertyDescriptor(_t, prop) {
    return { enumerable: true, configurable: true, value: (electron as unknown as Record<string | symbol, unknown>)[prop] ?? (prop === 'default' ? electron : undefined) };
  },
});
