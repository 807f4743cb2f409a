/** Every contract method of Microservices, Reports and Modules settings (issue #5) (shared/contract-org-settings.ts). */
import type { CoreDeps } from '../handlers/context.ts';
import { createSettingsStore } from './settings-store.ts';
import { createMicroservicesHandlers } from './microservices.ts';
import { createReportsHandlers } from './reports.ts';
import { createModulesHandlers } from './modules.ts';

export function createOrgSettingsHandlers(deps: CoreDeps) {
  const store = createSettingsStore(deps.db);
  return {
    ...createMicroservicesHandlers(deps, store),
    ...createReportsHandlers(deps, store),
    ...createModulesHandlers(deps, store),
  };
}
