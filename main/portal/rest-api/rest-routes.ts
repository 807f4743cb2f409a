/**
 * The Portal's REST API under /api/v1/: a thin HTTP adapter over the core's `api.*` methods. Here:
 * routing, the bearer credential, the per-key rate limit (token bucket, 429 + Retry-After), body
 * limits, JSON and multipart parsing (busboy), and turning typed errors into status codes. The key
 * check, role check, organization tree and every operation are in the core (main/core/api-keys).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';
import type { AppErrorShape, ErrorCode, RpcResult } from '../../../shared/model/errors.ts';
import { translate, type UiLanguage } from '../../../shared/i18n/index.ts';
import { bearerToken, parseApiKey, takeToken, type TokenBucketConfig, type TokenBucketState } from '../../../shared/rules/api-keys.ts';
import { openApiDocument } from './openapi.ts';

export const REST_BASE = '/api/v1';
/** JSON bodies: a user is a few hundred bytes. */
const MAX_JSON_BYTES = 1024 * 1024;
/** The import's file: the users importer's own limit. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Files reach the core in chunks no larger than the core takes (files.append). */
const UPLOAD_CHUNK = 4 * 1024 * 1024;

export const DEFAULT_RATE_LIMIT: TokenBucketConfig = { capacity: 60, refillPerSecond: 1 };

const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, UNKNOWN_METHOD: 500, INTERNAL: 500,
};

/** An answer the adapter decides itself (bad body, too large): status + message key. */
class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly key: string;
  readonly params: Record<string, string | number> | undefined;
  constructor(status: number, code: string, key: string, params?: Record<string, string | number>) {
    super(key);
    this.status = status;
    this.code = code;
    this.key = key;
    this.params = params;
  }
}

interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  key: string;
  params: Record<string, string>;
  language: UiLanguage;
}

type RouteHandler = (ctx: RequestContext) => Promise<void>;

function languageOf(req: IncomingMessage): UiLanguage {
  const header = String(req.headers['accept-language'] ?? '');
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'en' || tag === 'es' || tag === 'pt') return tag;
  }
  return 'en';
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: string, message: string, fields?: Record<string, string[]>, headers: Record<string, string> = {}) {
  send(res, status, { error: { code, message, ...(fields ? { fields } : {}) } }, headers);
}

function sendCoreError(ctx: RequestContext, error: AppErrorShape) {
  const status = STATUS[error.code] ?? 500;
  const message = error.key && error.key !== 'common.bad_input' ? translate(error.key, error.params, ctx.language) : error.message;
  const fields = error.fields
    ? Object.fromEntries(Object.entries(error.fields).map(([f, issues]) => [f, issues.map((i) => translate(i.key, i.params, ctx.language))]))
    : undefined;
  sendError(ctx.res, status, error.code, message, fields, status === 401 ? { 'WWW-Authenticate': 'Bearer realm="orgdesk"' } : {});
}

/** Call the core and answer: the value with `status`, or the typed error with its status code. */
async function answer(ctx: RequestContext, result: Promise<RpcResult>, status = 200) {
  const r = await result;
  if (r.ok) send(ctx.res, status, r.value);
  else sendCoreError(ctx, r.error);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'restApi.unsupported_media');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON_BYTES) throw new HttpProblem(413, 'TOO_LARGE', 'restApi.body_too_large', { max: 1 });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new HttpProblem(413, 'TOO_LARGE', 'restApi.body_too_large', { max: 1 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'BAD_INPUT', 'restApi.bad_json');
  }
}

/** Flexopus sends its flags as form fields: true/false, 1/0 (also yes/no, on/off); absent = false. */
function flag(fields: Map<string, string>, name: string): boolean {
  const raw = fields.get(name);
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new HttpProblem(400, 'BAD_INPUT', 'restApi.bad_flag', { field: name });
}

interface Upload { filename: string; data: Buffer; fields: Map<string, string> }

