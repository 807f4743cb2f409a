/** Schema of the SCIM 2.0 server and SCIM provisioning: groups, role mapping (issue #4). Version 9 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const scimMigrations: readonly Migration[] = [
];
