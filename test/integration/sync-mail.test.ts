/**
 * A console connected to a Portal does not email the people of the organizations it syncs: the
 * Portal re-runs the change and sends the email itself, with a link that works on the Portal.
 */
import { describe, expect, it } from 'vitest';
import { startPortal } from '../../main/portal/portal-server.ts';
import { HANDED_TO_PORTAL } from '../../main/core/mail/sender.ts';
import { testCore } from './helpers.ts';
import { asClient, must, seedPortal } from '../fixtures/sync/harness.ts';
import { startSmtp, linkIn } from '../fixtures/auth/smtp.ts';
import { cleanupAfterEach } from '../fixtures/cleanup-after-each.ts';

const cleanup = cleanupAfterEach();

describe('mail of synced organizations', () => {
  it('is sent by the Portal, not by the console that made the change', async () => {
    const smtp = await startSmtp();
    cleanup.push(() => smtp.close());
    const portalCore = testCore({ mail: { pollMs: 50 } });
    const portal = await startPortal({ core: asClient(portalCore) });
    cleanup.push(() => portalCore.dispose(), () => portal.close());
    const mailSettings = { host: '127.0.0.1', port: smtp.port, security: 'none', username: '', fromAddress: 'no-reply@orgdesk.example', fromName: '' };
    await must(portalCore, 'mail.settings.set', { ...mailSettings, portalBaseUrl: portal.origin });
    const seed = await seedPortal(portalCore, 1);

    const console_ = testCore({ mail: { pollMs: 50 } });
    cleanup.push(() => console_.dispose());
    // The technician's console has its own SMTP settings too (for its local organizations).
    await must(console_, 'mail.settings.set', { ...mailSettings, portalBaseUrl: 'https://console-only.example' });
    await must(console_, 'sync.connect', { url: portal.origin, token: seed.token });
    await must(console_, 'sync.now', { wait: true });

    const client = seed.clientIds[0]!;
    const user = seed.users[0]!;
    await must(console_, 'auth.setEmailPassword', { orgId: client, enabled: true });
    await must(console_, 'users.setEmailLogin', { ids: [user], enabled: true });

    // The console's own welcome email is handed over, never sent.
    await expect.poll(() => (console_.db.prepare('SELECT status, last_error FROM mail_outbox WHERE user_id = ?').get(user) as { status: string; last_error: string } | undefined))
      .toEqual({ status: 'cancelled', last_error: HANDED_TO_PORTAL });

    // The Portal re-runs the change and sends its own, with a link to the Portal.
    await must(console_, 'sync.now', { wait: true });
    const mail = await smtp.next(0);
    expect(mail.to).toBeDefined();
    expect(linkIn(mail).startsWith(`${portal.origin}/set-password?token=`)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(1);
  });
});
