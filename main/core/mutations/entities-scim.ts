/** The entities of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const scimEntities = {
} satisfies Record<string, EntitySpec>;
