/** The Portal's the REST API under /api/v1/. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';

export function createRestApiRoutes(core: CoreClient): PortalRoutes {
  void core;
  return async (_req: IncomingMessage, _res: ServerResponse, _url: URL) => false;
}
