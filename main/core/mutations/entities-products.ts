/** The entities of Products, agent settings and consumption (issue #5), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const productsEntities = {
} satisfies Record<string, EntitySpec>;
