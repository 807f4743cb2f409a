/**
 * Pure rules of Domains and SSO connections: domain names (IDN -> punycode), the DNS TXT record
 * that proves ownership, the DNS resolver setting, which provider a connection is, and when a
 * signing certificate needs attention. Shared by the core (which enforces them) and the renderer
 * (which explains them before a round trip).
 */

export const DOMAIN_STATUSES = ['unverified', 'verified'] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

export const CONNECTION_KINDS = ['okta', 'entra', 'saml'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

export const SSO_PROVIDERS = ['okta', 'entra', 'google', 'saml'] as const;
export type SsoProvider = (typeof SSO_PROVIDERS)[number];

/** A certificate that expires within this many days is flagged (table, organization). */
export const CERT_WARNING_DAYS = 30;
/** "Reveal" shows the SCIM token this long; "Copy" clears the clipboard after this long if it still holds it. */
export const TOKEN_REVEAL_SECONDS = 30;
export const TOKEN_CLIPBOARD_SECONDS = 60;

/** The label a TXT record is published under, below the domain being proven. */
export const TXT_RECORD_LABEL = '_orgdesk-verification';
export const TXT_VALUE_PREFIX = 'orgdesk-verification=';

export type DomainCheck =
  | { ok: true; ascii: string; display: string }
  | { ok: false; key: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A registrable host name as people type it ("Contoso.com", "bücher.example", "EXAMPLE.org.")
 * checked and converted: `ascii` is the punycode form we store and look up in DNS, `display` the
 * form people read. IP addresses, wildcards, URLs and single labels are refused.
 */
export function checkDomainName(input: string): DomainCheck {
  const typed = input.trim().replace(/\.$/, '').normalize('NFC').toLowerCase();
  if (typed === '') return { ok: false, key: 'domains.name_required' };
  if (/[\s/\\:@*?#%,;]/.test(typed) || typed.startsWith('.') || typed.includes('..')) return { ok: false, key: 'domains.name_invalid' };
  let ascii: string;
  try {
    // The WHATWG URL parser applies UTS #46 (IDNA) and gives the punycode form, in browsers and Node alike.
    ascii = new URL(`http://${typed}/`).hostname;
  } catch {
    return { ok: false, key: 'domains.name_invalid' };
  }
  if (ascii.length > 253) return { ok: false, key: 'domains.name_too_long' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, key: 'domains.name_needs_dot' };
  if (!labels.every((l) => LABEL.test(l))) return { ok: false, key: 'domains.name_invalid' };
  // A numeric top-level label means an IP address (or nothing real).
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return { ok: false, key: 'domains.name_is_ip' };
  // People read the Unicode form of an internationalized name; anything else is shown as stored.
  return { ok: true, ascii, display: ascii.split('.').some((l) => l.startsWith('xn--')) && ascii !== typed ? typed : ascii };
}

/** The exact record an administrator publishes to prove the domain is theirs. */
export function txtRecordFor(asciiDomain: string, token: string): { name: string; value: string } {
  return { name: `${TXT_RECORD_LABEL}.${asciiDomain}`, value: `${TXT_VALUE_PREFIX}${token}` };
}

/** The email's domain, lower-cased punycode, or null when it has none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  const check = checkDomainName(email.slice(at + 1));
  return check.ok ? check.ascii : null;
}

export type ResolverCheck = { ok: true; server: string } | { ok: false; key: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+(%[\w.-]+)?$/i;

function portOk(p: string): boolean {
  if (!/^\d{1,5}$/.test(p)) return false;
  const n = Number(p);
  return n >= 1 && n <= 65535;
}

/**
 * The DNS server domain verification asks: empty = the system's resolvers; else an IPv4 address
 * with an optional port ("10.0.0.2", "127.0.0.1:5353") or an IPv6 one ("::1", "[::1]:5353").
 * Host names are refused: resolving the resolver would need a resolver.
 */
export function checkResolverAddress(input: string): ResolverCheck {
  const s = input.trim();
  if (s === '') return { ok: true, server: '' };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    const [, ip, port] = bracketed;
    if (!IPV6.test(ip!) || !ip!.includes(':')) return { ok: false, key: 'domains.resolver_invalid' };
    if (port !== undefined && !portOk(port)) return { ok: false, key: 'domains.resolver_port' };
    return { ok: true, server: port ? `[${ip}]:${port}` : ip! };
  }
  const v4 = /^([\d.]+)(?::(\d+))?$/.exec(s);
  if (v4) {
    const [, ip, port] = v4;
    if (!IPV4.test(ip!)) return { ok: false, key: 'domains.resolver_invalid' };
    if (port !== undefined && !portOk(port)) return { ok: false, key: 'domains.resolver_port' };
    return { ok: true, server: port ? `${ip}:${port}` : ip! };
  }
  if (IPV6.test(s) && s.split(':').length >= 3) return { ok: true, server: s.toLowerCase() };
  return { ok: false, key: 'domains.resolver_invalid' };
}

/** Google Workspace is a SAML identity provider too: its entity ids start with this. */
export const GOOGLE_IDP_PREFIX = 'https://accounts.google.com/';

/** Which identity provider a connection's sign-ins are recorded under (the user card it feeds). */
export function providerOf(kind: ConnectionKind, idpEntityId: string): SsoProvider {
  if (kind === 'okta' || kind === 'entra') return kind;
  return idpEntityId.startsWith(GOOGLE_IDP_PREFIX) ? 'google' : 'saml';
}

export const CERT_STATUSES = ['ok', 'expiring', 'expired', 'none'] as const;
export type CertStatus = (typeof CERT_STATUSES)[number];

/** A certificate by its expiry: expired, expiring within CERT_WARNING_DAYS, or fine. */
export function certificateStatus(notAfter: string | null, now: Date): CertStatus {
  if (notAfter === null) return 'none';
  const left = Date.parse(notAfter) - now.getTime();
  if (left <= 0) return 'expired';
  return left <= CERT_WARNING_DAYS * 86_400_000 ? 'expiring' : 'ok';
}

/** Whole days from now until `notAfter` (negative once expired). */
export function daysLeft(notAfter: string, now: Date): number {
  return Math.floor((Date.parse(notAfter) - now.getTime()) / 86_400_000);
}

/** How the console shows a stored SCIM token it will not send: its recognisable prefix, then dots. */
export function maskedToken(prefix: string): string {
  return `${prefix}${'•'.repeat(24)}`;
}

/** An http(s) URL, for an IdP's sign-on URL and metadata URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}
