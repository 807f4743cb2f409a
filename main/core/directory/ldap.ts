/**
 * The LDAP side of directory import: one connection per run (connect, StartTLS, bind, unbind in
 * finally), the root DSE, a streaming paged read that hands entries over page by page, and errors
 * turned into problems a technician can act on. ldapts is async, so nothing here blocks the core's
 * thread for longer than one page's conversion.
 */
import { isIP } from 'node:net';
import {
  AdminLimitExceededError, Client, FilterParser, InsufficientAccessError, InvalidCredentialsError, NoSuchObjectError,
  SizeLimitExceededError, StrongAuthRequiredError, TimeLimitExceededError, type Entry,
} from 'ldapts';
import type { AttributeMapping, ConnectionProblem, ConnectionTestResult, DirectoryKind } from '../../../shared/model/directory.ts';
import { FILTER_PRESETS } from '../../../shared/model/directory.ts';
import { guidToString, isFilterSyntax, mappedAttributes, readAllValues, type DirectoryEntry } from '../../../shared/rules/directory.ts';

/** What a connection needs (a source's stored settings plus its password from the keychain). */
export interface LdapSettings {
  kind: DirectoryKind;
  host: string;
  port: number;
  security: 'ldaps' | 'startTls' | 'none';
  caCertificate: string;
  bindDn: string;
  baseDn: string;
  userFilter: string;
  pageSize: number;
  connectTimeoutMs: number;
  timeoutMs: number;
  mapping: AttributeMapping;
}

/** A failure with the problem the UI explains (wrong password, certificate not trusted ...). */
export class DirectoryError extends Error {
  readonly problem: ConnectionProblem;
  readonly detail: string;
  constructor(problem: ConnectionProblem, detail: string) {
    super(`${problem}: ${detail}`);
    this.problem = problem;
    this.detail = detail;
  }
}

const BINARY_ANCHORS = new Set(['objectguid', 'ms-ds-consistencyguid', 'msds-consistencyguid']);

