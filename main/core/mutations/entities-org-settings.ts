/** The entities of Microservices, Reports and Modules settings (issue #5), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const orgSettingsEntities = {
} satisfies Record<string, EntitySpec>;
