/** Schema of directory import from LDAP / Active Directory (issue #7). Version 13 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const directoryMigrations: readonly Migration[] = [
];
