/** Schema of Domains, SSO connections (SAML) and SCIM tokens (issue #4). Version 8 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const identityMigrations: readonly Migration[] = [
];
