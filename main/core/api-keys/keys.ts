/**
 * API keys of an organization: create (the whole key shown once, kept in the OS keychain, only its
 * SHA-256 in the database), list with a status computed from the dates, revoke. And `authenticate`,
 * which every REST request goes through: key -> grant (organization tree, role, audit actor).
 */
import { randomBytes } from 'node:crypto';
import { newId } from '../ids.ts';
import type { CoreDeps } from '../handlers/context.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { ApiKeyRow } from '../../../shared/model/api-keys.ts';
import { randomToken, sameSecret, sha256 } from '../auth/secrets.ts';
import { callScope } from '../mutations/pipeline.ts';
import { AppError, fieldError } from '../errors.ts';
import {
  API_KEY_PREFIX, apiKeyExpiresAt, apiKeyStatus, apiRoleAllows, parseApiKey, type ApiOperation,
} from '../../../shared/rules/api-keys.ts';
import type { ParsedIn } from '../../../shared/contract.ts';

/** The keychain account of a key's secret on the console. */
export const keychainAccount = (id: string) => `api-key:${id}`;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** 16 base32 characters from 10 random bytes (80 bits): the public key ID. */
function newKeyId(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

interface KeyDbRow {
  id: string; org_id: string; name: string; key_id: string; secret_hash: string; role_id: string; role_name: string;
  expires_at: string; revoked_at: string | null; created_at: string; created_by: string | null; cb_name: string | null;
  cb_email: string | null; version: number;
}

const SELECT_KEY = `SELECT k.id, k.org_id, k.name, k.key_id, k.secret_hash, k.role_id, r.name AS role_name, k.expires_at, k.revoked_at,
    k.created_at, k.created_by, cb.name AS cb_name, cb.email AS cb_email, k.version
  FROM api_keys k JOIN roles r ON r.id = k.role_id LEFT JOIN actors cb ON cb.id = k.created_by`;

/** What a checked key may reach and who it is in the audit log. */
export interface ApiGrant {
  id: string;
  keyId: string;
  orgId: string;
  roleId: string;
  /** The key's organization and every organization below it (clients of a partner, sub-organizations). */
  scope: ReadonlySet<string>;
  actor: Actor;
}

export function createApiKeyStore(deps: CoreDeps) {
  const { db, mutations, clock } = deps;
  const q = {
    byOrg: db.prepare(`${SELECT_KEY} WHERE k.org_id = ? ORDER BY k.created_at DESC, k.id DESC`),
    byId: db.prepare(`${SELECT_KEY} WHERE k.id = ?`),
    byKeyId: db.prepare(`${SELECT_KEY} WHERE k.key_id = ?`),
    org: db.prepare('SELECT id FROM organizations WHERE id = ?'),
    role: db.prepare('SELECT id FROM roles WHERE id = ?'),
    liveNames: db.prepare('SELECT name, expires_at, revoked_at FROM api_keys WHERE org_id = ? AND revoked_at IS NULL'),
    below: db.prepare(`WITH RECURSIVE down(id) AS (
        SELECT id FROM organizations WHERE id = ?
        UNION ALL SELECT o.id FROM organizations o JOIN down ON o.parent_id = down.id)
      SELECT id FROM down`),
  };

  const toRow = (r: KeyDbRow): ApiKeyRow => ({
    id: r.id, orgId: r.org_id, name: r.name, keyId: r.key_id, roleId: r.role_id, roleName: r.role_name,
    status: apiKeyStatus({ expiresAt: r.expires_at, revokedAt: r.revoked_at }, clock.now()),
    createdAt: r.created_at, createdBy: r.created_by ? { id: r.created_by, name: r.cb_name ?? '', email: r.cb_email ?? '' } : null,
    expiresAt: r.expires_at, revokedAt: r.revoked_at, version: r.version,
  });
  const getKey = (id: string): ApiKeyRow => {
    const r = q.byId.get(id) as KeyDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'apiKey.not_found');
    return toRow(r);
  };

  const unauthorized = (key: string) => new AppError('UNAUTHORIZED', key);

  return {
    list(orgId: string): ApiKeyRow[] {
      if (!q.org.get(orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
      return (q.byOrg.all(orgId) as KeyDbRow[]).map(toRow);
    },

    async create(input: ParsedIn<'apiKeys.create'>, actor: Actor): Promise<{ key: ApiKeyRow; secret: string; keptInKeychain: boolean }> {
      if (!q.org.get(input.orgId)) throw new AppError('NOT_FOUND', 'org.not_found');
      if (!q.role.get(input.roleId)) throw fieldError('roleId', 'apiKey.role_unknown');
      const now = clock.now();
      const expiry = apiKeyExpiresAt(input.expiry, now);
      if (!expiry.ok) throw fieldError('expiry', expiry.key, expiry.params);
      // Two working keys with one name could not be told apart in the table or in the audit log.
      const folded = input.name.toLocaleLowerCase();
      const taken = (q.liveNames.all(input.orgId) as { name: string; expires_at: string; revoked_at: string | null }[])
        .some((k) => k.name.toLocaleLowerCase() === folded && apiKeyStatus({ expiresAt: k.expires_at, revokedAt: k.revoked_at }, now) === 'active');
      if (taken) throw fieldError('name', 'apiKey.name_taken');

      const scope = callScope.getStore();
      const replaying = scope?.replay !== undefined;
      if (input.recorded && !replaying) throw new AppError('BAD_INPUT', 'common.bad_input');
      const id = newId();
      // The Portal re-running a console's change takes the key the console made (its secret stays there).
      const keyId = input.recorded?.keyId ?? newKeyId();
      const secret = input.recorded ? '' : `${API_KEY_PREFIX}${keyId}_${randomToken()}`;
      const secretHash = input.recorded?.secretHash ?? sha256(secret);
      // What sync records of this call (its outbox row is written inside the mutation): the key's
      // public ID and hash, never the key.
      if (scope && !replaying) scope.input = { ...input, recorded: { keyId, secretHash } };
      mutations.run('apiKeys.create', actor, (w) => {
        w.create('apiKey', id, {
          orgId: input.orgId, name: input.name, keyId, secretHash, roleId: input.roleId,
          expiresAt: expiry.expiresAt, revokedAt: null,
        });
      });
      // On the Portal's re-run the Writer gave the row the console's id.
      if (replaying) return { key: getKey(scope?.replay?.idMap.get(id) ?? id), secret: '', keptInKeychain: false };
      // The key is committed first: a keychain that refuses (locked, absent) must not lose it, the
      // person still sees it once and can store it elsewhere.
      let keptInKeychain = true;
      try {
        await deps.secrets.set(keychainAccount(id), secret);
      } catch {
        keptInKeychain = false;
      }
      return { key: getKey(id), secret, keptInKeychain };
    },

    async revoke(id: string, actor: Actor): Promise<ApiKeyRow> {
      const current = getKey(id);
      if (current.revokedAt !== null) throw new AppError('BAD_INPUT', 'apiKey.already_revoked');
      mutations.run('apiKeys.revoke', actor, (w) => {
        w.update('apiKey', id, { revokedAt: clock.now().toISOString() });
      });
      // The hash no longer opens anything; the keychain copy has no use left.
      await deps.secrets.delete(keychainAccount(id)).catch(() => false);
      return getKey(id);
    },

    /**
     * The grant of a presented key for one operation. Unknown, malformed, expired or revoked:
     * UNAUTHORIZED; a role that may not do this: FORBIDDEN. The lookup is by the public key ID; the
     * secret's hash is compared in constant time.
     */
    authenticate(presented: string, operation: ApiOperation): ApiGrant {
      const parsed = parseApiKey(presented);
      if (!parsed) throw unauthorized('apiKey.unauthorized');
      const r = q.byKeyId.get(parsed.keyId) as KeyDbRow | undefined;
      // Compare against something even for an unknown key ID, so both paths cost the same.
      const matches = sameSecret(r?.secret_hash ?? sha256(`${presented}:unknown`), sha256(presented));
      if (!r || !matches) throw unauthorized('apiKey.unauthorized');
      const status = apiKeyStatus({ expiresAt: r.expires_at, revokedAt: r.revoked_at }, clock.now());
      if (status === 'revoked') throw unauthorized('apiKey.revoked');
      if (status === 'expired') throw unauthorized('apiKey.expired');
      if (!apiRoleAllows(r.role_id, operation)) {
        throw new AppError('FORBIDDEN', 'apiKey.forbidden', { role: r.role_name, operation });
      }
      return {
        id: r.id, keyId: r.key_id, orgId: r.org_id, roleId: r.role_id,
        scope: new Set((q.below.all(r.org_id) as { id: string }[]).map((o) => o.id)),
        // The key itself is the actor of what it changes: its name and public ID in the audit log.
        actor: { id: `api-key:${r.id}`, name: `API key ${r.name} (${r.key_id})`, email: '' },
      };
    },
  };
}
export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
