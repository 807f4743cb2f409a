/** The entities of API keys and the Portal REST API (issue #5), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const apiKeysEntities = {
} satisfies Record<string, EntitySpec>;