function readMultipart(req: IncomingMessage): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 1024, fileSize: MAX_IMPORT_BYTES, parts: 30 } });
    } catch {
      reject(new HttpProblem(400, 'BAD_INPUT', 'restApi.bad_multipart'));
      return;
    }
    const fields = new Map<string, string>();
    let file: { filename: string; chunks: Buffer[] } | null = null;
    let failed: HttpProblem | null = null;
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const current = { filename: info.filename || 'upload', chunks: [] as Buffer[] };
      file = current;
      stream.on('data', (c: Buffer) => current.chunks.push(c));
      stream.on('limit', () => {
        failed = new HttpProblem(413, 'TOO_LARGE', 'restApi.body_too_large', { max: MAX_IMPORT_BYTES / 1024 / 1024 });
      });
    });
    parser.on('error', () => reject(new HttpProblem(400, 'BAD_INPUT', 'restApi.bad_multipart')));
    parser.on('close', () => {
      if (failed) return reject(failed);
      const got = file as { filename: string; chunks: Buffer[] } | null;
      if (!got) return reject(new HttpProblem(400, 'BAD_INPUT', 'restApi.file_missing'));
      resolve({ filename: got.filename, data: Buffer.concat(got.chunks), fields });
    });
    req.pipe(parser);
  });
}

/** Hand an upload to the core the way a window does: files.begin, then files.append in chunks. */
async function uploadToCore(core: CoreClient, filename: string, data: Buffer): Promise<RpcResult<string>> {
  const begun = await core.call('files.begin', { filename: filename.slice(0, 255), bytes: data.length });
  if (!begun.ok) return begun;
  const { fileId } = begun.value as { fileId: string };
  for (let offset = 0; offset < data.length; offset += UPLOAD_CHUNK) {
    const appended = await core.call('files.append', { fileId, offset, base64: data.subarray(offset, offset + UPLOAD_CHUNK).toString('base64') });
    if (!appended.ok) {
      await core.call('files.discard', { fileId });
      return appended;
    }
  }
  return { ok: true, value: fileId };
}

/** Query parameters as the core's types: whole numbers and booleans checked here, the rest by the core. */
function userQuery(url: URL): Record<string, unknown> {
  const p = url.searchParams;
  const out: Record<string, unknown> = {};
  for (const name of ['organizationId', 'q', 'status']) {
    const v = p.get(name);
    if (v !== null) out[name] = v;
  }
  for (const name of ['offset', 'limit']) {
    const v = p.get(name);
    if (v === null) continue;
    if (!/^\d{1,9}$/.test(v)) throw new HttpProblem(400, 'BAD_INPUT', 'restApi.bad_number', { field: name });
    out[name] = Number(v);
  }
  const sub = p.get('includeSubOrganizations');
  if (sub !== null) out.includeSubOrganizations = flag(new Map([['includeSubOrganizations', sub]]), 'includeSubOrganizations');
  return out;
}

/** "METHOD /path" (OpenAPI path templates) -> handler: exactly the operations openapi.ts documents. */
export function restRouteTable(core: CoreClient): Record<string, RouteHandler> {
  return {
    'GET /api/v1/organizations': (ctx) => answer(ctx, core.call('api.organizations', { key: ctx.key })),
    'GET /api/v1/users': (ctx) => answer(ctx, core.call('api.usersList', { key: ctx.key, query: userQuery(ctx.url) })),
    'POST /api/v1/users': async (ctx) => answer(ctx, core.call('api.usersCreate', { key: ctx.key, body: await readJson(ctx.req) }), 201),
    'GET /api/v1/users/{id}': (ctx) => answer(ctx, core.call('api.usersGet', { key: ctx.key, id: ctx.params.id })),
    'PATCH /api/v1/users/{id}': async (ctx) =>
      answer(ctx, core.call('api.usersUpdate', { key: ctx.key, id: ctx.params.id, body: await readJson(ctx.req) })),
    'POST /api/v1/users/import': async (ctx) => {
      // Check the key and its role before accepting up to 50 MB from the caller.
      const allowed = await core.call('api.authorize', { key: ctx.key, operation: 'users.import' });
      if (!allowed.ok) {
        ctx.req.resume();
        return sendCoreError(ctx, allowed.error);
      }
      const declared = Number(ctx.req.headers['content-length'] ?? 0);
      if (declared > MAX_IMPORT_BYTES + 64 * 1024) throw new HttpProblem(413, 'TOO_LARGE', 'restApi.body_too_large', { max: MAX_IMPORT_BYTES / 1024 / 1024 });
      const type = String(ctx.req.headers['content-type'] ?? '').toLowerCase();
      if (!type.startsWith('multipart/form-data')) throw new HttpProblem(400, 'BAD_INPUT', 'restApi.bad_multipart');
      const upload = await readMultipart(ctx.req);
      const options = {
        update: flag(upload.fields, 'update'), deactivate: flag(upload.fields, 'deactivate'),
        restore: flag(upload.fields, 'restore'), dryRun: flag(upload.fields, 'dry_run'),
      };
      const organizationId = upload.fields.get('organization_id');
      const fileId = await uploadToCore(core, upload.filename, upload.data);
      if (!fileId.ok) return sendCoreError(ctx, fileId.error);
      // api.usersImport discards the upload whatever happens.
      await answer(ctx, core.call('api.usersImport', {
        key: ctx.key, fileId: fileId.value, filename: upload.filename.slice(0, 255), options, language: ctx.language,
        ...(organizationId ? { organizationId } : {}),
      }));
    },
  };
}

