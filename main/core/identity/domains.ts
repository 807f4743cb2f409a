/**
 * Domains of a main organization and their verification by a DNS TXT record, plus the console's
 * DNS server setting. Verification asks a real resolver (node:dns Resolver): the system's, or the
 * one configured here (tests point it at a DNS server on 127.0.0.1).
 */
import { Resolver } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import type { DomainCheckResult, DomainRow } from '../../../shared/model/identity.ts';
import { checkDomainName, checkResolverAddress, txtRecordFor, type DomainStatus } from '../../../shared/rules/identity.ts';
import { AppError, fieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { createOrgTree } from '../handlers/org-tree.ts';

const SETTINGS_ID = 'default';

interface DomainDbRow {
  id: string; org_id: string; name: string; display_name: string; status: DomainStatus; verification_token: string;
  verified_at: string | null; last_check: string | null; created_at: string; version: number;
  actor_id: string | null; actor_name: string | null; actor_email: string | null;
}

export interface DnsAnswer { outcome: 'found' | 'no_record' | 'error'; values: string[]; code?: string }

/** The TXT strings under `name` (each record's chunks joined, as RFC 7208 reads them). */
export async function lookupTxt(name: string, server: string): Promise<DnsAnswer> {
  const resolver = new Resolver({ timeout: 2500, tries: 2 });
  if (server !== '') resolver.setServers([server]);
  try {
    const records = await resolver.resolveTxt(name);
    return { outcome: 'found', values: records.map((chunks) => chunks.join('')) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { outcome: 'no_record', values: [] };
    return { outcome: 'error', values: [], code };
  }
}

export function createDomainHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const tree = createOrgTree(db);
  const q = {
    org: db.prepare('SELECT id, name FROM organizations WHERE id = ?'),
    list: db.prepare(`SELECT d.*, a.id AS actor_id, a.name AS actor_name, a.email AS actor_email
      FROM identity_domains d LEFT JOIN actors a ON a.id = d.created_by WHERE d.org_id = ? ORDER BY d.name`),
    one: db.prepare(`SELECT d.*, a.id AS actor_id, a.name AS actor_name, a.email AS actor_email
      FROM identity_domains d LEFT JOIN actors a ON a.id = d.created_by WHERE d.id = ?`),
    byName: db.prepare('SELECT id FROM identity_domains WHERE org_id = ? AND name = ?'),
    connections: db.prepare('SELECT id, name, domain_ids FROM sso_connections WHERE org_id = ?'),
    settings: db.prepare('SELECT dns_server FROM identity_settings WHERE id = ?'),
  };

  const scope = (orgId: string) => {
    const org = q.org.get(orgId) as { id: string; name: string } | undefined;
    if (!org) throw new AppError('NOT_FOUND', 'org.not_found');
    const mainOrgId = tree.mainOf(orgId);
    const main = q.org.get(mainOrgId) as { id: string; name: string };
    return { orgId, mainOrgId, mainOrgName: main.name, inherited: mainOrgId !== orgId };
  };

  const usedBy = (orgId: string) => {
    const map = new Map<string, string[]>();
    for (const c of q.connections.all(orgId) as { id: string; name: string; domain_ids: string }[]) {
      for (const d of JSON.parse(c.domain_ids) as string[]) map.set(d, [...(map.get(d) ?? []), c.name]);
    }
    return map;
  };

  const toRow = (r: DomainDbRow, used: Map<string, string[]>): DomainRow => ({
    id: r.id, orgId: r.org_id, name: r.name, displayName: r.display_name, status: r.status, verifiedAt: r.verified_at,
    txtRecord: txtRecordFor(r.name, r.verification_token),
    lastCheck: r.last_check ? (JSON.parse(r.last_check) as DomainCheckResult) : null,
    usedBy: used.get(r.id) ?? [],
    createdAt: r.created_at,
    createdBy: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '', email: r.actor_email ?? '' } : null,
    version: r.version,
  });

  const domain = (id: string): DomainRow => {
    const r = q.one.get(id) as DomainDbRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'domains.not_found');
    return toRow(r, usedBy(r.org_id));
  };

  const dnsServer = () => (q.settings.get(SETTINGS_ID) as { dns_server: string } | undefined)?.dns_server ?? '';

  return {
    'identity.settings.get': (): Out<'identity.settings.get'> => ({ dnsServer: dnsServer() }),

    'identity.settings.set': (input: ParsedIn<'identity.settings.set'>, ctx: CallContext): Out<'identity.settings.set'> => {
      const check = checkResolverAddress(input.dnsServer);
      if (!check.ok) throw fieldError('dnsServer', check.key);
      mutations.run('identity.settings.set', ctx.actor, (w) => {
        if (w.read('identitySettings', SETTINGS_ID)) w.update('identitySettings', SETTINGS_ID, { dnsServer: check.server });
        else w.create('identitySettings', SETTINGS_ID, { dnsServer: check.server });
      });
      return { dnsServer: dnsServer() };
    },

    'domains.list': (input: ParsedIn<'domains.list'>): Out<'domains.list'> => {
      const s = scope(input.orgId);
      const used = usedBy(s.mainOrgId);
      return { ...s, items: (q.list.all(s.mainOrgId) as DomainDbRow[]).map((r) => toRow(r, used)) };
    },

    'domains.add': (input: ParsedIn<'domains.add'>, ctx: CallContext): Out<'domains.add'> => {
      const s = scope(input.orgId);
      if (s.inherited) throw new AppError('FORBIDDEN', 'domains.not_main_org', { mainOrg: s.mainOrgName });
      const check = checkDomainName(input.name);
      if (!check.ok) throw fieldError('name', check.key);
      if (q.byName.get(s.mainOrgId, check.ascii)) throw fieldError('name', 'domains.duplicate', { name: check.display });
      const id = newId();
      mutations.run('domains.add', ctx.actor, (w) => {
        w.create('domain', id, {
          orgId: s.mainOrgId, name: check.ascii, displayName: check.display, status: 'unverified',
          verificationToken: randomBytes(18).toString('base64url'), verifiedAt: null, lastCheck: null,
        });
      });
      return domain(id);
    },

    'domains.verify': async (input: ParsedIn<'domains.verify'>, ctx: CallContext): Promise<Out<'domains.verify'>> => {
      const before = domain(input.id);
      const answer = await lookupTxt(before.txtRecord.name, dnsServer());
      const matched = answer.values.some((v) => v.trim() === before.txtRecord.value);
      const at = deps.clock.now().toISOString();
      const lastCheck: DomainCheckResult = matched
        ? { at, outcome: 'verified', found: [before.txtRecord.value] }
        : answer.outcome === 'found'
          ? { at, outcome: 'wrong_value', found: answer.values.slice(0, 10).map((v) => v.slice(0, 300)) }
          : answer.outcome === 'no_record' ? { at, outcome: 'no_record', found: [] } : { at, outcome: 'error', found: [answer.code ?? 'EUNKNOWN'] };
      await deps.withWriter(() => mutations.run('domains.verify', ctx.actor, (w) => {
        if (!w.read('domain', input.id)) throw new AppError('NOT_FOUND', 'domains.not_found');
        // A verified domain stays verified when a later check fails (a DNS outage must not cut off
        // sign-in); the check's result is shown beside it.
        w.update('domain', input.id, matched && before.status !== 'verified'
          ? { status: 'verified', verifiedAt: at, lastCheck }
          : { lastCheck });
      }));
      return domain(input.id);
    },

    'domains.remove': (input: ParsedIn<'domains.remove'>, ctx: CallContext): Out<'domains.remove'> => {
      const d = domain(input.id);
      let detachedFrom = 0;
      mutations.run('domains.remove', ctx.actor, (w) => {
        for (const c of q.connections.all(d.orgId) as { id: string; domain_ids: string }[]) {
          const ids = JSON.parse(c.domain_ids) as string[];
          if (!ids.includes(d.id)) continue;
          w.update('ssoConnection', c.id, { domainIds: ids.filter((x) => x !== d.id) });
          detachedFrom += 1;
        }
        w.delete('domain', d.id);
      });
      return { ok: true, detachedFrom };
    },
  };
}
