/** The entities of directory import from LDAP / Active Directory (issue #7), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const directoryEntities = {
} satisfies Record<string, EntitySpec>;
