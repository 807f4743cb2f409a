/**
 * The identity manager's signing certificates: read from PEM (or bare base64, as metadata carries
 * them), checked for expiry. node:crypto's X509Certificate does the parsing; nothing is trusted
 * for TLS, these only verify SAML signatures.
 */
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../../shared/model/identity.ts';
import { certificateStatus, daysLeft } from '../../../shared/rules/identity.ts';

/** PEM with line breaks every 64 characters, whatever form (PEM, bare base64, spaced) it came in. */
export function normalizePem(input: string): string | null {
  const body = input
    .replace(/-----BEGIN CERTIFICATE-----/g, '')
    .replace(/-----END CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export function parseCertificate(input: string): X509Certificate | null {
  const pem = normalizePem(input);
  if (!pem) return null;
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

/** One line per RDN, comma-joined: "CN=Microsoft Azure Federated SSO Certificate". */
const oneLine = (dn: string) => dn.split('\n').filter(Boolean).join(', ');

export function describeCertificate(cert: X509Certificate, now: Date): CertificateInfo {
  const notAfter = new Date(cert.validTo).toISOString();
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter,
    fingerprint: cert.fingerprint256,
    status: certificateStatus(notAfter, now),
    daysLeft: daysLeft(notAfter, now),
  };
}

/** The latest expiry of a certificate list: the connection verifies signatures until then. */
export function lastExpiry(pems: readonly string[]): string | null {
  let last: string | null = null;
  for (const pem of pems) {
    const cert = parseCertificate(pem);
    if (!cert) continue;
    const at = new Date(cert.validTo).toISOString();
    if (last === null || at > last) last = at;
  }
  return last;
}
