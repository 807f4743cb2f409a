/** Every contract method of the Authentication feature (shared/contract-auth.ts). */
import type { CoreDeps } from '../handlers/context.ts';
import { createAuthAdminHandlers } from './handlers.ts';
import { createPortalHandlers } from './portal-handlers.ts';
import { createMailHandlers } from '../mail/handlers.ts';

export function createAuthHandlers(deps: CoreDeps) {
  return {
    ...createAuthAdminHandlers(deps),
    ...createMailHandlers(deps),
    ...createPortalHandlers(deps),
  };
}
