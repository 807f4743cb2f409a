/** The entities of offline-first sync with a Portal server (issue #6), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const syncEntities = {
} satisfies Record<string, EntitySpec>;
