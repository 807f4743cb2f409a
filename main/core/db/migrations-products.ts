/** Schema of Products, agent settings and consumption (issue #5). Version 11 is this feature's; add later ones at the end of migrations.ts. */
import type { Migration } from './migrations.ts';

export const productsMigrations: readonly Migration[] = [
];
