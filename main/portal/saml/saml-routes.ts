/** The Portal's SAML single sign-on (metadata and assertion consumer service) under /saml/. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';

export function createSamlRoutes(core: CoreClient): PortalRoutes {
  void core;
  return async (_req: IncomingMessage, _res: ServerResponse, _url: URL) => false;
}
