/**
 * The Portal's SAML single sign-on under /saml/<connection id>/:
 *   GET  metadata  the service provider's metadata for the identity manager
 *   GET  login     SP-initiated sign-in: redirect to the identity manager with an AuthnRequest
 *   POST acs       the Assertion Consumer Service: the IdP's signed response, checked by the core
 *                  (portal.saml.acs), then a "signed in" page or the reason it was refused.
 * The ACS is posted cross-site by the identity manager's page, so it carries no CSRF token: the
 * response's signature, audience, destination, time window and one-time use are its protection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { PortalRoutes } from '../portal-routes.ts';
import { alert, e, layout, newNonce, pageCsp, t } from '../pages/html.ts';
import type { UiLanguage } from '../../../shared/i18n/index.ts';

const ROUTE = /^\/saml\/([0-9a-f-]{36})\/(metadata|login|acs)$/;
const MAX_BODY = 2_500_000;

function language(req: IncomingMessage): UiLanguage {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2);
    if (tag === 'en' || tag === 'es' || tag === 'pt') return tag;
  }
  return 'en';
}

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '').slice(0, 64);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const TITLES: Record<UiLanguage, { ok: string; refused: string; signedInAs: string; via: string }> = {
  en: { ok: 'Signed in', refused: 'Sign-in refused', signedInAs: 'You are signed in as', via: 'through' },
  es: { ok: 'Sesión iniciada', refused: 'Inicio de sesión rechazado', signedInAs: 'Ha iniciado sesión como', via: 'mediante' },
  pt: { ok: 'Sessão iniciada', refused: 'Login recusado', signedInAs: 'Você entrou como', via: 'por meio de' },
};

function page(res: ServerResponse, status: number, lang: UiLanguage, title: string, body: string) {
  const nonce = newNonce();
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': pageCsp(nonce), 'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY',
  });
  res.end(layout({ lang, org: null, title, body }, nonce));
}

export function createSamlRoutes(core: CoreClient): PortalRoutes {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = ROUTE.exec(url.pathname);
    if (!m) return false;
    const [, connectionId, action] = m;
    const lang = language(req);
    const words = TITLES[lang];

    if (action === 'metadata' && req.method === 'GET') {
      const r = await core.call('portal.saml.metadata', { connectionId });
      if (!r.ok) { page(res, 404, lang, words.refused, alert(t(lang, 'saml.connection_unknown'))); return true; }
      res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end((r.value as { xml: string }).xml);
      return true;
    }
    if (action === 'login' && req.method === 'GET') {
      const r = await core.call('portal.saml.loginUrl', { connectionId, relayState: url.searchParams.get('RelayState') ?? '' });
      if (!r.ok) { page(res, 404, lang, words.refused, alert(t(lang, 'saml.connection_unknown'))); return true; }
      res.writeHead(302, { Location: (r.value as { url: string }).url, 'Cache-Control': 'no-store' });
      res.end();
      return true;
    }
    if (action === 'acs' && req.method === 'POST') {
      const form = await readForm(req);
      const samlResponse = form?.get('SAMLResponse') ?? '';
      if (!form || samlResponse === '') {
        page(res, 400, lang, words.refused, alert(t(lang, 'saml.response_invalid', { reason: 'no SAMLResponse' })));
        return true;
      }
      const r = await core.call('portal.saml.acs', { connectionId, samlResponse, relayState: form.get('RelayState') ?? '', ip: clientIp(req) });
      if (!r.ok) {
        const message = r.error.key ? t(lang, r.error.key, r.error.params) : r.error.message;
        page(res, r.error.code === 'NOT_FOUND' ? 404 : r.error.code === 'INTERNAL' ? 500 : 403, lang, words.refused, alert(message));
        return true;
      }
      const v = r.value as { user: { name: string; email: string }; orgName: string; connectionName: string };
      page(res, 200, lang, words.ok,
        `<p class="signed-in" role="status">${e(words.signedInAs)} <strong>${e(v.user.name)}</strong> (${e(v.user.email)}), ${e(v.orgName)} — ${e(words.via)} ${e(v.connectionName)}.</p>`);
      return true;
    }
    res.writeHead(405, { Allow: action === 'acs' ? 'POST' : 'GET', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed');
    return true;
  };
}
