/**
 * The Portal server: the same core, run headless, on its own data dir. This is its skeleton: the
 * health endpoint. The sync API, REST API, SCIM 2.0 and end-user pages are added by their features
 * as routes here, each calling core.call() so one set of rules serves console and Portal.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CoreClient } from '../core/worker/core-client.ts';
import { APP_VERSION } from '../core/version.ts';
import { createAuthPages } from './pages/auth-pages.ts';
import { createScimRoutes } from './scim/scim-routes.ts';
import { createRestApiRoutes } from './rest-api/rest-routes.ts';
import { createSyncApiRoutes } from './sync-api/sync-routes.ts';
import { createSamlRoutes } from './saml/saml-routes.ts';
import type { PortalRoutes } from './portal-routes.ts';

export interface PortalOptions {
  core: CoreClient;
  host?: string;
  port?: number;
}

export interface Portal {
  origin: string;
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}

export async function startPortal(options: PortalOptions): Promise<Portal> {
  const startedAt = Date.now();
  const routes: Record<string, Route> = {
    'GET /health': async (_req, res) => {
      // Reading through the core proves the database answers, not only that the process is up.
      const info = await options.core.call('app.info', {});
      if (!info.ok) return json(res, 503, { status: 'unavailable', error: info.error.message });
      const value = info.value as { organizations: number };
      json(res, 200, { status: 'ok', version: APP_VERSION, organizations: value.organizations, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
    },
  };

  // Each feature's routes, tried in order; the end user's sign-in pages (main/portal/pages) last.
  const mounted: PortalRoutes[] = [
    createScimRoutes(options.core),
    createRestApiRoutes(options.core),
    createSyncApiRoutes(options.core),
    createSamlRoutes(options.core),
    createAuthPages(options.core),
  ];
  const serveMounted = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    for (const routes of mounted) if (await routes(req, res, url)) return true;
    return false;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      serveMounted(req, res, url).then((served) => {
        if (!served) json(res, 404, { error: { code: 'NOT_FOUND', message: `No route ${req.method} ${url.pathname}.` } });
      }).catch(() => {
        if (!res.headersSent) json(res, 500, { error: { code: 'INTERNAL', message: 'Internal error.' } });
        else res.end();
      });
      return;
    }
    route(req, res, url).catch(() => json(res, 500, { error: { code: 'INTERNAL', message: 'Internal error.' } }));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const address = server.address() as AddressInfo;
  return {
    origin: `http://${address.address}:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