export function classifyError(e: unknown): DirectoryError {
  if (e instanceof DirectoryError) return e;
  const err = e as { code?: unknown; message?: string };
  const message = String(err?.message ?? e);
  const code = typeof err?.code === 'string' ? err.code : '';
  if (e instanceof InvalidCredentialsError) return new DirectoryError('invalid_credentials', adBindReason(message));
  if (e instanceof StrongAuthRequiredError) return new DirectoryError('strong_auth_required', message);
  if (e instanceof NoSuchObjectError) return new DirectoryError('base_dn_not_found', message);
  if (e instanceof SizeLimitExceededError) return new DirectoryError('size_limit', message);
  if (e instanceof AdminLimitExceededError) return new DirectoryError('page_size_too_large', message);
  if (e instanceof InsufficientAccessError) return new DirectoryError('insufficient_access', message);
  if (e instanceof TimeLimitExceededError) return new DirectoryError('timeout', message);
  if (['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_UNTRUSTED', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'].includes(code)) {
    return new DirectoryError('tls_untrusted', `${code}: ${message}`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new DirectoryError('tls_hostname', message);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
    return new DirectoryError('unreachable', `${code}: ${message}`);
  }
  if (/timed? ?out|timeout/i.test(message)) return new DirectoryError('timeout', message);
  if (/ssl|tls|certificate/i.test(message) || code.startsWith('ERR_SSL')) return new DirectoryError('tls_failed', message);
  if (/filter/i.test(message)) return new DirectoryError('filter_invalid', message);
  return new DirectoryError('other', message);
}

/** AD puts the reason of a failed bind in the message: `data 52e` and friends. */
function adBindReason(message: string): string {
  const m = /data ([0-9a-f]{3})/i.exec(message);
  const reasons: Record<string, string> = {
    '525': 'user not found', '52e': 'wrong password', '530': 'not permitted to log on at this time', '531': 'not permitted on this workstation',
    '532': 'password expired', '533': 'account disabled', '701': 'account expired', '773': 'must reset password', '775': 'account locked',
  };
  const reason = m ? reasons[m[1]!.toLowerCase()] : undefined;
  return reason ? `${reason} (${message})` : message;
}

/** The filter of a read: the administrator's (or the preset's), parsed first so a typo is a clear error. */
export function userFilterOf(settings: Pick<LdapSettings, 'kind' | 'userFilter'>): string {
  const filter = settings.userFilter.trim() || FILTER_PRESETS[settings.kind].user;
  if (!isFilterSyntax(filter)) throw new DirectoryError('filter_invalid', `unbalanced filter: ${filter}`);
  try {
    FilterParser.parseString(filter);
  } catch (e) {
    throw new DirectoryError('filter_invalid', (e as Error).message);
  }
  return filter;
}

export async function connect(settings: LdapSettings, password: string | null): Promise<Client> {
  const scheme = settings.security === 'ldaps' ? 'ldaps' : 'ldap';
  const host = isIP(settings.host) === 6 ? `[${settings.host}]` : settings.host;
  // Certificate checks stay on: the CA is trusted explicitly (or the system's CAs), never bypassed.
  const tlsOptions = {
    ...(settings.caCertificate.trim() ? { ca: [settings.caCertificate] } : {}),
    minVersion: 'TLSv1.2' as const,
    ...(isIP(settings.host) ? {} : { servername: settings.host }),
  };
  const client = new Client({
    url: `${scheme}://${host}:${settings.port}`,
    connectTimeout: settings.connectTimeoutMs,
    timeout: settings.timeoutMs,
    ...(settings.security === 'ldaps' ? { tlsOptions } : {}),
  });
  try {
    if (settings.security === 'startTls') await client.startTLS(tlsOptions);
    if (settings.bindDn) {
      if (!password) throw new DirectoryError('password_missing', 'no password stored for the bind DN');
      await client.bind(settings.bindDn, password);
    }
    return client;
  } catch (e) {
    await closeQuietly(client);
    throw classifyError(e);
  }
}

export async function closeQuietly(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // the connection is gone already
  }
}

const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const values = (v: Entry[string] | undefined): string[] => {
  if (v === undefined) return [];
  if (Array.isArray(v)) return (v as unknown[]).map(text);
  return [text(v)];
};

/** An ldapts entry to ours: names lower-cased (servers answer in their own spelling), the anchor as text. */
export function toDirectoryEntry(entry: Entry, anchorAttribute: string): DirectoryEntry {
  const attributes: Record<string, string[]> = {};
  const anchorKey = anchorAttribute.toLowerCase();
  let anchor = '';
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'dn') continue;
    const name = key.toLowerCase();
    if (name === anchorKey) {
      const first = Array.isArray(value) ? (value as unknown[])[0] : value;
      if (BINARY_ANCHORS.has(name)) {
        // A 16-byte GUID that happens to be valid UTF-8 would come back as text without explicitBufferAttributes.
        anchor = Buffer.isBuffer(first) && first.length === 16 ? guidToString(first) : '';
      } else if (first !== undefined) {
        anchor = text(first).toLowerCase();
      }
      continue;
    }
    attributes[name] = values(value);
  }
  return { dn: entry.dn, anchor, attributes };
}

export interface RootDse {
  vendor: string;
  namingContexts: string[];
  highestCommittedUSN: string | null;
  dnsHostName: string | null;
  dsServiceName: string | null;
}

export async function readRootDse(client: Client): Promise<RootDse> {
  const { searchEntries } = await client.search('', {
    scope: 'base', filter: '(objectClass=*)', timeLimit: 0,
    attributes: ['namingContexts', 'vendorName', 'vendorVersion', 'highestCommittedUSN', 'dnsHostName', 'dsServiceName', 'supportedCapabilities', 'structuralObjectClass'],
  });
  const e = searchEntries[0];
  const get = (k: string) => {
    const key = Object.keys(e ?? {}).find((n) => n.toLowerCase() === k.toLowerCase());
    return key && e ? values(e[key]) : [];
  };
  const isAd = get('supportedCapabilities').includes('1.2.840.113556.1.4.800');
  const vendor = get('vendorName')[0] ?? (isAd ? 'Active Directory' : get('structuralObjectClass')[0] === 'OpenLDAProotDSE' ? 'OpenLDAP' : 'LDAP');
  return {
    vendor: [vendor, get('vendorVersion')[0]].filter(Boolean).join(' '),
    namingContexts: get('namingContexts'),
    highestCommittedUSN: get('highestCommittedUSN')[0] ?? null,
    dnsHostName: get('dnsHostName')[0] ?? null,
    dsServiceName: get('dsServiceName')[0] ?? null,
  };
}

