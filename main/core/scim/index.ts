/** Every contract method of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4) (shared/contract-scim.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createScimHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
