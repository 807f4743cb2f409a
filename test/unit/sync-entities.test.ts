import { describe, expect, it } from 'vitest';
import { syncEntities } from '../../main/core/sync/rows.ts';
import { ENTITIES } from '../../main/core/mutations/entities.ts';

describe('what sync ships, derived from ENTITIES', () => {
  it('ships every entity that belongs to an organization and holds no secret, organizations first', () => {
    const names = syncEntities().map((e) => e.name);
    expect(names[0]).toBe('organization');
    expect(names).toEqual(expect.arrayContaining(['organization', 'branding', 'user', 'product']));
    for (const e of syncEntities()) {
      expect(Object.values(e.spec.fields).some((f) => f.kind === 'secret')).toBe(false);
      expect(e.orgColumn).toBeTruthy();
    }
  });

  it('keeps hashes, tokens and mail bodies on the machine that made them', () => {
    const names = new Set(syncEntities().map((e) => e.name));
    const withSecrets = Object.entries(ENTITIES).filter(([, spec]) => Object.values(spec.fields).some((f) => f.kind === 'secret')).map(([n]) => n);
    expect(withSecrets).toEqual(expect.arrayContaining(['credential', 'session', 'mailMessage', 'syncToken']));
    for (const n of withSecrets) expect(names.has(n as never)).toBe(false);
  });

  it('finds the organization column of an entity that is its own partition and of one that names it', () => {
    const byName = new Map(syncEntities().map((e) => [e.name, e]));
    expect(byName.get('organization')?.orgColumn).toBe('id');
    expect(byName.get('branding')?.orgColumn).toBe('org_id');
    expect(byName.get('user')?.orgColumn).toBe('org_id');
  });
});
