/**
 * SCIM bearer tokens. A token is 256 random bits shown once; the database keeps its SHA-256 only
 * (the console also keeps the token itself in the OS keychain: that is the caller's business). A
 * token belongs to one SSO connection of one main organization and works only for that
 * organization's tree. Issuing a token for a connection revokes the connection's older ones in the
 * same mutation, so rotating invalidates the old token at once.
 *
 * Used by the SSO Integrations feature (enable SCIM, rotate, disable) and by the SCIM server
 * (main/core/scim), which checks every request's token with `verifyScimToken`.
 */
import { newId } from '../ids.ts';
import type { Db } from '../db/open-database.ts';
import type { Writer } from '../mutations/pipeline.ts';
import { randomToken, sameSecret, sha256 } from '../auth/secrets.ts';

/** Every SCIM token starts with this, so a leaked one is recognisable (and searchable in tests). */
export const SCIM_TOKEN_PREFIX = 'odscim_';
/** Where the Portal serves SCIM 2.0; the endpoint URL shown in the console is the Portal's origin + this. */
export const SCIM_BASE_PATH = '/scim/v2';

export interface IssuedScimToken {
  tokenId: string;
  /** The token in full: show it once, keep it in the keychain, never store or log it anywhere else. */
  token: string;
}

/**
 * Inside a mutation: revoke the connection's live tokens and issue a new one. With `recordedHash`
 * (the Portal re-running a console's change) the console's token is stored by its hash and no
 * token is made here: `token` is then empty.
 */
export function issueScimToken(w: Writer, db: Db, input: { orgId: string; connectionId: string; recordedHash?: string }, now: Date): IssuedScimToken & { tokenHash: string } {
  revokeScimTokens(w, db, input.connectionId, now);
  const token = input.recordedHash ? '' : `${SCIM_TOKEN_PREFIX}${randomToken()}`;
  const tokenHash = input.recordedHash ?? sha256(token);
  const tokenId = newId();
  w.create('scimToken', tokenId, { orgId: input.orgId, connectionId: input.connectionId, tokenHash, revokedAt: null, lastUsedAt: null });
  return { tokenId, token, tokenHash };
}

/** Inside a mutation: revoke every live token of a connection (SCIM switched off, connection removed). Returns how many. */
export function revokeScimTokens(w: Writer, db: Db, connectionId: string, now: Date): number {
  const live = db.prepare('SELECT id FROM scim_tokens WHERE connection_id = ? AND revoked_at IS NULL').all(connectionId) as { id: string }[];
  for (const t of live) w.update('scimToken', t.id, { revokedAt: now.toISOString() });
  return live.length;
}

export interface ScimTokenGrant {
  tokenId: string;
  /** The main organization the token was issued for: requests may touch its tree only. */
  orgId: string;
  connectionId: string;
}

/**
 * The grant of a presented token, or null (unknown, revoked, malformed). The lookup is by hash
 * (an index on the SHA-256 of a 256-bit token reveals nothing through timing); the final
 * comparison is constant-time all the same.
 */
export function verifyScimToken(db: Db, presented: string): ScimTokenGrant | null {
  if (!presented.startsWith(SCIM_TOKEN_PREFIX) || presented.length > 200) return null;
  const hash = sha256(presented);
  const row = db.prepare('SELECT id, org_id, connection_id, token_hash, revoked_at FROM scim_tokens WHERE token_hash = ?').get(hash) as
    | { id: string; org_id: string; connection_id: string; token_hash: string; revoked_at: string | null }
    | undefined;
  if (!row || row.revoked_at !== null || !sameSecret(row.token_hash, hash)) return null;
  return { tokenId: row.id, orgId: row.org_id, connectionId: row.connection_id };
}
