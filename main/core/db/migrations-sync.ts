/** Schema of offline-first sync with a Portal server (issue #6). Version 14 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const syncMigrations: readonly Migration[] = [
];
