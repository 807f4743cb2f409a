/**
 * The loopback web host: serves the built renderer and the contract over HTTP on 127.0.0.1, for
 * `npm run web` (machines without Electron) and the end-to-end tests. Same origin for page and API,
 * so no CORS. Guarded by a random per-run token that the page receives in the URL fragment (never
 * sent to the server or written to logs), and a Host header check against DNS rebinding.
 *
 *   POST /rpc/<method>   Authorization: Bearer <token>, body = JSON input -> JSON RpcResult
 *   GET  /events         Authorization: Bearer <token> -> text/event-stream of contract events
 *   GET  /*              the renderer (index.html for unknown paths), with the app's CSP
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { events } from '../../shared/contract.ts';
import type { RpcResult } from '../../shared/model/errors.ts';
import type { CoreClient } from '../core/worker/core-client.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/security-policy.ts';

export const MAX_BODY_BYTES = 8 * 1024 * 1024; // a 3 MB cover image is ~4 MB of base64

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.map': 'application/json', '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface HostOptions {
  core: CoreClient;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token (tests); a fresh 256-bit one otherwise. */
  token?: string;
}

export interface Host {
  /** Open this in a browser: it carries the token in the fragment. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...securityHeaders });
  res.end(text);
}

const failure = (code: 'UNAUTHORIZED' | 'BAD_INPUT' | 'NOT_FOUND', message: string): RpcResult => ({
  ok: false,
  error: { code, message, key: code === 'UNAUTHORIZED' ? 'common.unauthorized' : 'common.bad_input' },
});

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenBytes = Buffer.from(token);
  const root = resolve(options.staticDir);
  let origin = '';
  const streams = new Set<ServerResponse>();

  const authorized = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
  };

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    let file = resolve(root, `.${decodeURIComponent(pathname)}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404, securityHeaders).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) file = resolve(root, 'index.html'); // client-side routes
    const body = await readFile(file).catch(() => null);
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders }).end('The console has not been built. Run: npm run build:web');
      return;
    }
    const cache = file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable';
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cache, ...securityHeaders });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    void (async () => {
      // DNS rebinding: only our own host:port names this server.
      if (req.headers.host !== new URL(origin).host) {
        res.writeHead(421, securityHeaders).end();
        return;
      }
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname.startsWith('/rpc/')) {
        if (req.method !== 'POST') return sendJson(res, 405, failure('BAD_INPUT', 'Use POST.'));
        if (!authorized(req)) return sendJson(res, 401, failure('UNAUTHORIZED', 'Missing or wrong token.'));
        const text = await readBody(req);
        if (text === null) return sendJson(res, 413, failure('BAD_INPUT', `The request is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`));
        let input: unknown;
        try {
          input = text === '' ? {} : JSON.parse(text);
        } catch {
          return sendJson(res, 400, failure('BAD_INPUT', 'The request body is not JSON.'));
        }
        const result = await options.core.call(decodeURIComponent(url.pathname.slice(5)), input);
        return sendJson(res, 200, result);
      }
      if (url.pathname === '/events') {
        if (!authorized(req)) return sendJson(res, 401, failure('UNAUTHORIZED', 'Missing or wrong token.'));
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...securityHeaders });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, securityHeaders).end();
        return;
      }
      await serveStatic(req, res, url.pathname);
    })().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Internal error.' } });
      else res.end();
    });
  });

  const unsubscribers = Object.keys(events).map((name) =>
    options.core.subscribe(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const s of streams) s.write(frame);
    }),
  );
  // Keep idle event streams alive through proxies and detect dead tabs.
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    async close() {
      clearInterval(heartbeat);
      for (const u of unsubscribers) u();
      for (const s of streams) s.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
