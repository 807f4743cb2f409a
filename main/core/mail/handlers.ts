/** SMTP settings and the outbox, for the console. */
import type { CallContext, CoreDeps } from '../handlers/context.ts';
import type { Out, ParsedIn } from '../../../shared/contract.ts';
import { AppError } from '../errors.ts';
import { MAIL_SETTINGS_ID, SMTP_PASSWORD_KEY, readMailSettings, toOutboxItem, type OutboxRow } from './outbox.ts';

export function createMailHandlers(deps: CoreDeps) {
  const { db, mutations } = deps;
  const one = db.prepare('SELECT * FROM mail_outbox WHERE id = ?');
  const getMessage = (id: string) => {
    const r = one.get(id) as OutboxRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', 'auth.mail_not_found');
    return r;
  };

  return {
    'mail.settings.get': (): Out<'mail.settings.get'> => readMailSettings(db),

    'mail.settings.set': async (input: ParsedIn<'mail.settings.set'>, ctx: CallContext): Promise<Out<'mail.settings.set'>> => {
      const current = readMailSettings(db);
      // The keychain first: if it refuses, the settings row does not claim a password it lacks.
      let passwordSet = current.passwordSet;
      if (input.password === null) {
        await deps.secrets.delete(SMTP_PASSWORD_KEY);
        passwordSet = false;
      } else if (input.password !== undefined && input.password !== '') {
        await deps.secrets.set(SMTP_PASSWORD_KEY, input.password);
        passwordSet = true;
      }
      const values = {
        host: input.host, port: input.port, security: input.security, username: input.username, fromAddress: input.fromAddress,
        fromName: input.fromName, portalBaseUrl: input.portalBaseUrl, passwordSet,
      };
      mutations.run('mail.settings.set', ctx.actor, (w) => {
        if (current.version === 0) w.create('mailSettings', MAIL_SETTINGS_ID, values);
        else w.update('mailSettings', MAIL_SETTINGS_ID, values);
      });
      deps.mail.kick();
      return readMailSettings(db);
    },

    'mail.outbox.list': (input: ParsedIn<'mail.outbox.list'>): Out<'mail.outbox.list'> => {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: input.limit + 1 };
      if (input.status) { where.push('status = @status'); params.status = input.status; }
      if (input.orgId) { where.push('org_id = @orgId'); params.orgId = input.orgId; }
      if (input.before) { where.push('id < @before'); params.before = input.before; }
      // Ids are UUIDv7: their order is creation order.
      // The list never needs the bodies (they are the bulk of each row).
      const rows = db.prepare(`SELECT id, org_id, user_id, purpose, to_address, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at
        FROM mail_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`)
        .all(params) as OutboxRow[];
      const more = rows.length > input.limit;
      const items = rows.slice(0, input.limit).map(toOutboxItem);
      return { items, nextBefore: more ? items[items.length - 1]!.id : null };
    },

    'mail.outbox.retry': (input: ParsedIn<'mail.outbox.retry'>, ctx: CallContext): Out<'mail.outbox.retry'> => {
      const r = getMessage(input.id);
      if (r.status === 'sent') throw new AppError('CONFLICT', 'auth.mail_already_sent');
      mutations.run('mail.outbox.retry', ctx.actor, (w) => {
        w.update('mailMessage', r.id, { status: 'queued', nextAttemptAt: deps.clock.now().toISOString() });
      });
      deps.mail.kick();
      return toOutboxItem(getMessage(r.id));
    },
  };
}
