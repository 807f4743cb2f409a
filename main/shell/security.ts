/**
 * Security policy of the Electron shell (Electron security checklist items 4-15, research §3.1).
 * Pure URL rules plus small installers that take the Electron objects as parameters, so every rule
 * is unit-tested with the recording double in test/stubs/electron-double.ts.
 */
import type { App, Session, WebContents } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Decides whether a URL is the app's own content (the only content allowed to navigate or call IPC). */
export type UrlPolicy = (url: string) => boolean;

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * app://bundle/... only. Compares protocol + host: Node's URL gives origin 'null' for non-special
 * schemes such as app:, so comparing .origin would accept any app:// URL. Credentials are refused
 * (app://bundle@evil or app://x:y@bundle).
 */
export function isAppUrl(raw: string): boolean {
  const u = parse(raw);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/**
 * The URL policy for this run. In development (`electron-vite dev`, unpackaged, ELECTRON_RENDERER_URL
 * set) the renderer comes from Vite's dev server on loopback, whose exact origin is also trusted;
 * a packaged build never trusts anything but app://bundle.
 */
export function createUrlPolicy(devServerUrl?: string): UrlPolicy {
  const dev = devServerUrl ? parse(devServerUrl) : null;
  if (!dev) return isAppUrl;
  if (dev.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(dev.hostname)) {
    throw new Error(`The dev server must be on http loopback, got ${devServerUrl}`);
  }
  return (raw) => {
    if (isAppUrl(raw)) return true;
    const u = parse(raw);
    return u !== null && u.protocol === dev.protocol && u.host === dev.host && !u.username && !u.password;
  };
}

/**
 * Links the renderer may hand to the operating system (shell.openExternal): https only, parsed with
 * URL, no credentials. file:, javascript:, http:, smb:, custom schemes and garbage are refused.
 */
export function isSafeExternalUrl(raw: string): boolean {
  const u = parse(raw);
  return u !== null && u.protocol === 'https:' && u.hostname !== '' && !u.username && !u.password;
}

/**
 * The only permissions the console's own page gets: writing text to the clipboard (Copy of a SCIM
 * token, an API key, a DNS record) and reading it back, which the token's Copy needs to clear the
 * clipboard after 60 s only if it still holds the token. Top frame of app://bundle only.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'clipboard-read']);

function isAppOrigin(url: string | undefined): boolean {
  const u = url ? parse(url) : null;
  return u !== null && `${u.protocol}//${u.host}` === APP_ORIGIN;
}

/** Session-wide rules: no other permission (camera, notifications, geolocation, HID...) is ever granted. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(GRANTED_PERMISSIONS.has(permission) && details.isMainFrame && isAppOrigin(details.requestingUrl)));
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    GRANTED_PERMISSIONS.has(permission) && details.isMainFrame && isAppOrigin(requestingOrigin));
  ses.setDevicePermissionHandler(() => false);
}

/**
 * Rules for one web contents: navigation and redirects only within the app; no new windows (https
 * links go to the default browser instead); no <webview>.
 */
export function hardenWebContents(
  contents: WebContents,
  isTrusted: UrlPolicy,
  openExternal: (url: string) => Promise<void>,
): void {
  contents.on('will-navigate', (event) => {
    if (!isTrusted(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isTrusted(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** Apply hardenWebContents to every web contents the app ever creates (windows, devtools, frames). */
export function hardenAllWebContents(
  app: Pick<App, 'on'>,
  isTrusted: UrlPolicy,
  openExternal: (url: string) => Promise<void>,
): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isTrusted, openExternal));
}
