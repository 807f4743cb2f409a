/** Every contract method of Domains, SSO connections (SAML) and SCIM tokens (issue #4) (shared/contract-identity.ts). */
import type { CoreDeps } from '../handlers/context.ts';
import { createDomainHandlers } from './domains.ts';
import { createConnectionHandlers } from './connections.ts';

export function createIdentityHandlers(deps: CoreDeps) {
  return { ...createDomainHandlers(deps), ...createConnectionHandlers(deps) };
}