/** AD: the domain controller's invocationId changes after a restore; a delta then needs a full read. */
export async function readInvocationId(client: Client, dsServiceName: string): Promise<string | null> {
  const { searchEntries } = await client.search(dsServiceName, {
    scope: 'base', filter: '(objectClass=*)', attributes: ['invocationId'], explicitBufferAttributes: ['invocationId'], timeLimit: 0,
  });
  const v = searchEntries[0]?.invocationId;
  const first = Array.isArray(v) ? v[0] : v;
  return Buffer.isBuffer(first) && first.length === 16 ? guidToString(first) : null;
}

/** Test connection: bind, read the root DSE, check the base DN, count the users the filter matches. */
export async function testConnection(settings: LdapSettings, password: string | null): Promise<ConnectionTestResult> {
  const started = Date.now();
  const result: ConnectionTestResult = { ok: false, problem: null, detail: '', vendor: '', namingContexts: [], userCount: null, elapsedMs: 0 };
  let client: Client | null = null;
  try {
    const filter = userFilterOf(settings);
    client = await connect(settings, password);
    const dse = await readRootDse(client);
    result.vendor = dse.vendor;
    result.namingContexts = dse.namingContexts;
    await client.search(settings.baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], timeLimit: 0 });
    let count = 0;
    for await (const page of client.searchPaginated(settings.baseDn, {
      scope: 'sub', filter, attributes: ['1.1'], paged: { pageSize: settings.pageSize }, timeLimit: 0,
    })) count += page.searchEntries.length;
    result.userCount = count;
    result.ok = true;
  } catch (e) {
    const d = classifyError(e);
    result.problem = d.problem;
    result.detail = d.detail;
  } finally {
    if (client) await closeQuietly(client);
    result.elapsedMs = Date.now() - started;
  }
  return result;
}

export interface ReadOptions {
  /** An extra condition ANDed with the user filter (the delta's watermark); built by us, never user text. */
  extraFilter?: string;
  /** Extra attributes to read (modifyTimestamp / uSNChanged for the next watermark). */
  extraAttributes?: string[];
  signal?: AbortSignal;
  /** At most this many entries (mapping preview). */
  limit?: number;
}

/**
 * Stream the users page by page (searchPaginated never accumulates). Any error ends the read with a
 * DirectoryError; a cancel stops after the current page. The caller decides nothing until the read
 * is complete, so a partial read can never remove anyone.
 */
export async function* readUsers(client: Client, settings: LdapSettings, options: ReadOptions = {}): AsyncGenerator<DirectoryEntry[]> {
  const base = userFilterOf(settings);
  const filter = options.extraFilter ? `(&${base}${options.extraFilter})` : base;
  const attributes = [...new Set([...mappedAttributes(settings.mapping), ...(options.extraAttributes ?? [])])];
  const anchorBinary = BINARY_ANCHORS.has(settings.mapping.anchor.toLowerCase());
  let seen = 0;
  try {
    for await (const page of client.searchPaginated(settings.baseDn, {
      scope: 'sub', filter, attributes, timeLimit: 0,
      paged: { pageSize: options.limit ? Math.min(options.limit, settings.pageSize) : settings.pageSize },
      ...(anchorBinary ? { explicitBufferAttributes: [settings.mapping.anchor] } : {}),
    })) {
      if (options.signal?.aborted) return;
      const batch = page.searchEntries.map((e) => toDirectoryEntry(e, settings.mapping.anchor));
      seen += batch.length;
      if (options.limit && seen >= options.limit) {
        yield batch.slice(0, batch.length - (seen - options.limit));
        return;
      }
      yield batch;
    }
  } catch (e) {
    throw classifyError(e);
  }
}

/**
 * Every member DN of one group, following AD's ranged replies (member;range=0-1499 ...). The
 * group's own `member` is authoritative (memberOf leaves out the primary group). A group that is
 * gone fails the run: roles are never recomputed from a partial picture.
 */
export async function readGroupMembers(client: Client, groupDn: string): Promise<string[]> {
  try {
    return await readAllValues('member', async (attribute) => {
      const { searchEntries } = await client.search(groupDn, { scope: 'base', filter: '(objectClass=*)', attributes: [attribute], timeLimit: 0 });
      const e = searchEntries[0];
      if (!e) return null;
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(e)) if (k !== 'dn') out[k] = values(v);
      return out;
    });
  } catch (e) {
    if (e instanceof NoSuchObjectError) throw new DirectoryError('group_not_found', groupDn);
    throw classifyError(e);
  }
}
