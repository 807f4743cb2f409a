/** Every contract method of offline-first sync with a Portal server (issue #6) (shared/contract-sync.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createSyncHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
