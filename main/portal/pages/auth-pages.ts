/**
 * The end user's sign-in pages, server-rendered, over the core's portal.* methods:
 *   GET/POST /set-password?token=   create (welcome) or reset the password from a one-time link
 *   GET/POST /sign-in               email and password
 *   GET/POST /enrol                 QR code + six-digit code; then the recovery code, shown once
 *   GET/POST /verify                six-digit code or recovery code
 *   GET /profile, POST /profile/recovery   methods and dates; a new recovery code
 *   POST /sign-out
 * Cookies are HttpOnly, SameSite=Strict, Secure on TLS. Every POST carries a CSRF token bound to
 * the visitor's cookie (HMAC of it), compared in constant time. Nothing from the visitor reaches the
 * page unescaped; the CSP allows only our stylesheet, one nonce'd <style> and data: images.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { CoreClient } from '../../core/worker/core-client.ts';
import type { RpcResult } from '../../../shared/model/errors.ts';
import type { PortalOrg, PortalProfile, PortalSession } from '../../../shared/model/auth.ts';
import type { UiLanguage } from '../../../shared/i18n/index.ts';
import { randomToken, sameSecret } from '../../core/auth/secrets.ts';
import { PORTAL_CSS, alert, csrfField, e, formatTime, layout, newNonce, pageCsp, t, type Page } from './html.ts';

const SESSION_COOKIE = 'od_session';
const VISITOR_COOKIE = 'od_visitor';
const MAX_BODY = 16 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

function parseCookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

const isTls = (req: IncomingMessage) => Boolean((req.socket as TLSSocket).encrypted);

function cookie(req: IncomingMessage, name: string, value: string, maxAgeSeconds: number | null): string {
  return [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', ...(isTls(req) ? ['Secure'] : []),
    ...(maxAgeSeconds === null ? [] : [`Max-Age=${maxAgeSeconds}`])].join('; ');
}

/** The CSRF token of a visitor: an HMAC of their cookie, so a page of another site cannot know it. */
const csrfOf = (seed: string) => createHmac('sha256', seed).update('orgdesk-portal-csrf').digest('base64url');

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return null;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function acceptLanguage(req: IncomingMessage): UiLanguage {
  for (const part of (req.headers['accept-language'] ?? '').split(',')) {
    const base = part.trim().slice(0, 2).toLowerCase();
    if (base === 'en' || base === 'es' || base === 'pt') return base;
  }
  return 'en';
}

function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '').slice(0, 100);
}