const compile = (template: string) => {
  const names: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { regex: new RegExp(`^${source}$`), names };
};

export interface RestApiOptions {
  rateLimit?: TokenBucketConfig;
  /** Milliseconds now (tests may pass their own clock). */
  now?: () => number;
}

export function createRestApiRoutes(core: CoreClient, options: RestApiOptions = {}): PortalRoutes {
  const table = restRouteTable(core);
  const routes = Object.entries(table).map(([key, handle]) => {
    const [method, path] = key.split(' ') as [string, string];
    return { method, path, handle, ...compile(path) };
  });
  const rate = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, TokenBucketState>();
  const document = JSON.stringify(openApiDocument());
  // A bucket that has refilled completely is the same as no bucket: forget those now and then.
  const fullAfterMs = (rate.capacity / rate.refillPerSecond) * 1000;
  const sweep = (at: number) => {
    if (buckets.size < 10_000) return;
    for (const [k, b] of buckets) if (at - b.at >= fullAfterMs) buckets.delete(k);
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname !== REST_BASE && !url.pathname.startsWith(`${REST_BASE}/`)) return false;
    const language = languageOf(req);
    const problem = (p: HttpProblem, headers: Record<string, string> = {}) =>
      sendError(res, p.status, p.code, translate(p.key, p.params, language), undefined, headers);

    if (url.pathname === `${REST_BASE}/openapi.json`) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here.`, undefined, { Allow: 'GET' });
        return true;
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : document);
      return true;
    }

    const onPath = routes.filter((r) => r.regex.test(url.pathname));
    // The import's path also matches /users/{id}; the literal one wins.
    const route = onPath.find((r) => r.method === req.method && (r.names.length === 0 || !onPath.some((o) => o.method === req.method && o.names.length === 0)));
    if (!route) {
      if (onPath.length > 0) {
        const allow = [...new Set(onPath.map((r) => r.method))].join(', ');
        sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here. Allowed: ${allow}.`, undefined, { Allow: allow });
      } else {
        sendError(res, 404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}.`);
      }
      req.resume();
      return true;
    }

    const key = bearerToken(req.headers.authorization);
    if (!key) {
      req.resume();
      sendError(res, 401, 'UNAUTHORIZED', translate('apiKey.unauthorized', undefined, language), undefined,
        { 'WWW-Authenticate': 'Bearer realm="orgdesk"' });
      return true;
    }
    // Per key: the public key ID of a well-formed key; anything else shares its caller's address.
    const bucketKey = parseApiKey(key)?.keyId ?? `address:${req.socket.remoteAddress ?? ''}`;
    const at = now();
    sweep(at);
    const taken = takeToken(buckets.get(bucketKey), at, rate);
    buckets.set(bucketKey, taken.state);
    if (!taken.allowed) {
      req.resume();
      sendError(res, 429, 'RATE_LIMITED', translate('restApi.rate_limited', { seconds: taken.retryAfterSeconds }, language), undefined,
        { 'Retry-After': String(taken.retryAfterSeconds) });
      return true;
    }
    res.setHeader('RateLimit-Limit', String(rate.capacity));
    res.setHeader('RateLimit-Remaining', String(taken.remaining));

    const match = route.regex.exec(url.pathname)!;
    const params: Record<string, string> = {};
    try {
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1]!);
      });
    } catch {
      // A malformed escape (%E0%A4%A) names nothing that exists.
      sendError(res, 404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}.`);
      req.resume();
      return true;
    }
    try {
      await route.handle({ req, res, url, key, params, language });
    } catch (e) {
      if (!(e instanceof HttpProblem)) throw e;
      req.resume();
      problem(e, e.status === 413 ? { Connection: 'close' } : {});
    }
    return true;
  };
}
