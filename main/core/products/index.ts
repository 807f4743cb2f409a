/** Every contract method of Products, agent settings and consumption (issue #5) (shared/contract-products.ts). */
import type { CoreDeps } from '../handlers/context.ts';

export function createProductsHandlers(deps: CoreDeps) {
  void deps;
  return {};
}
