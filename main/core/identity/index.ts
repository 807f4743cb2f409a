/** Every contract method of Domains, SSO connections (SAML) and SCIM tokens (issue #4) (shared/contract-identity.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createIdentityHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
