/** Every contract method of directory import from LDAP / Active Directory (issue #7) (shared/contract-directory.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createDirectoryHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
