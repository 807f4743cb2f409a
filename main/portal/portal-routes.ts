import type { IncomingMessage, ServerResponse } from 'node:http';

/** A group of the Portal's routes: answers the request and resolves true, or resolves false when it is not theirs. */
export type PortalRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
