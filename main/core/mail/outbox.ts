/**
 * The mail outbox: every email is first a `mailMessage` row written in the mutation that caused it
 * (so a welcome email exists exactly when its link does), then the sender loop delivers it.
 */
import { newId as uuidv7 } from '../ids.ts';
import type { Db } from '../db/open-database.ts';
import type { Writer } from '../mutations/pipeline.ts';
import type { MailContent } from './templates.ts';
import type { MailSettingsView, MailStatus, OutboxItem } from '../../../shared/model/auth.ts';

export const SMTP_PASSWORD_KEY = 'smtp-password:default';
export const MAIL_SETTINGS_ID = 'default';
export const DEFAULT_PORTAL_BASE_URL = 'http://127.0.0.1:8787';

/** The actor of what the core does on its own (delivering mail). */
export const SYSTEM_ACTOR = { id: 'system:mail', name: 'Orgdesk mail sender', email: '' };

export interface OutboxRow {
  id: string; org_id: string | null; user_id: string | null; purpose: string; to_address: string; subject: string;
  html: string; text_body: string; status: MailStatus; attempts: number; next_attempt_at: string | null;
  last_error: string | null; sent_at: string | null; created_at: string;
}

export function toOutboxItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id, orgId: r.org_id, userId: r.user_id, purpose: r.purpose, to: r.to_address, subject: r.subject, status: r.status,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at,
  };
}

export interface NewMail {
  orgId: string | null;
  userId: string | null;
  purpose: string;
  to: string;
  content: MailContent;
}

/** Queue a message inside a mutation; the sender picks it up once the mutation commits. */
export function enqueueMail(w: Writer, mail: NewMail): string {
  const id = uuidv7();
  w.create('mailMessage', id, {
    orgId: mail.orgId, userId: mail.userId, purpose: mail.purpose, to: mail.to, subject: mail.content.subject,
    html: mail.content.html, text: mail.content.text, status: 'queued', attempts: 0, nextAttemptAt: w.ctx.at,
    lastError: null, sentAt: null,
  });
  return id;
}

interface SettingsRow {
  host: string; port: number; security: MailSettingsView['security']; username: string; from_address: string; from_name: string;
  portal_base_url: string; password_set: number; version: number; updated_at: string;
}

export function readMailSettings(db: Db): MailSettingsView {
  const r = db.prepare('SELECT * FROM mail_settings WHERE id = ?').get(MAIL_SETTINGS_ID) as SettingsRow | undefined;
  if (!r) {
    return {
      host: '', port: 587, security: 'starttls', username: '', fromAddress: '', fromName: '', portalBaseUrl: DEFAULT_PORTAL_BASE_URL,
      passwordSet: false, configured: false, version: 0, updatedAt: null,
    };
  }
  return {
    host: r.host, port: r.port, security: r.security, username: r.username, fromAddress: r.from_address, fromName: r.from_name,
    portalBaseUrl: r.portal_base_url, passwordSet: r.password_set === 1, configured: r.host !== '' && r.from_address !== '',
    version: r.version, updatedAt: r.updated_at,
  };
}
