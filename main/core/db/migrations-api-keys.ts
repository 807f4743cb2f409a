/** Schema of API keys and the Portal REST API (issue #5). Version 12 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const apiKeysMigrations: readonly Migration[] = [
];
