/**
 * The Portal's sync API (research/sync.md §4.5): POST /sync/v1/hello, /sync/v1/push, /sync/v1/pull,
 * JSON in and out, `Authorization: Bearer <console token>`. The routes only carry bytes: who the
 * caller is, what they may touch and every rule are decided by the core (main/core/sync/server.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';
import { pokeRoute } from './poke-route.ts';

/** A push of 1,000 changes with their inputs stays well below this; more is refused with 413. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const METHODS: Record<string, 'sync.serverHello' | 'sync.serverPush' | 'sync.serverPull' | 'sync.serverSignIn' | 'sync.serverSignOut'> = {
  '/sync/v1/hello': 'sync.serverHello',
  '/sync/v1/push': 'sync.serverPush',
  '/sync/v1/pull': 'sync.serverPull',
  // Signing in presents an email and password (no bearer yet); signing out ends the presented session.
  '/sync/v1/sign-in': 'sync.serverSignIn',
  '/sync/v1/sign-out': 'sync.serverSignOut',
};

/** The caller's address, for the sign-in record (as the sign-in pages keep it). */
const clientIp = (req: IncomingMessage) => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '').slice(0, 100);

function send(res: ServerResponse, status: number, body: unknown, retryAfterSeconds?: number) {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff',
  };
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(retryAfterSeconds);
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createSyncApiRoutes(core: CoreClient): PortalRoutes {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname === '/sync/v1/poke') {
      if (req.method !== 'POST') send(res, 405, { error: 'methodNotAllowed' });
      else await pokeRoute(core, req, res);
      return true;
    }
    const method = METHODS[url.pathname];
    if (!method) return false;
    if (req.method !== 'POST') {
      send(res, 405, { error: 'methodNotAllowed' });
      return true;
    }
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (!token && method !== 'sync.serverSignIn') {
      send(res, 401, { error: 'unauthorized' });
      return true;
    }
    const body = await readBody(req);
    if (body === null) {
      send(res, 413, { error: 'tooLarge', maxBytes: MAX_BODY_BYTES });
      return true;
    }
    let request: unknown;
    try {
      request = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      send(res, 400, { error: 'badJson' });
      return true;
    }
    const input = method === 'sync.serverSignIn' ? { request, ip: clientIp(req) } : method === 'sync.serverSignOut' ? { token } : { token, request };
    const result = await core.call(method, input);
    if (!result.ok) {
      if (result.error.code === 'BAD_INPUT') send(res, 400, { error: 'badRequest', message: result.error.message, fields: result.error.fields });
      // The core rolled back (or its worker restarted): nothing was applied, the console retries.
      else send(res, 503, { error: 'unavailable', message: result.error.message }, 1);
      return true;
    }
    const answer = result.value as { status: number; body: unknown; retryAfter?: number };
    send(res, answer.status, answer.body, answer.retryAfter);
    return true;
  };
}
