/** Every contract method of Microservices, Reports and Modules settings (issue #5) (shared/contract-org-settings.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createOrgSettingsHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
