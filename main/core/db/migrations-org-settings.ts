/** Schema of Microservices, Reports and Modules settings (issue #5). Version 10 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const orgSettingsMigrations: readonly Migration[] = [
];
