/**
 * SSO connections of a main organization (Okta, Entra ID, any SAML identity manager), their SCIM
 * switch and token, the SAML sign-in they serve on the Portal, and what sign-ins recorded.
 *
 * The SCIM token: issued by issueScimToken (the database keeps its SHA-256 only), returned once in
 * full, then kept in the OS keychain (`scim-token:<connection id>`). Reveal and copy read it from
 * there and are mutations only so that each leaves an audit entry (tokenRevealedAt/tokenCopiedAt,
 * never the token).
 */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { Actor } from '../../../shared/model/organization.ts';
import type { CertificateInfo, ConnectionRow } from '../../../shared/model/identity.ts';
import {
  SSO_PROVIDERS, TOKEN_CLIPBOARD_SECONDS, TOKEN_REVEAL_SECONDS, certificateStatus, emailDomain, isHttpUrl, maskedToken, providerOf,
  type ConnectionKind, type SsoProvider,
} from '../../../shared/rules/identity.ts';
import { fold } from '../../../shared/rules/text.ts';
import { AppError, fieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { callScope } from '../mutations/pipeline.ts';
import { createOrgTree } from '../handlers/org-tree.ts';
import { readMailSettings } from '../mail/outbox.ts';
import { issueScimToken, revokeScimTokens, SCIM_BASE_PATH, SCIM_TOKEN_PREFIX } from './scim-tokens.ts';
import { describeCertificate, lastExpiry, normalizePem, parseCertificate } from './certificates.ts';
import { fetchIdpMetadata, parseIdpMetadata, type IdpMetadata } from './metadata.ts';
import { claim, createServiceProvider, PHONE_CLAIMS, ROLE_CLAIMS, SamlRejection, spInfo, spMetadataXml, spUrls } from './saml-sp.ts';

interface ConnectionDbRow {
  id: string; org_id: string; kind: ConnectionKind; name: string; idp_entity_id: string; idp_sso_url: string; certificates: string;
  cert_expires_at: string | null; domain_ids: string; scim_enabled: number; scim_token_created_at: string | null;
  created_at: string; version: number; actor_id: string | null; actor_name: string | null; actor_email: string | null;
}

/** Where the console keeps a connection's SCIM token. */
export const scimSecretKey = (connectionId: string) => `scim-token:${connectionId}`;
/** Accepted assertion ids are remembered this long (far beyond any assertion's validity). */
const ASSERTION_MEMORY_MS = 24 * 3_600_000;

export function createConnectionHandlers(deps: CoreDeps) {
  const { db, mutations, secrets } = deps;
  const tree = createOrgTree(db);
  const sp = createServiceProvider();
  const now = () => deps.clock.now();
  const selectConnections = `SELECT c.*, a.id AS actor_id, a.name AS actor_name, a.email AS actor_email
    FROM sso_connections c LEFT JOIN actors a ON a.id = c.created_by`;
  const q = {
    org: db.prepare('SELECT id, name FROM organizations WHERE id = ?'),
    list: db.prepare(`${selectConnections} WHERE c.org_id = ? ORDER BY c.name COLLATE NOCASE, c.id`),
    one: db.prepare(`${selectConnections} WHERE c.id = ?`),
    domains: db.prepare('SELECT id, name, display_name, status FROM identity_domains WHERE org_id = ?'),
    verifiedDomain: db.prepare("SELECT id FROM identity_domains WHERE org_id = ? AND name = ? AND status = 'verified'"),
    seen: db.prepare('SELECT 1 FROM saml_assertions WHERE assertion_key = ?'),
    expired: db.prepare('SELECT id FROM saml_assertions WHERE expires_at < ? LIMIT 100'),
    userByEmail: db.prepare(`SELECT id, org_id, name, email, status FROM users
      WHERE email_fold = ? AND org_id IN (SELECT value FROM json_each(?))`),
    identity: db.prepare('SELECT id, login_count FROM sso_identities WHERE connection_id = ? AND subject_fold = ?'),
    identitiesOfUser: db.prepare(`SELECT i.provider, i.subject, i.role, i.phone, i.last_login_at, i.login_count, i.last_ip, c.name AS connection_name
      FROM sso_identities i LEFT JOIN sso_connections c ON c.id = i.connection_id WHERE i.user_id = ? ORDER BY i.last_login_at DESC`),
    userExists: db.prepare('SELECT 1 FROM users WHERE id = ?'),
  };

  const portalBase = () => readMailSettings(db).portalBaseUrl.replace(/\/+$/, '');

  const scope = (orgId: string) => {
    const org = q.org.get(orgId) as { id: string; name: string } | undefined;
    if (!org) throw new AppError('NOT_FOUND', 'org.not_found');
    const mainOrgId = tree.mainOf(orgId);
    const main = q.org.get(mainOrgId) as { id: string; name: string };
    return { orgId, mainOrgId, mainOrgName: main.name, inherited: mainOrgId !== orgId };
  };

  const raw = (id: string): ConnectionDbRow => {
    const r = q.one.get(id) as ConnectionDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'sso.not_found');
    return r;
  };

  const certInfos = (pems: string[]): CertificateInfo[] =>
    pems.flatMap((p) => { const c = parseCertificate(p); return c ? [describeCertificate(c, now())] : []; });

  const toRow = async (r: ConnectionDbRow): Promise<ConnectionRow> => {
    const domainsById = new Map((q.domains.all(r.org_id) as { id: string; name: string; display_name: string; status: string }[]).map((d) => [d.id, d]));
    const scimOn = r.scim_enabled === 1;
    const inKeychain = scimOn ? (await secrets.get(scimSecretKey(r.id))) !== null : false;
    const base = portalBase();
    const urls = spUrls(base, r.id);
    return {
      id: r.id, orgId: r.org_id, kind: r.kind, provider: providerOf(r.kind, r.idp_entity_id), name: r.name,
      idpEntityId: r.idp_entity_id, idpSsoUrl: r.idp_sso_url,
      certificates: certInfos(JSON.parse(r.certificates) as string[]),
      certificateStatus: certificateStatus(r.cert_expires_at, now()),
      certificateExpiresAt: r.cert_expires_at,
      domains: (JSON.parse(r.domain_ids) as string[]).flatMap((id) => {
        const d = domainsById.get(id);
        return d ? [{ id: d.id, name: d.display_name, verified: d.status === 'verified' }] : [];
      }),
      scim: {
        enabled: scimOn,
        endpointUrl: scimOn ? `${base}${SCIM_BASE_PATH}` : null,
        maskedToken: scimOn ? maskedToken(SCIM_TOKEN_PREFIX) : null,
        tokenCreatedAt: scimOn ? r.scim_token_created_at : null,
        tokenInKeychain: inKeychain,
      },
      sp: { entityId: urls.entityId, acsUrl: urls.acsUrl, metadataUrl: urls.metadataUrl, loginUrl: urls.loginUrl },
      createdAt: r.created_at,
      createdBy: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '', email: r.actor_email ?? '' } : null,
      version: r.version,
    };
  };

  /** The core's rules for a connection's IdP side: a person gets one message per field. */
  const checkFields = (orgId: string, f: { idpEntityId: string; idpSsoUrl: string; certificates: string[]; domainIds: string[] }) => {
    if (f.idpEntityId.trim() === '') throw fieldError('idpEntityId', 'sso.entity_id_required');
    if (!isHttpUrl(f.idpSsoUrl)) throw fieldError('idpSsoUrl', 'sso.sso_url_invalid');
    if (f.certificates.length === 0) throw fieldError('certificates', 'sso.certificate_required');
    const pems: string[] = [];
    f.certificates.forEach((text, i) => {
      const cert = parseCertificate(text);
      if (!cert) throw fieldError('certificates', 'sso.certificate_invalid', { n: i + 1 });
      const info = describeCertificate(cert, now());
      if (info.status === 'expired') throw fieldError('certificates', 'sso.certificate_expired', { n: i + 1, date: info.notAfter.slice(0, 10) });
      const pem = normalizePem(text)!;
      if (!pems.includes(pem)) pems.push(pem);
    });
    const domains = new Map((q.domains.all(orgId) as { id: string; display_name: string; status: string }[]).map((d) => [d.id, d]));
    for (const id of f.domainIds) {
      const d = domains.get(id);
      if (!d) throw fieldError('domainIds', 'sso.domain_unknown');
      if (d.status !== 'verified') throw fieldError('domainIds', 'sso.domain_not_verified', { name: d.display_name });
    }
    return { pems, domainIds: [...new Set(f.domainIds)] };
  };

  const requireMain = (orgId: string) => {
    const s = scope(orgId);
    if (s.inherited) throw new AppError('FORBIDDEN', 'sso.not_main_org', { mainOrg: s.mainOrgName });
    return s;
  };

  const tokenFromKeychain = async (id: string) => {
    const r = raw(id);
    if (r.scim_enabled !== 1) throw new AppError('BAD_INPUT', 'sso.scim_off');
    const token = await secrets.get(scimSecretKey(id));
    if (!token) throw new AppError('NOT_FOUND', 'sso.token_not_in_keychain');
    return token;
  };

  /**
   * Issue (or rotate) the token: database first (hash), then the keychain; a keychain failure undoes it.
   * Sync records the token's hash in the call's input (never the token), so the Portal's re-run of
   * this change stores the same hash: the token shown here then works on the Portal's SCIM endpoint.
   */
  const issue = async (id: string, actor: Actor, name: string, recorded: { tokenHash: string } | undefined) => {
    const r = raw(id);
    const scope = callScope.getStore();
    const replaying = scope?.replay !== undefined;
    if (recorded && !replaying) throw new AppError('BAD_INPUT', 'common.bad_input');
    const issued = mutations.run(name, actor, (w) => {
      const t = issueScimToken(w, db, { orgId: r.org_id, connectionId: id, ...(recorded ? { recordedHash: recorded.tokenHash } : {}) }, now());
      // What the outbox (written inside this mutation) records of the call.
      if (scope && !replaying) scope.input = { id, recorded: { tokenHash: t.tokenHash } };
      w.update('ssoConnection', id, { scimEnabled: true, scimTokenCreatedAt: w.ctx.at });
      return t;
    });
    // The Portal re-running a console's change holds no token: the console that made it keeps it.
    if (replaying) return { connection: await toRow(raw(id)), token: '', endpointUrl: `${portalBase()}${SCIM_BASE_PATH}` };
    try {
      await secrets.set(scimSecretKey(id), issued.token);
    } catch (e) {
      // A token nobody can see again must not stay valid: undo, and say why without the token.
      const undo = () => mutations.run('sso.scim.keychainFailed', actor, (w) => {
        revokeScimTokens(w, db, id, now());
        w.update('ssoConnection', id, { scimEnabled: false, scimTokenCreatedAt: null });
      });
      // Sync ships the undo as a change of its own, the same as switching SCIM off: the Portal's
      // re-run of the issue is then followed by it, and both sides end with no live token.
      if (scope) callScope.run({ method: 'sso.scim.disable', input: { id }, state: {} }, undo);
      else undo();
      const reason = (e instanceof Error ? e.message : String(e)).split(issued.token).join('…').slice(0, 200);
      throw new AppError('INTERNAL', 'sso.keychain_failed', { reason });
    }
    return { connection: await toRow(raw(id)), token: issued.token, endpointUrl: `${portalBase()}${SCIM_BASE_PATH}` };
  };

  /** The connection as the SP checks it: only certificates still valid may verify a signature. */
  const spConnection = (r: ConnectionDbRow) => {
    const at = now().getTime();
    const certificates = (JSON.parse(r.certificates) as string[]).filter((pem) => {
      const cert = parseCertificate(pem);
      return cert !== null && Date.parse(cert.validTo) > at && Date.parse(cert.validFrom) <= at;
    });
    return { id: r.id, idpEntityId: r.idp_entity_id, idpSsoUrl: r.idp_sso_url, certificates };
  };

  const samlConnection = (id: string) => {
    const r = q.one.get(id) as ConnectionDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'saml.connection_unknown');
    return r;
  };

  return {
    'sso.list': async (input: ParsedIn<'sso.list'>): Promise<Out<'sso.list'>> => {
      const s = scope(input.orgId);
      const items = await Promise.all((q.list.all(s.mainOrgId) as ConnectionDbRow[]).map(toRow));
      const alerts = items
        .filter((c) => c.certificateStatus === 'expiring' || c.certificateStatus === 'expired')
        .map((c) => ({ connectionId: c.id, name: c.name, status: c.certificateStatus, expiresAt: c.certificateExpiresAt }));
      return { ...s, items, alerts };
    },

    'sso.alerts': (input: ParsedIn<'sso.alerts'>): Out<'sso.alerts'> => {
      const s = scope(input.orgId);
      const rows = q.list.all(s.mainOrgId) as ConnectionDbRow[];
      return {
        items: rows.flatMap((r) => {
          const status = certificateStatus(r.cert_expires_at, now());
          return status === 'expiring' || status === 'expired' ? [{ connectionId: r.id, name: r.name, status, expiresAt: r.cert_expires_at }] : [];
        }),
      };
    },

    'sso.spInfo': (input: ParsedIn<'sso.spInfo'>): Out<'sso.spInfo'> => {
      scope(input.orgId);
      return spInfo(portalBase(), input.connectionId);
    },

    'sso.parseMetadata': async (input: ParsedIn<'sso.parseMetadata'>): Promise<Out<'sso.parseMetadata'>> => {
      const m: IdpMetadata = 'xml' in input ? parseIdpMetadata(input.xml) : await fetchIdpMetadata(input.url);
      return { ...m, certificateInfo: certInfos(m.certificates) };
    },

    'sso.inspectCertificates': (input: ParsedIn<'sso.inspectCertificates'>): Out<'sso.inspectCertificates'> => ({
      items: input.certificates.map((text, i) => {
        const cert = parseCertificate(text);
        if (!cert) throw fieldError(`certificates.${i}`, 'sso.certificate_invalid', { n: i + 1 });
        return describeCertificate(cert, now());
      }),
    }),

    'sso.create': async (input: ParsedIn<'sso.create'>, ctx: CallContext): Promise<Out<'sso.create'>> => {
      const s = requireMain(input.orgId);
      if (q.one.get(input.id)) throw new AppError('CONFLICT', 'sso.id_taken');
      const { pems, domainIds } = checkFields(s.mainOrgId, input);
      mutations.run('sso.create', ctx.actor, (w) => {
        w.create('ssoConnection', input.id, {
          orgId: s.mainOrgId, kind: input.kind, name: input.name, idpEntityId: input.idpEntityId.trim(), idpSsoUrl: input.idpSsoUrl.trim(),
          certificates: pems, certExpiresAt: lastExpiry(pems), domainIds, scimEnabled: false, scimTokenCreatedAt: null,
          tokenRevealedAt: null, tokenCopiedAt: null,
        });
      });
      return toRow(raw(input.id));
    },

    'sso.update': async (input: ParsedIn<'sso.update'>, ctx: CallContext): Promise<Out<'sso.update'>> => {
      const r = raw(input.id);
      const merged = {
        idpEntityId: input.changes.idpEntityId ?? r.idp_entity_id,
        idpSsoUrl: input.changes.idpSsoUrl ?? r.idp_sso_url,
        certificates: input.changes.certificates ?? (JSON.parse(r.certificates) as string[]),
        domainIds: input.changes.domainIds ?? (JSON.parse(r.domain_ids) as string[]),
      };
      const { pems, domainIds } = checkFields(r.org_id, merged);
      const patch: Record<string, unknown> = {};
      if (input.changes.name !== undefined) patch.name = input.changes.name;
      if (input.changes.idpEntityId !== undefined) patch.idpEntityId = merged.idpEntityId.trim();
      if (input.changes.idpSsoUrl !== undefined) patch.idpSsoUrl = merged.idpSsoUrl.trim();
      if (input.changes.certificates !== undefined) { patch.certificates = pems; patch.certExpiresAt = lastExpiry(pems); }
      if (input.changes.domainIds !== undefined) patch.domainIds = domainIds;
      mutations.run('sso.update', ctx.actor, (w) => { w.update('ssoConnection', input.id, patch, input.baseVersion); });
      return toRow(raw(input.id));
    },

    'sso.remove': async (input: ParsedIn<'sso.remove'>, ctx: CallContext): Promise<Out<'sso.remove'>> => {
      raw(input.id);
      mutations.run('sso.remove', ctx.actor, (w) => {
        revokeScimTokens(w, db, input.id, now());
        w.delete('ssoConnection', input.id);
      });
      await secrets.delete(scimSecretKey(input.id));
      return { ok: true };
    },

    'sso.scim.enable': (input: ParsedIn<'sso.scim.enable'>, ctx: CallContext) => issue(input.id, ctx.actor, 'sso.scim.enable', input.recorded),
    'sso.scim.rotate': (input: ParsedIn<'sso.scim.rotate'>, ctx: CallContext) => issue(input.id, ctx.actor, 'sso.scim.rotate', input.recorded),

    'sso.scim.disable': async (input: ParsedIn<'sso.scim.disable'>, ctx: CallContext): Promise<Out<'sso.scim.disable'>> => {
      raw(input.id);
      mutations.run('sso.scim.disable', ctx.actor, (w) => {
        revokeScimTokens(w, db, input.id, now());
        w.update('ssoConnection', input.id, { scimEnabled: false, scimTokenCreatedAt: null });
      });
      await secrets.delete(scimSecretKey(input.id));
      return toRow(raw(input.id));
    },

    'sso.scim.reveal': async (input: ParsedIn<'sso.scim.reveal'>, ctx: CallContext): Promise<Out<'sso.scim.reveal'>> => {
      const token = await tokenFromKeychain(input.id);
      mutations.run('sso.scim.reveal', ctx.actor, (w) => { w.update('ssoConnection', input.id, { tokenRevealedAt: w.ctx.at }); });
      return { token, seconds: TOKEN_REVEAL_SECONDS };
    },

    'sso.scim.copy': async (input: ParsedIn<'sso.scim.copy'>, ctx: CallContext): Promise<Out<'sso.scim.copy'>> => {
      const token = await tokenFromKeychain(input.id);
      mutations.run('sso.scim.copy', ctx.actor, (w) => { w.update('ssoConnection', input.id, { tokenCopiedAt: w.ctx.at }); });
      return { token, seconds: TOKEN_CLIPBOARD_SECONDS };
    },

    'users.ssoIdentities': (input: ParsedIn<'users.ssoIdentities'>): Out<'users.ssoIdentities'> => {
      if (!q.userExists.get(input.id)) throw new AppError('NOT_FOUND', 'user.not_found');
      const rows = q.identitiesOfUser.all(input.id) as {
        provider: SsoProvider; subject: string; role: string | null; phone: string | null; last_login_at: string | null;
        login_count: number; last_ip: string | null; connection_name: string | null;
      }[];
      return {
        items: rows.filter((r) => (SSO_PROVIDERS as readonly string[]).includes(r.provider)).map((r) => ({
          provider: r.provider, connectionName: r.connection_name ?? '', subject: r.subject, role: r.role, phone: r.phone,
          lastLoginAt: r.last_login_at, loginCount: r.login_count, lastIp: r.last_ip,
        })),
      };
    },

    'portal.saml.metadata': (input: ParsedIn<'portal.saml.metadata'>): Out<'portal.saml.metadata'> => {
      samlConnection(input.connectionId);
      return { xml: spMetadataXml(portalBase(), input.connectionId) };
    },

    'portal.saml.loginUrl': async (input: ParsedIn<'portal.saml.loginUrl'>): Promise<Out<'portal.saml.loginUrl'>> => {
      const r = samlConnection(input.connectionId);
      return { url: await sp.loginUrl(portalBase(), spConnection(r), input.relayState) };
    },

    'portal.saml.acs': async (input: ParsedIn<'portal.saml.acs'>): Promise<Out<'portal.saml.acs'>> => {
      const r = samlConnection(input.connectionId);
      const c = spConnection(r);
      if (c.certificates.length === 0) throw new AppError('UNAUTHORIZED', 'saml.certificate_expired');
      let verified;
      try {
        verified = await sp.verify(portalBase(), c, input.samlResponse);
      } catch (e) {
        if (!(e instanceof SamlRejection)) throw e;
        if (e.kind === 'destination') throw new AppError('UNAUTHORIZED', 'saml.wrong_destination');
        if (e.kind === 'replayed') throw new AppError('UNAUTHORIZED', 'saml.replayed');
        throw new AppError('UNAUTHORIZED', 'saml.response_invalid', { reason: e.message.slice(0, 200) });
      }
      const assertionKey = `${r.id}:${verified.assertionId}`;
      const replayed = q.seen.get(assertionKey) !== undefined;
      // Before anything is read from a replayed assertion, nothing more is said about it.
      if (replayed && !verified.email) throw new AppError('UNAUTHORIZED', 'saml.replayed');
      if (!verified.email) throw new AppError('UNAUTHORIZED', 'saml.no_email');
      const email = verified.email.toLowerCase();
      const domain = emailDomain(email);
      const domainRow = domain ? (q.verifiedDomain.get(r.org_id, domain) as { id: string } | undefined) : undefined;
      if (!domain || !domainRow || !(JSON.parse(r.domain_ids) as string[]).includes(domainRow.id)) {
        throw new AppError(replayed ? 'UNAUTHORIZED' : 'FORBIDDEN', replayed ? 'saml.replayed' : 'saml.domain_not_verified', { domain: domain ?? email });
      }
      const matches = q.userByEmail.all(email, JSON.stringify(tree.subtree(r.org_id))) as { id: string; org_id: string; name: string; email: string; status: string }[];
      const known = matches.find((u) => u.status === 'active') ?? matches[0];
      /** A refusal the user's sign-in history shows (a replayed response, a deactivated account), like a wrong password. */
      const refuse = async (u: NonNullable<typeof known>, reason: string, error: AppError): Promise<never> => {
        await deps.withWriter(() => mutations.run('saml.signInRefused', { id: u.id, name: u.name, email: u.email }, (w) => {
          w.create('signIn', newId(), { userId: u.id, orgId: u.org_id, method: 'saml', at: w.ctx.at, ip: input.ip, success: false, reason });
        }));
        throw error;
      };
      if (replayed) {
        const error = new AppError('UNAUTHORIZED', 'saml.replayed');
        if (known) await refuse(known, 'replayed', error);
        throw error;
      }
      if (!known) throw new AppError('FORBIDDEN', 'saml.user_unknown', { email });
      if (known.status !== 'active') await refuse(known, known.status, new AppError('FORBIDDEN', 'saml.user_unknown', { email }));
      const user = known;
      const provider = providerOf(r.kind, r.idp_entity_id);
      const subject = verified.nameId || email;
      const role = claim(verified.attributes, ROLE_CLAIMS, true);
      const phone = claim(verified.attributes, PHONE_CLAIMS);
      const at = now();
      await deps.withWriter(() => mutations.run('saml.signIn', { id: user.id, name: user.name, email: user.email }, (w) => {
        // Checked again inside the transaction: two posts of one response race to here.
        if (q.seen.get(assertionKey)) throw new AppError('UNAUTHORIZED', 'saml.replayed');
        for (const old of q.expired.all(at.toISOString()) as { id: string }[]) w.delete('samlAssertion', old.id);
        w.create('samlAssertion', newId(), { connectionId: r.id, assertionKey, expiresAt: new Date(at.getTime() + ASSERTION_MEMORY_MS).toISOString() });
        const existing = q.identity.get(r.id, fold(subject)) as { id: string; login_count: number } | undefined;
        const facts = { userId: user.id, provider, subject, role, phone, lastLoginAt: w.ctx.at, lastIp: input.ip };
        if (existing) w.update('ssoIdentity', existing.id, { ...facts, loginCount: existing.login_count + 1 });
        else w.create('ssoIdentity', newId(), { orgId: r.org_id, connectionId: r.id, ...facts, loginCount: 1 });
        w.create('signIn', newId(), { userId: user.id, orgId: user.org_id, method: 'saml', at: w.ctx.at, ip: input.ip, success: true, reason: null });
        w.update('user', user.id, { lastLoginAt: w.ctx.at });
      }));
      return { user: { name: user.name, email: user.email }, orgName: (q.org.get(user.org_id) as { name: string }).name, provider, connectionName: r.name };
    },
  };
}