export function createAuthPages(core: CoreClient) {
  const call = <T>(method: string, input: unknown) => core.call(method, input) as Promise<RpcResult<T>>;

  function send(res: ServerResponse, status: number, page: Page, extraHeaders: Record<string, string | string[]> = {}) {
    const nonce = newNonce();
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': pageCsp(nonce), 'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer', ...extraHeaders,
    });
    res.end(layout(page, nonce));
  }
  function redirect(res: ServerResponse, location: string, cookies: string[] = []) {
    res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', ...(cookies.length ? { 'Set-Cookie': cookies } : {}) });
    res.end();
  }

  /** The visitor's CSRF seed: the session token when signed in (or half-way), else a visitor cookie. */
  function seed(req: IncomingMessage, res: ServerResponse): string {
    const c = parseCookies(req);
    const existing = c[SESSION_COOKIE] ?? c[VISITOR_COOKIE];
    if (existing) return existing;
    const fresh = randomToken();
    res.setHeader('Set-Cookie', cookie(req, VISITOR_COOKIE, fresh, null));
    return fresh;
  }
  /** A POST's form, if its CSRF token matches the cookie it came with; else null. */
  async function checkedForm(req: IncomingMessage): Promise<URLSearchParams | null> {
    const form = await readForm(req);
    const c = parseCookies(req);
    const s = c[SESSION_COOKIE] ?? c[VISITOR_COOKIE];
    if (!form || !s) return null;
    return sameSecret(form.get('_csrf') ?? '', csrfOf(s)) ? form : null;
  }
  const refuseCsrf = (req: IncomingMessage, res: ServerResponse) => {
    const lang = acceptLanguage(req);
    send(res, 403, { lang, org: null, title: t(lang, 'auth.page.error_title'), body: `${alert(t(lang, 'auth.csrf'))}<a class="button" href="/sign-in">${e(t(lang, 'auth.page.sign_in'))}</a>` });
  };
  const sessionToken = (req: IncomingMessage) => parseCookies(req)[SESSION_COOKIE] ?? null;
  const message = (r: RpcResult, lang: UiLanguage) =>
    r.ok ? null : t(lang, r.error.key ?? 'auth.page.error_generic', r.error.params);
  const statusOf = (r: RpcResult) => (r.ok ? 200 : ({ BAD_INPUT: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as Record<string, number>)[r.error.code] ?? 500);

  /** The current session, or a redirect to the sign-in page. */
  async function currentSession(req: IncomingMessage, res: ServerResponse): Promise<{ token: string; s: PortalSession } | null> {
    const token = sessionToken(req);
    if (!token) {
      redirect(res, '/sign-in');
      return null;
    }
    const r = await call<PortalSession>('portal.session', { sessionToken: token });
    if (!r.ok) {
      redirect(res, '/sign-in', [cookie(req, SESSION_COOKIE, '', 0)]);
      return null;
    }
    return { token, s: r.value };
  }

  // ---- pages ----

  function setPasswordPage(lang: UiLanguage, org: PortalOrg | null, purpose: 'welcome' | 'reset', email: string, token: string, csrf: string, error: string | null): Page {
    return {
      lang, org, title: t(lang, purpose === 'welcome' ? 'auth.page.set_password_title' : 'auth.page.reset_password_title'),
      body: `<p class="muted">${e(t(lang, 'auth.page.for_account', { email }))}</p>${alert(error)}
<form method="post" action="/set-password">${csrfField(csrf)}<input type="hidden" name="token" value="${e(token)}">
<input type="hidden" name="username" value="${e(email)}" autocomplete="username">
<label for="password">${e(t(lang, 'auth.page.new_password'))}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024">
<label for="again">${e(t(lang, 'auth.page.password_again'))}</label>
<input id="again" name="again" type="password" autocomplete="new-password" required minlength="12" maxlength="1024">
<p class="muted">${e(t(lang, 'auth.page.password_rules'))}</p>
<button type="submit">${e(t(lang, 'auth.page.save_password'))}</button></form>`,
    };
  }

  function signInPage(lang: UiLanguage, csrf: string, email: string, error: string | null, info: string | null = null): Page {
    return {
      lang, org: null, title: t(lang, 'auth.page.sign_in_title'),
      body: `${alert(info, 'info')}${alert(error)}<form method="post" action="/sign-in">${csrfField(csrf)}
<label for="email">${e(t(lang, 'auth.page.email'))}</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${e(email)}">
<label for="password">${e(t(lang, 'auth.page.password'))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">${e(t(lang, 'auth.page.sign_in'))}</button></form>`,
    };
  }

  function recoveryPage(lang: UiLanguage, org: PortalOrg, code: string, replaced: boolean): Page {
    return {
      lang, org, title: t(lang, 'auth.page.recovery_title'),
      body: `${replaced ? alert(t(lang, 'auth.page.recovery_replaced'), 'info') : ''}<p>${e(t(lang, 'auth.page.recovery_help'))}</p>
<p class="code" id="recovery-code">${e(code)}</p><a class="button" href="/profile">${e(t(lang, 'auth.page.continue'))}</a>`,
    };
  }

  async function enrolPage(res: ServerResponse, token: string, s: PortalSession, csrf: string, error: string | null, status = 200) {
    const lang = s.org.language;
    const r = await call<{ secret: string; otpauthUri: string; qrSvg: string }>('portal.enrolStart', { sessionToken: token });
    if (!r.ok) return send(res, statusOf(r), { lang, org: s.org, title: t(lang, 'auth.page.error_title'), body: alert(message(r, lang)) });
    // The SVG comes from the qrcode library (paths only), never from the visitor.
    const svg = r.value.qrSvg.replace(/^<\?xml[^>]*>/, '');
    send(res, status, {
      lang, org: s.org, title: t(lang, 'auth.page.enrol_title'),
      body: `<p>${e(t(lang, 'auth.page.enrol_help'))}</p><div class="qr" role="img" aria-label="QR code">${svg}</div>
<p class="muted">${e(t(lang, 'auth.page.enrol_manual'))} <code id="secret">${e(r.value.secret)}</code></p>${alert(error)}
<form method="post" action="/enrol">${csrfField(csrf)}<label for="code">${e(t(lang, 'auth.page.code'))}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7" required>
<button type="submit">${e(t(lang, 'auth.page.verify'))}</button></form>`,
    });
  }

  function verifyPage(s: PortalSession, csrf: string, error: string | null, info: string | null = null): Page {
    const lang = s.org.language;
    // Users who lost their authenticator and recovery code may get a code by email, if allowed.
    const byEmail = s.emailCode
      ? `<form method="post" action="/verify/email">${csrfField(csrf)}<button type="submit" class="link">${e(t(lang, 'auth.page.email_code_button'))}</button></form>`
      : '';
    return {
      lang, org: s.org, title: t(lang, 'auth.page.verify_title'),
      body: `<p>${e(t(lang, 'auth.page.verify_help'))}</p>${alert(error)}${alert(info, 'info')}<form method="post" action="/verify">${csrfField(csrf)}
<label for="code">${e(t(lang, 'auth.page.code_or_recovery'))}</label>
<input id="code" name="code" type="text" autocomplete="one-time-code" maxlength="40" required>
<button type="submit">${e(t(lang, 'auth.page.verify'))}</button></form>${byEmail}`,
    };
  }

  function profilePage(p: PortalProfile, csrf: string, info: string | null = null): Page {
    const lang = p.org.language;
    const rows = p.methods.map((m) => `<tr><td>${e(t(lang, `auth.page.method_${m.method}`))}</td><td>${e(formatTime(m.addedAt, lang))}</td><td>${e(formatTime(m.lastUsedAt, lang))}</td></tr>`).join('');
    return {
      lang, org: p.org, title: t(lang, 'auth.page.profile_title'),
      body: `${alert(info, 'info')}<div class="row"><p><strong>${e(p.user.name)}</strong><br><span class="muted">${e(p.user.email)}</span></p>
<form method="post" action="/sign-out">${csrfField(csrf)}<button type="submit" class="link">${e(t(lang, 'auth.page.sign_out'))}</button></form></div>
<h2>${e(t(lang, 'auth.page.methods'))}</h2>
<table><thead><tr><th></th><th>${e(t(lang, 'auth.page.added'))}</th><th>${e(t(lang, 'auth.page.last_used'))}</th></tr></thead><tbody>${rows}</tbody></table>
<dl><dt>${e(t(lang, 'auth.page.last_password_change'))}</dt><dd>${e(formatTime(p.passwordChangedAt, lang))}</dd>
<dt>${e(t(lang, 'auth.page.last_login'))}</dt><dd>${e(formatTime(p.lastLoginAt, lang))}</dd>
<dt>${e(t(lang, 'auth.page.last_ip'))}</dt><dd>${e(p.lastIp ?? '')}</dd></dl>
<form method="post" action="/profile/recovery">${csrfField(csrf)}<button type="submit">${e(t(lang, 'auth.page.regenerate'))}</button>
<p class="muted">${e(t(lang, 'auth.page.regenerate_help'))}</p></form>
<form method="post" action="/profile/reset-password">${csrfField(csrf)}<button type="submit">${e(t(lang, 'auth.page.send_reset'))}</button>
<p class="muted">${e(t(lang, 'auth.page.send_reset_help'))}</p></form>
<form method="post" action="/profile/reset-two-factor">${csrfField(csrf)}<button type="submit" class="danger">${e(t(lang, 'auth.page.reset_two_factor'))}</button>
<p class="muted">${e(t(lang, 'auth.page.reset_two_factor_help'))}</p></form>`,
    };
  }

  // ---- routes ----

  const routes: Record<string, Handler> = {
    'GET /': async (req, res) => redirect(res, sessionToken(req) ? '/profile' : '/sign-in'),
    'GET /assets/portal.css': async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
      res.end(PORTAL_CSS);
    },

    'GET /set-password': async (req, res, url) => {
      const token = url.searchParams.get('token') ?? '';
      const lang = acceptLanguage(req);
      const r = await call<{ purpose: 'welcome' | 'reset'; email: string; org: PortalOrg }>('portal.link', { token });
      if (!r.ok) {
        const key = r.error.code === 'BAD_INPUT' ? 'auth.link_invalid' : (r.error.key ?? 'auth.link_invalid');
        return send(res, r.error.code === 'BAD_INPUT' ? 404 : statusOf(r), { lang, org: null, title: t(lang, 'auth.page.error_title'), body: alert(t(lang, key, r.error.params)) });
      }
      send(res, 200, setPasswordPage(r.value.org.language, r.value.org, r.value.purpose, r.value.email, token, csrfOf(seed(req, res)), null));
    },
    'POST /set-password': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const token = form.get('token') ?? '';
      const link = await call<{ purpose: 'welcome' | 'reset'; email: string; org: PortalOrg }>('portal.link', { token });
      const lang0 = acceptLanguage(req);
      if (!link.ok) {
        const key = link.error.code === 'BAD_INPUT' ? 'auth.link_invalid' : (link.error.key ?? 'auth.link_invalid');
        return send(res, link.error.code === 'BAD_INPUT' ? 404 : statusOf(link), { lang: lang0, org: null, title: t(lang0, 'auth.page.error_title'), body: alert(t(lang0, key)) });
      }
      const { org, purpose, email } = link.value;
      const csrf = csrfOf(seed(req, res));
      const password = form.get('password') ?? '';
      if (password !== (form.get('again') ?? '')) {
        return send(res, 400, setPasswordPage(org.language, org, purpose, email, token, csrf, t(org.language, 'auth.passwords_differ')));
      }
      const r = await call<{ sessionToken: string; next: string }>('portal.setPassword', { token, password, ip: clientIp(req) });
      if (!r.ok) return send(res, statusOf(r), setPasswordPage(org.language, org, purpose, email, token, csrf, message(r, org.language)));
      redirect(res, `/${r.value.next}`, [cookie(req, SESSION_COOKIE, r.value.sessionToken, null)]);
    },

    'GET /sign-in': async (req, res, url) => {
      const lang = acceptLanguage(req);
      send(res, 200, signInPage(lang, csrfOf(seed(req, res)), '', null, url.searchParams.has('out') ? t(lang, 'auth.page.signed_out')
        : url.searchParams.has('two-factor-reset') ? t(lang, 'auth.page.two_factor_reset_done') : null));
    },
    'POST /sign-in': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const lang = acceptLanguage(req);
      const email = (form.get('email') ?? '').slice(0, 254);
      const r = await call<{ sessionToken: string; next: string }>('portal.signIn', { email, password: form.get('password') ?? '', ip: clientIp(req) });
      if (!r.ok) {
        const shown = r.error.code === 'BAD_INPUT' ? t(lang, 'auth.sign_in_failed') : message(r, lang);
        return send(res, r.error.code === 'BAD_INPUT' ? 401 : statusOf(r), signInPage(lang, csrfOf(seed(req, res)), email, shown));
      }
      redirect(res, `/${r.value.next}`, [cookie(req, SESSION_COOKIE, r.value.sessionToken, null)]);
    },

    'GET /enrol': async (req, res) => {
      const cur = await currentSession(req, res);
      if (!cur) return;
      if (cur.s.twoFactor === 'enrolled') return redirect(res, cur.s.stage === 'full' ? '/profile' : '/verify');
      await enrolPage(res, cur.token, cur.s, csrfOf(cur.token), null);
    },
    'POST /enrol': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const cur = await currentSession(req, res);
      if (!cur) return;
      const r = await call<{ recoveryCode: string; sessionToken: string }>('portal.enrolFinish', { sessionToken: cur.token, code: form.get('code') ?? '', ip: clientIp(req) });
      if (!r.ok) return enrolPage(res, cur.token, cur.s, csrfOf(cur.token), message(r, cur.s.org.language), statusOf(r));
      send(res, 200, recoveryPage(cur.s.org.language, cur.s.org, r.value.recoveryCode, false), { 'Set-Cookie': cookie(req, SESSION_COOKIE, r.value.sessionToken, null) });
    },

    'GET /verify': async (req, res) => {
      const cur = await currentSession(req, res);
      if (!cur) return;
      if (cur.s.twoFactor !== 'enrolled' && !cur.s.emailCode) return redirect(res, '/enrol');
      if (cur.s.stage === 'full') return redirect(res, '/profile');
      send(res, 200, verifyPage(cur.s, csrfOf(cur.token), null));
    },
    'POST /verify/email': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const cur = await currentSession(req, res);
      if (!cur) return;
      const r = await call<{ sentTo: string }>('portal.sendEmailCode', { sessionToken: cur.token, ip: clientIp(req) });
      if (!r.ok) return send(res, statusOf(r), verifyPage(cur.s, csrfOf(cur.token), message(r, cur.s.org.language)));
      send(res, 200, verifyPage(cur.s, csrfOf(cur.token), null, t(cur.s.org.language, 'auth.email_code_sent', { to: r.value.sentTo })));
    },
    'POST /verify': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const cur = await currentSession(req, res);
      if (!cur) return;
      const r = await call<{ method: string; newRecoveryCode: string | null; sessionToken: string }>('portal.verify', { sessionToken: cur.token, code: form.get('code') ?? '', ip: clientIp(req) });
      if (!r.ok) return send(res, statusOf(r), verifyPage(cur.s, csrfOf(cur.token), message(r, cur.s.org.language)));
      const sessionCookie = cookie(req, SESSION_COOKIE, r.value.sessionToken, null);
      if (r.value.newRecoveryCode) {
        return send(res, 200, recoveryPage(cur.s.org.language, cur.s.org, r.value.newRecoveryCode, true), { 'Set-Cookie': sessionCookie });
      }
      redirect(res, '/profile', [sessionCookie]);
    },

    'GET /profile': async (req, res) => {
      const cur = await currentSession(req, res);
      if (!cur) return;
      if (cur.s.stage !== 'full') return redirect(res, cur.s.twoFactor === 'enrolled' ? '/verify' : '/enrol');
      const r = await call<PortalProfile>('portal.profile', { sessionToken: cur.token });
      if (!r.ok) return redirect(res, '/sign-in');
      send(res, 200, profilePage(r.value, csrfOf(cur.token)));
    },
    'POST /profile/recovery': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const cur = await currentSession(req, res);
      if (!cur) return;
      const r = await call<{ recoveryCode: string }>('portal.regenerateRecovery', { sessionToken: cur.token });
      if (!r.ok) return redirect(res, '/sign-in');
      send(res, 200, recoveryPage(cur.s.org.language, cur.s.org, r.value.recoveryCode, false));
    },

    'POST /profile/reset-password': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const cur = await currentSession(req, res);
      if (!cur) return;
      const r = await call<{ sentTo: string }>('portal.sendOwnReset', { sessionToken: cur.token });
      if (!r.ok) return redirect(res, '/sign-in');
      const profile = await call<PortalProfile>('portal.profile', { sessionToken: cur.token });
      if (!profile.ok) return redirect(res, '/sign-in');
      send(res, 200, profilePage(profile.value, csrfOf(cur.token), t(cur.s.org.language, 'auth.page.reset_sent', { to: r.value.sentTo })));
    },
    'POST /profile/reset-two-factor': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const cur = await currentSession(req, res);
      if (!cur) return;
      const r = await call('portal.resetOwnTwoFactor', { sessionToken: cur.token });
      if (!r.ok) return redirect(res, '/sign-in');
      // Signed out everywhere: the next sign-in sets up a new authenticator.
      redirect(res, '/sign-in?two-factor-reset=1', [cookie(req, SESSION_COOKIE, '', 0)]);
    },

    'POST /sign-out': async (req, res) => {
      const form = await checkedForm(req);
      if (!form) return refuseCsrf(req, res);
      const token = sessionToken(req);
      if (token) await call('portal.signOut', { sessionToken: token });
      redirect(res, '/sign-in?out=1', [cookie(req, SESSION_COOKIE, '', 0)]);
    },
  };

  /** Serve the request if it is one of these pages; false lets the Portal answer it otherwise. */
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return false;
    await route(req, res, url);
    return true;
  };
}
