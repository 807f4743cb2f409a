/** The Portal's SCIM 2.0 (RFC 7643/7644) under /scim/v2/. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';

export function createScimRoutes(core: CoreClient): PortalRoutes {
  void core;
  return async (_req: IncomingMessage, _res: ServerResponse, _url: URL) => false;
}
