/**
 * The sender loop: delivers queued messages over SMTP (nodemailer) with the settings of the
 * `mail_settings` row and the password from the keychain. A failed attempt is retried with
 * exponential backoff (30 s, 1 min, 2 min, ... capped at 1 h); after MAX_ATTEMPTS the message is
 * `failed` with its last error. A sent message keeps its subject and recipient but loses its bodies
 * (they may carry a one-time link). Every status change is a mutation, taken through the writer.
 * stop() ends the loop: no new attempt starts and nothing is written after it.
 */
import type nodemailer from 'nodemailer';

/** Loaded at the first delivery (~12 MB resident): a console that never sends mail never pays it. */
let loadedMailer: Promise<typeof nodemailer> | null = null;
const loadNodemailer = () => (loadedMailer ??= import('nodemailer').then((m) => (m as unknown as { default: typeof nodemailer }).default ?? (m as unknown as typeof nodemailer)));
import type { CoreDeps } from '../handlers/context.ts';
import { SMTP_PASSWORD_KEY, SYSTEM_ACTOR, readMailSettings, type OutboxRow } from './outbox.ts';

export const MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 3_600_000;

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

export interface MailSender {
  /** Look at the outbox now (a message was queued, settings changed). */
  kick(): void;
  stop(): void;
}

export interface MailSenderOptions {
  /** How often the outbox is looked at when nothing kicks it (default 5 s). */
  pollMs?: number;
  /** false: never deliver (tools that open the database for something else). */
  enabled?: boolean;
}

type Log = (line: string) => void;

/** Why a console did not send a message itself (shown in the outbox). */
export const HANDED_TO_PORTAL = 'Sent by the Portal: this organization syncs with it.';

/** The part of an SMTP error a person can act on, without anything that could be a secret. */
function describe(e: unknown): string {
  const err = e as { code?: string; responseCode?: number; message?: string };
  const parts = [err.code, err.responseCode ? String(err.responseCode) : undefined, (err.message ?? String(e)).split('\n')[0]];
  return parts.filter(Boolean).join(' ').slice(0, 500);
}

export function startMailSender(deps: CoreDeps, options: MailSenderOptions = {}, log: Log = () => undefined): MailSender {
  const pollMs = options.pollMs ?? 5000;
  let stopped = options.enabled === false;
  let busy = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const due = deps.db.prepare(`SELECT * FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= ?
    ORDER BY next_attempt_at, id LIMIT 20`);
  // A console connected to a Portal does not send the mail of the organizations it syncs: the Portal
  // re-runs the change and sends its own, whose one-time link works there (the console's link
  // would exist only in this database).
  const portalSends = deps.db.prepare(`SELECT 1 FROM sync_org s WHERE s.org_id = ? AND s.state <> 'revoked'
    AND EXISTS (SELECT 1 FROM sync_meta WHERE key = 'portal_url')`);

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };

  const record = (id: string, patch: Record<string, unknown>, name: string) =>
    deps.withWriter(() => {
      if (stopped) return;
      deps.mutations.run(name, SYSTEM_ACTOR, (w) => {
        w.update('mailMessage', id, patch);
      });
    });

  async function tick(): Promise<void> {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const settings = readMailSettings(deps.db);
      let rows = settings.configured ? (due.all(deps.clock.now().toISOString()) as OutboxRow[]) : [];
      if (rows.length === 0) return;
      for (const row of rows.filter((r) => r.org_id !== null && portalSends.get(r.org_id))) {
        await record(row.id, { status: 'cancelled', html: '', text: '', nextAttemptAt: null, lastError: HANDED_TO_PORTAL }, 'mail.handedToPortal');
      }
      rows = rows.filter((r) => r.org_id === null || !portalSends.get(r.org_id));
      if (rows.length === 0) return;
      if (rows.length === 20) again = true; // more are due: take the next batch at once
      const password = settings.passwordSet ? await deps.secrets.get(SMTP_PASSWORD_KEY) : null;
      const transport = (await loadNodemailer()).createTransport({
        host: settings.host, port: settings.port,
        secure: settings.security === 'tls', requireTLS: settings.security === 'starttls', ignoreTLS: settings.security === 'none',
        ...(settings.username ? { auth: { user: settings.username, pass: password ?? '' } } : {}),
        connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
      });
      try {
        for (const row of rows) {
          if (stopped) return;
          try {
            await transport.sendMail({
              from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
              to: row.to_address, subject: row.subject, html: row.html, text: row.text_body,
            });
            await record(row.id, {
              status: 'sent', attempts: row.attempts + 1, sentAt: deps.clock.now().toISOString(), nextAttemptAt: null, lastError: null,
              html: '', text: '',
            }, 'mail.sent');
          } catch (e) {
            if (stopped) return;
            const attempts = row.attempts + 1;
            const failed = attempts >= MAX_ATTEMPTS;
            log(`orgdesk: mail ${row.id} not delivered (attempt ${attempts}): ${describe(e)}`);
            await record(row.id, {
              attempts, lastError: describe(e), status: failed ? 'failed' : 'queued',
              nextAttemptAt: failed ? null : new Date(deps.clock.now().getTime() + backoffMs(attempts)).toISOString(),
            }, failed ? 'mail.failed' : 'mail.retryLater');
          }
        }
      } finally {
        transport.close();
      }
    } catch (e) {
      if (!stopped) log(`orgdesk: the mail sender stumbled: ${describe(e)}`);
    } finally {
      busy = false;
      if (again) {
        again = false;
        schedule(0);
      } else {
        schedule(pollMs);
      }
    }
  }

  schedule(pollMs);
  return {
    kick: () => schedule(0),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
