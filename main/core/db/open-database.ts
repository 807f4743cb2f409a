import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrations.ts';

export type Db = Database.Database;

export const DB_FILE = 'orgdesk.db';

/** Open (creating if needed) the data dir's database and bring its schema up to date. */
export function openDatabase(dataDir: string, options: { targetVersion?: number } = {}): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DB_FILE));
  try {
    db.pragma('journal_mode = WAL');
    // Edits are human-paced: FULL makes a committed edit survive power loss for ~0.3 ms a commit.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.targetVersion);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
