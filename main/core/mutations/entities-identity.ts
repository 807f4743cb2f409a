/** The entities of Domains, SSO connections (SAML) and SCIM tokens (issue #4), merged into ENTITIES (entities.ts). */
import { f, type EntitySpec } from './entity-spec.ts';

void f;

export const identityEntities = {
} satisfies Record<string, EntitySpec>;
