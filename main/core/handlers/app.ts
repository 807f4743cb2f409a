import { userInfo } from 'node:os';
import { newId as uuidv7 } from '../ids.ts';
import type { CallContext, CoreDeps } from './context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/model/organization.ts';

const PROFILE_KEY = 'profile';

/**
 * The person at this console. In standalone use it is the local operator, named in Settings;
 * connected to a Portal it becomes the signed-in user. Every audit row carries it.
 */
export function loadOrCreateProfile(deps: Pick<CoreDeps, 'db'>): Actor {
  const row = deps.db.prepare('SELECT value FROM meta WHERE key = ?').get(PROFILE_KEY) as { value: string } | undefined;
  if (row) return JSON.parse(row.value) as Actor;
  let name = 'Administrator';
  try {
    name = userInfo().username || name;
  } catch {
    // No user database entry (some containers): keep the neutral name.
  }
  const profile: Actor = { id: uuidv7(), name, email: '' };
  deps.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(PROFILE_KEY, JSON.stringify(profile));
  return profile;
}

export function createAppHandlers(deps: CoreDeps, profile: { current: Actor }) {
  const { db } = deps;
  return {
    'app.info': (): Out<'app.info'> => {
      const counts = db.prepare('SELECT count(*) AS n, coalesce(sum(is_sample), 0) AS s FROM organizations').get() as { n: number; s: number };
      return { version: deps.version, dataDir: deps.dataDir, profile: profile.current, organizations: counts.n, sampleOrganizations: counts.s };
    },
    // The profile is local configuration, not an organization entity: it is not synced or audited.
    'profile.update': (input: ParsedIn<'profile.update'>, _ctx: CallContext): Out<'profile.update'> => {
      const next: Actor = { id: profile.current.id, name: input.name, email: input.email };
      db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(JSON.stringify(next), PROFILE_KEY);
      profile.current = next;
      return next;
    },
  };
}
