/**
 * The app:// protocol that serves the built renderer (out/renderer) to the window, instead of
 * file:// (Electron security item 18). Only host "bundle", only GET/HEAD, only files inside the root
 * (no traversal, whatever its encoding), always with the app's Content-Security-Policy.
 */
import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security-policy.ts';
import { APP_HOST, APP_SCHEME } from './security.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Must run before app 'ready': app:// behaves like https (standard, secure, fetch-able). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** What the handler reads from a request; Electron's GlobalRequest has both. */
export interface AppRequest {
  url: string;
  method: string;
}

export type ReadFile = (path: string) => Promise<Uint8Array>;

const plain = (status: number, text: string, extra: Record<string, string> = {}) =>
  new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...extra } });

/**
 * Map an app:// URL to a file under root, or null when it is not one we serve. Exported for tests.
 * The URL parser already folds "..", "%2e%2e" and "." segments; this also refuses what it does not
 * fold for a non-special scheme (backslashes, encoded slashes, NUL) and checks the resolved path is
 * still inside root.
 */
export function resolveAppPath(root: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null; // malformed %-escape
  }
  if (pathname.includes('\\') || pathname.includes('\0')) return null;
  if (pathname.split('/').some((segment) => segment === '..')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = resolve(root);
  const file = resolve(base, `.${pathname}`);
  return file.startsWith(base + sep) ? file : null;
}

/** The protocol.handle('app', ...) handler, independent of Electron so it can be tested in Node. */
export function createAppProtocolHandler(root: string, read: ReadFile = readFile): (request: AppRequest) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    }
    const file = resolveAppPath(root, request.url);
    if (!file) return plain(404, 'Not Found');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return plain(404, 'Not Found'); // missing file, directory, unreadable
    }
    const headers = {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ...SECURITY_HEADERS,
    };
    return new Response(request.method === 'HEAD' ? null : new Blob([body as Uint8Array<ArrayBuffer>]), { status: 200, headers });
  };
}

/** After 'ready': serve root on app://bundle for the default session. */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(root));
}
