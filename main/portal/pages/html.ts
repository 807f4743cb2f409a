/**
 * The Portal pages' HTML: one layout, escaped values, the organization's colours in a nonce'd
 * <style> (the CSP allows no other inline style), light and dark following the visitor's system.
 */
import { randomBytes } from 'node:crypto';
import { translate, type UiLanguage } from '../../../shared/i18n/index.ts';
import type { PortalOrg } from '../../../shared/model/auth.ts';
import { DEFAULT_PALETTE } from '../../../shared/model/branding.ts';
import { escapeHtml as e, textOn } from '../../core/mail/templates.ts';

export { e };

export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'", `style-src 'self' 'nonce-${nonce}'`, "img-src 'self' data:", "form-action 'self'", "base-uri 'none'",
    "frame-ancestors 'none'", "object-src 'none'",
  ].join('; ');
}

export const newNonce = () => randomBytes(16).toString('base64');

export interface Page {
  lang: UiLanguage;
  org: PortalOrg | null;
  title: string;
  body: string;
}

export function layout(page: Page, nonce: string): string {
  const palette = page.org?.palette ?? DEFAULT_PALETTE;
  const brand = page.org?.name ?? 'Orgdesk';
  return `<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(page.title)} · ${e(brand)}</title>
<link rel="stylesheet" href="/assets/portal.css">
<style nonce="${nonce}">:root{--brand:${palette.primary};--brand-text:${textOn(palette.primary)};--brand-2:${palette.secondary};--brand-2-text:${textOn(palette.secondary)}}</style>
</head>
<body>
<header class="bar"><span class="org">${e(brand)}</span></header>
<main class="card">
<h1>${e(page.title)}</h1>
${page.body}
</main>
</body>
</html>`;
}

export const t = (lang: UiLanguage, key: string, params?: Record<string, string | number>) => translate(key, params, lang);

export function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${e(token)}">`;
}

export function alert(message: string | null, kind: 'error' | 'info' = 'error'): string {
  return message ? `<p class="alert ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${e(message)}</p>` : '';
}

export function formatTime(iso: string | null, lang: UiLanguage): string {
  if (!iso) return t(lang, 'auth.page.never');
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
}

export const PORTAL_CSS = `:root{color-scheme:light dark;--font:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;
--mono:ui-monospace,'SF Mono','Cascadia Mono','Roboto Mono',Menlo,Consolas,monospace;--bg:#f7f8fa;--surface:#fff;--border:#e3e6eb;
--text:#15181e;--text-2:#555d6b;--danger:#d13a3a;--danger-soft:#fdeceb;--success-soft:#e6f6ee;--radius:6px;--radius-lg:10px;--focus:#4c6ef5}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--surface:#171a21;--border:#2a2f3a;--text:#e7e9ee;--text-2:#a6adbb;--danger:#f06464;
--danger-soft:#3a1c1f;--success-soft:#15322a;--focus:#7d97ff}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 var(--font)}
.bar{background:var(--brand-2);color:var(--brand-2-text);padding:12px 24px;font-weight:600;font-size:17px}
.card{max-width:440px;margin:40px auto;background:var(--surface);border:1px solid var(--border);border-radius:var(--radius-lg);padding:28px}
h1{font-size:20px;margin:0 0 16px}p{margin:0 0 14px}.muted{color:var(--text-2);font-size:13px}
label{display:block;font-weight:600;margin:14px 0 6px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:9px 10px;border:1px solid var(--border);border-radius:var(--radius);
background:var(--bg);color:var(--text);font:inherit}
input:focus,button:focus,a:focus{outline:2px solid var(--focus);outline-offset:1px}
button,.button{display:inline-block;margin-top:18px;background:var(--brand);color:var(--brand-text);border:0;border-radius:var(--radius);
padding:10px 18px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
button.link{background:none;color:var(--text-2);padding:0;margin:0;text-decoration:underline;font-weight:400}
.alert{padding:10px 12px;border-radius:var(--radius)}.alert.error{background:var(--danger-soft);color:var(--danger)}
.alert.info{background:var(--success-soft)}
.qr{display:block;background:#fff;padding:8px;border-radius:var(--radius);width:220px;height:220px;margin:0 auto 12px}
.qr svg{width:100%;height:100%}
code,.code{font-family:var(--mono)}.code{display:block;font-size:20px;letter-spacing:1px;text-align:center;padding:12px;
border:1px dashed var(--border);border-radius:var(--radius);user-select:all;word-break:break-all}
table{width:100%;border-collapse:collapse;font-size:14px}th,td{text-align:left;padding:6px 4px;border-bottom:1px solid var(--border)}
dl{display:grid;grid-template-columns:auto 1fr;gap:6px 12px;font-size:14px}dt{color:var(--text-2)}dd{margin:0}
.row{display:flex;justify-content:space-between;align-items:center;gap:12px}
`;
