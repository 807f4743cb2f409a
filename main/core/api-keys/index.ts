/** Every contract method of API keys and the Portal REST API (issue #5) (shared/contract-api-keys.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createApiKeysHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
