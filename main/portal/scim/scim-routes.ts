/**
 * The Portal's SCIM 2.0 (RFC 7643/7644) under /scim/v2/: a thin adapter. The body is bounded
 * before it is read in full (413 with a SCIM error body), then the request goes to the core's
 * `scim.handle`, which checks the token, speaks the protocol and writes through the pipeline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';
import { SCIM_BASE_PATH } from '../../core/identity/scim-tokens.ts';
import { SCIM_LIMITS, URN, type ScimHttpResponse } from '../../../shared/model/scim.ts';

const SCIM_JSON = 'application/scim+json; charset=utf-8';

function sendError(res: ServerResponse, status: number, detail: string, scimType?: string) {
  res.writeHead(status, { 'Content-Type': SCIM_JSON, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify({ schemas: [URN.error], status: String(status), ...(scimType ? { scimType } : {}), detail }));
}

/** The body as text, or null once it passed `max` bytes (then the rest is drained, not kept). */
async function readBounded(req: IncomingMessage, max: number): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) {
    req.resume();
    return null;
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.resume();
      return null;
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

const header = (req: IncomingMessage, name: string): string | null => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : null;
};

export function createScimRoutes(core: CoreClient): PortalRoutes {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname !== SCIM_BASE_PATH && !url.pathname.startsWith(`${SCIM_BASE_PATH}/`)) return false;
    const body = await readBounded(req, SCIM_LIMITS.maxBodyBytes);
    if (body === null) {
      // Close the connection: the client may still be sending the rest of an oversized body.
      res.setHeader('Connection', 'close');
      sendError(res, 413, `The request body is larger than ${SCIM_LIMITS.maxBodyBytes} bytes.`);
      return true;
    }
    const proto = header(req, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
    const host = header(req, 'host') ?? '127.0.0.1';
    const result = await core.call('scim.handle', {
      authorization: header(req, 'authorization'),
      method: req.method ?? 'GET',
      path: url.pathname.slice(SCIM_BASE_PATH.length),
      query: url.search.replace(/^\?/, ''),
      body,
      baseUrl: `${proto}://${host}${SCIM_BASE_PATH}`,
      ifMatch: header(req, 'if-match'),
      ifNoneMatch: header(req, 'if-none-match'),
    });
    if (!result.ok) {
      const status = result.error.code === 'BAD_INPUT' ? 400 : 500;
      sendError(res, status, status === 400 ? result.error.message : 'Internal error.', status === 400 ? 'invalidValue' : undefined);
      return true;
    }
    const answer = result.value as ScimHttpResponse;
    res.writeHead(answer.status, { ...answer.headers, 'X-Content-Type-Options': 'nosniff' });
    res.end(answer.body);
    return true;
  };
}
