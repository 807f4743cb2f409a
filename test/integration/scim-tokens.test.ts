import { afterEach, describe, expect, it } from 'vitest';
import { issueScimToken, revokeScimTokens, SCIM_TOKEN_PREFIX, verifyScimToken } from '../../main/core/identity/scim-tokens.ts';
import { ok, orgInput, testCore } from './helpers.ts';

describe('SCIM tokens', () => {
  let core: ReturnType<typeof testCore>;
  afterEach(() => core.dispose());

  async function setup() {
    core = testCore();
    const partner = await ok(core, 'org.create', orgInput());
    const client = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner.id, name: 'Client' }));
    const issue = (connectionId: string) =>
      core.deps.mutations.run('test.scimToken', core.profile(), (w) => issueScimToken(w, core.db, { orgId: client.id, connectionId }, new Date()));
    return { client, issue };
  }

  it('verifies a fresh token, refuses others, and keeps only a hash', async () => {
    const { client, issue } = await setup();
    const { token, tokenId } = issue('conn-1');
    expect(token.startsWith(SCIM_TOKEN_PREFIX)).toBe(true);
    expect(verifyScimToken(core.db, token)).toEqual({ tokenId, orgId: client.id, connectionId: 'conn-1' });
    expect(verifyScimToken(core.db, `${token}x`)).toBeNull();
    expect(verifyScimToken(core.db, token.slice(SCIM_TOKEN_PREFIX.length))).toBeNull();
    expect(verifyScimToken(core.db, '')).toBeNull();
    const stored = JSON.stringify(core.db.prepare('SELECT * FROM scim_tokens').all());
    const logged = JSON.stringify(core.db.prepare('SELECT * FROM changes').all()) +
      JSON.stringify(core.db.prepare('SELECT * FROM audit').all());
    expect(stored).not.toContain(token);
    expect(logged).not.toContain(token);
    // The hash is redacted in changes and audit too.
    const hash = (core.db.prepare('SELECT token_hash FROM scim_tokens').get() as { token_hash: string }).token_hash;
    expect(logged).not.toContain(hash);
  });

  it('issuing again for the same connection revokes the old token at once; revoking stops every token', async () => {
    const { issue } = await setup();
    const first = issue('conn-1');
    const other = issue('conn-2');
    const second = issue('conn-1');
    expect(verifyScimToken(core.db, first.token)).toBeNull();
    expect(verifyScimToken(core.db, second.token)?.tokenId).toBe(second.tokenId);
    expect(verifyScimToken(core.db, other.token)?.connectionId).toBe('conn-2');
    const revoked = core.deps.mutations.run('test.scimRevoke', core.profile(), (w) => revokeScimTokens(w, core.db, 'conn-1', new Date()));
    expect(revoked).toBe(1);
    expect(verifyScimToken(core.db, second.token)).toBeNull();
    expect(verifyScimToken(core.db, other.token)).not.toBeNull();
  });
});
