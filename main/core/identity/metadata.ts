/**
 * Reading an identity provider's SAML 2.0 metadata (an EntityDescriptor, or the first IdP of an
 * EntitiesDescriptor): its entity ID, its single sign-on URL (HTTP-Redirect preferred, then POST)
 * and its signing certificates. xmldom parses with entity expansion off and errors collected, so a
 * hostile file cannot expand or fetch anything.
 */
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { AppError, fieldError } from '../errors.ts';
import { isHttpUrl } from '../../../shared/rules/identity.ts';
import { normalizePem } from './certificates.ts';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const select = xpath.useNamespaces({ md: MD, ds: DS });
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const MAX_METADATA_BYTES = 1_000_000;

export interface IdpMetadata {
  idpEntityId: string;
  idpSsoUrl: string;
  certificates: string[];
}

const invalid = (reason: string) => new AppError('BAD_INPUT', 'sso.metadata_invalid', { reason });

export function parseIdpMetadata(xml: string): IdpMetadata {
  if (/<!DOCTYPE/i.test(xml)) throw invalid('a DOCTYPE is not allowed');
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, msg) => { if (level !== 'warning') problems.push(String(msg).split('\n')[0]!); },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch (e) {
    // xmldom throws on fatal errors (after reporting them through onError).
    throw invalid(problems[0] ?? (e instanceof Error ? e.message.split('\n')[0]! : 'not XML'));
  }
  if (problems.length > 0 || !doc.documentElement) throw invalid(problems[0] ?? 'not XML');
  const node = doc as unknown as Node;
  const entity = (select('//md:EntityDescriptor[md:IDPSSODescriptor]', node) as Element[])[0];
  if (!entity) throw invalid('no IDPSSODescriptor (is this the service provider’s metadata?)');
  const idpEntityId = entity.getAttribute('entityID') ?? '';
  if (idpEntityId === '') throw invalid('the EntityDescriptor has no entityID');
  const services = select('md:IDPSSODescriptor/md:SingleSignOnService', entity) as Element[];
  const service = services.find((s) => s.getAttribute('Binding') === REDIRECT) ?? services.find((s) => s.getAttribute('Binding') === POST);
  const idpSsoUrl = service?.getAttribute('Location') ?? '';
  if (!isHttpUrl(idpSsoUrl)) throw invalid('no SingleSignOnService with an HTTP-Redirect or HTTP-POST location');
  const keys = select("md:IDPSSODescriptor/md:KeyDescriptor[not(@use) or @use='signing']//ds:X509Certificate", entity) as Element[];
  const certificates: string[] = [];
  for (const k of keys) {
    const pem = normalizePem(k.textContent ?? '');
    if (pem && !certificates.includes(pem)) certificates.push(pem);
  }
  if (certificates.length === 0) throw invalid('no signing certificate');
  return { idpEntityId, idpSsoUrl, certificates };
}

/** Download metadata from the identity manager (https, or http for a test server), size- and time-limited. */
export async function fetchIdpMetadata(url: string): Promise<IdpMetadata> {
  if (!isHttpUrl(url)) throw fieldError('url', 'sso.metadata_url_invalid');
  let text: string;
  try {
    const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(10_000), headers: { Accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > MAX_METADATA_BYTES) throw new Error('the file is larger than 1 MB');
    text = await res.text();
    if (text.length > MAX_METADATA_BYTES) throw new Error('the file is larger than 1 MB');
  } catch (e) {
    const reason = e instanceof Error ? (e.name === 'TimeoutError' ? 'no answer within 10 seconds' : e.message) : String(e);
    throw new AppError('BAD_INPUT', 'sso.metadata_fetch_failed', { reason }, { url: [{ key: 'sso.metadata_fetch_failed', params: { reason } }] });
  }
  return parseIdpMetadata(text);
}
