import { describe, expect, it } from 'vitest';
import {
  certificateStatus, checkDomainName, checkResolverAddress, daysLeft, emailDomain, maskedToken, providerOf, txtRecordFor,
} from '../../shared/rules/identity.ts';
import { translate } from '../../shared/i18n/index.ts';

describe('domain names', () => {
  it('normalizes case, spaces and the trailing dot; converts internationalized names to punycode', () => {
    expect(checkDomainName('  Contoso.COM. ')).toEqual({ ok: true, ascii: 'contoso.com', display: 'contoso.com' });
    expect(checkDomainName('Bücher.example')).toEqual({ ok: true, ascii: 'xn--bcher-kva.example', display: 'bücher.example' });
    expect(checkDomainName('例え.テスト')).toMatchObject({ ok: true, ascii: 'xn--r8jz45g.xn--zckzah' });
    expect(checkDomainName('xn--bcher-kva.example')).toMatchObject({ ok: true, ascii: 'xn--bcher-kva.example' });
  });

  it('refuses what is not a registrable host name, with a message a person can act on', () => {
    const key = (s: string) => { const r = checkDomainName(s); return r.ok ? null : r.key; };
    expect(key('')).toBe('domains.name_required');
    expect(key('contoso')).toBe('domains.name_needs_dot');
    expect(key('192.168.1.10')).toBe('domains.name_is_ip');
    expect(key('*.contoso.com')).toBe('domains.name_invalid');
    expect(key('http://contoso.com')).toBe('domains.name_invalid');
    expect(key('ana@contoso.com')).toBe('domains.name_invalid');
    expect(key('contoso..com')).toBe('domains.name_invalid');
    expect(key('-contoso.com')).toBe('domains.name_invalid');
    expect(key('contoso-.com')).toBe('domains.name_invalid');
    expect(key('con_toso.com')).toBe('domains.name_invalid');
    expect(key(`${'a'.repeat(63)}.com`)).toBeNull();
    expect(key(`${'a'.repeat(64)}.com`)).toBe('domains.name_invalid');
    expect(key(`${'abcdefghi.'.repeat(26)}com`)).toBe('domains.name_too_long');
    for (const k of ['domains.name_required', 'domains.name_needs_dot', 'domains.name_is_ip', 'domains.name_invalid', 'domains.name_too_long']) {
      for (const lang of ['en', 'es', 'pt'] as const) expect(translate(k, {}, lang)).not.toBe(k);
    }
  });

  it('the TXT record and email domains', () => {
    expect(txtRecordFor('contoso.com', 'abc')).toEqual({ name: '_orgdesk-verification.contoso.com', value: 'orgdesk-verification=abc' });
    expect(emailDomain('Ana@Contoso.COM')).toBe('contoso.com');
    expect(emailDomain('ana@bücher.example')).toBe('xn--bcher-kva.example');
    expect(emailDomain('no-at-sign')).toBeNull();
    expect(emailDomain('ana@')).toBeNull();
  });
});

describe('DNS server setting', () => {
  it('accepts IPv4 and IPv6 with optional ports; empty means the system resolvers', () => {
    expect(checkResolverAddress('')).toEqual({ ok: true, server: '' });
    expect(checkResolverAddress(' 10.0.0.2 ')).toEqual({ ok: true, server: '10.0.0.2' });
    expect(checkResolverAddress('127.0.0.1:5353')).toEqual({ ok: true, server: '127.0.0.1:5353' });
    expect(checkResolverAddress('::1')).toEqual({ ok: true, server: '::1' });
    expect(checkResolverAddress('[2001:db8::53]:5353')).toEqual({ ok: true, server: '[2001:db8::53]:5353' });
  });
  it('refuses host names, bad addresses and ports', () => {
    expect(checkResolverAddress('dns.google')).toEqual({ ok: false, key: 'domains.resolver_invalid' });
    expect(checkResolverAddress('256.1.1.1')).toEqual({ ok: false, key: 'domains.resolver_invalid' });
    expect(checkResolverAddress('10.0.0.2:0')).toEqual({ ok: false, key: 'domains.resolver_port' });
    expect(checkResolverAddress('[::1]:99999')).toEqual({ ok: false, key: 'domains.resolver_port' });
    expect(checkResolverAddress('10.0.0')).toEqual({ ok: false, key: 'domains.resolver_invalid' });
  });
});

describe('connections', () => {
  it('provider: Okta, Entra ID, Google Workspace by its entity id, other SAML', () => {
    expect(providerOf('okta', 'http://www.okta.com/x')).toBe('okta');
    expect(providerOf('entra', 'https://sts.windows.net/t/')).toBe('entra');
    expect(providerOf('saml', 'https://accounts.google.com/o/saml2?idpid=C01')).toBe('google');
    expect(providerOf('saml', 'https://idp.example/saml')).toBe('saml');
    expect(providerOf('saml', 'https://accounts.google.com.evil.example/')).toBe('saml');
  });

  it('certificate status: flagged within 30 days, expired after', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(certificateStatus(null, now)).toBe('none');
    expect(certificateStatus('2027-11-23T00:00:00Z', now)).toBe('ok');
    expect(certificateStatus('2026-12-24T00:00:00Z', now)).toBe('ok');
    expect(certificateStatus('2026-12-23T00:00:00Z', now)).toBe('expiring');
    expect(certificateStatus('2026-11-23T00:00:01Z', now)).toBe('expiring');
    expect(certificateStatus('2026-11-22T23:59:59Z', now)).toBe('expired');
    expect(daysLeft('2026-12-03T12:00:00Z', now)).toBe(10);
  });

  it('a masked token shows only its prefix', () => {
    expect(maskedToken('odscim_')).toMatch(/^odscim_•{24}$/);
  });
});
