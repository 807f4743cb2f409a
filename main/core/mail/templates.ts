/**
 * The emails the sign-in feature sends, in the organization's language (en, es, pt; others fall
 * back to English) and with its branding colours. Every interpolated value is escaped; the HTML is
 * table-based with inline styles, which is what mail clients render.
 */
import { translate, type UiLanguage } from '../../../shared/i18n/index.ts';
import type { Palette } from '../../../shared/model/branding.ts';
import type { LinkPurpose } from '../../../shared/model/auth.ts';

export interface MailContent {
  subject: string;
  html: string;
  text: string;
}

export interface LinkMailInput {
  purpose: LinkPurpose;
  language: UiLanguage;
  palette: Palette;
  orgName: string;
  userName: string;
  link: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The UI language for an organization's language code ("pt-BR" -> "pt"). */
export function uiLanguage(language: string): UiLanguage {
  const base = language.slice(0, 2).toLowerCase();
  return base === 'es' || base === 'pt' ? base : 'en';
}

/** Black or white, whichever reads better on a background colour (WCAG relative luminance). */
export function textOn(hex: string): '#FFFFFF' | '#111111' {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return l > 0.4 ? '#111111' : '#FFFFFF';
}

/** The frame every email shares: a header in the organization's colours, then `content`. */
function mailShell(input: { language: UiLanguage; subject: string; orgName: string; palette: Palette; content: string }): string {
  const e = escapeHtml;
  const { secondary } = input.palette;
  return `<!doctype html>
<html lang="${input.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(input.subject)}</title></head>
<body style="margin:0;padding:0;background:#f7f8fa;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#15181e">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f7f8fa;padding:24px 0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border:1px solid #e3e6eb;border-radius:10px">
<tr><td style="background:${secondary};color:${textOn(secondary)};padding:16px 24px;border-radius:10px 10px 0 0;font-size:18px;font-weight:600">${e(input.orgName)}</td></tr>
<tr><td style="padding:24px">
${input.content}
</td></tr></table></td></tr></table></body></html>`;
}

export function linkMail(input: LinkMailInput): MailContent {
  const t = (key: string) => translate(`auth.mail.${input.purpose}_${key}`, { org: input.orgName, name: input.userName }, input.language);
  const common = (key: string) => translate(`auth.mail.${key}`, {}, input.language);
  const subject = t('subject');
  const { primary } = input.palette;
  const e = escapeHtml;
  const html = mailShell({ language: input.language, subject, orgName: input.orgName, palette: input.palette, content: `<p style="margin:0 0 16px;font-size:15px;line-height:1.5">${e(t('intro'))}</p>
<p style="margin:0 0 20px"><a href="${e(input.link)}" style="display:inline-block;background:${primary};color:${textOn(primary)};text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${e(t('button'))}</a></p>
<p style="margin:0 0 12px;font-size:13px;color:#555d6b">${e(t('expiry'))}</p>
<p style="margin:0 0 4px;font-size:13px;color:#555d6b">${e(common('fallback'))}</p>
<p style="margin:0 0 16px;font-size:13px;word-break:break-all"><a href="${e(input.link)}" style="color:${primary}">${e(input.link)}</a></p>
<p style="margin:0;font-size:12px;color:#7b8494">${e(common('ignore'))}</p>` });
  const text = [input.orgName, '', t('intro'), '', `${t('button')}: ${input.link}`, '', t('expiry'), '', common('ignore'), ''].join('\n');
  return { subject, html, text };
}

export interface CodeMailInput {
  language: UiLanguage;
  palette: Palette;
  orgName: string;
  userName: string;
  code: string;
  minutes: number;
}

/** The six-digit verification code for the second step of a sign-in. */
export function codeMail(input: CodeMailInput): MailContent {
  const t = (key: string) => translate(`auth.mail.code_${key}`, { org: input.orgName, name: input.userName, minutes: input.minutes }, input.language);
  const subject = t('subject');
  const { primary } = input.palette;
  const e = escapeHtml;
  const html = mailShell({ language: input.language, subject, orgName: input.orgName, palette: input.palette, content: `<p style="margin:0 0 16px;font-size:15px;line-height:1.5">${e(t('intro'))}</p>
<p style="margin:0 0 20px;font-size:28px;letter-spacing:6px;font-weight:700;color:${primary}">${e(input.code)}</p>
<p style="margin:0 0 12px;font-size:13px;color:#555d6b">${e(t('expiry'))}</p>
<p style="margin:0;font-size:12px;color:#7b8494">${e(t('ignore'))}</p>` });
  const text = [input.orgName, '', t('intro'), '', input.code, '', t('expiry'), '', t('ignore'), ''].join('\n');
  return { subject, html, text };
}
