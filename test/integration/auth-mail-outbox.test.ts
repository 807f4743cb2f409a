import { afterEach, describe, expect, it } from 'vitest';
import { fails, ok, orgInput, testCore } from './helpers.ts';
import { startSmtp, type TestSmtp } from '../fixtures/auth/smtp.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';

const OPERATOR = '00000000-0000-7000-8000-000000000002';
let core: ReturnType<typeof testCore> | undefined;
let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  core?.dispose();
  smtp = undefined;
  core = undefined;
});

function testClock() {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms: number) => { offset += ms; } };
}

describe('the mail outbox', () => {
  it('keeps a message queued while SMTP is down, retries with backoff, and delivers once it is up', async () => {
    // A port with nobody listening: take one, then free it.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const clock = testClock();
    core = testCore({ clock, mail: { pollMs: 50 } });
    await ok(core, 'mail.settings.set', {
      host: '127.0.0.1', port, security: 'none', username: '', fromAddress: 'no-reply@orgdesk.example', fromName: '', portalBaseUrl: 'https://portal.example',
    });
    const { id: partner } = await ok(core, 'org.create', orgInput());
    await ok(core, 'users.create', { orgId: partner, name: 'Ana', email: 'ana@acme.example', roleId: OPERATOR, emailLoginEnabled: true });

    // First attempt fails: still queued, with the error and the next attempt about 30 s later.
    await expect.poll(async () => (await ok(core!, 'mail.outbox.list', {})).items[0]?.attempts).toBe(1);
    let item = (await ok(core, 'mail.outbox.list', {})).items[0]!;
    expect(item).toMatchObject({ status: 'queued', to: 'ana@acme.example', subject: 'Create your password for Acme MSP' });
    expect(item.lastError).toContain('ECONNREFUSED');
    const wait = Date.parse(item.nextAttemptAt!) - clock.now().getTime();
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);

    // Nothing more is tried before that time, even with the server back.
    smtp = await startSmtp(port);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(0);
    clock.advance(31_000);
    const mail = await smtp.next(0);
    expect(mail.subject).toBe('Create your password for Acme MSP');
    expect(mail.text).toContain('https://portal.example/set-password?token=');
    await expect.poll(async () => (await ok(core!, 'mail.outbox.list', { status: 'sent' })).items.length).toBe(1);
    item = (await ok(core, 'mail.outbox.list', {})).items[0]!;
    expect(item).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(await fails(core, 'mail.outbox.retry', { id: item.id })).toMatchObject({ key: 'auth.mail_already_sent' });
  });

  it('keeps the SMTP password in the secret store, never in the database or the answers', async () => {
    const secrets = new MemorySecretStore();
    core = testCore({ secrets, mail: { enabled: false } });
    const input = { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'mailer', fromAddress: 'no-reply@example.com', fromName: 'Acme', portalBaseUrl: 'https://portal.example/' };
    const view = await ok(core, 'mail.settings.set', { ...input, password: 'hunter2-smtp-secret' });
    expect(view).toMatchObject({ host: 'smtp.example.com', passwordSet: true, configured: true, portalBaseUrl: 'https://portal.example' });
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(await secrets.get('smtp-password:default')).toBe('hunter2-smtp-secret');
    const dump = JSON.stringify([core.db.prepare('SELECT * FROM mail_settings').all(), core.db.prepare('SELECT * FROM audit').all(), core.db.prepare('SELECT * FROM changes').all()]);
    expect(dump).not.toContain('hunter2');
    // Absent keeps it; null removes it.
    expect((await ok(core, 'mail.settings.set', { ...input, port: 2525 })).passwordSet).toBe(true);
    expect((await ok(core, 'mail.settings.set', { ...input, password: null })).passwordSet).toBe(false);
    expect(await secrets.get('smtp-password:default')).toBeNull();
    const bad = await fails(core, 'mail.settings.set', { ...input, port: 0, portalBaseUrl: 'ftp://x' });
    expect(Object.keys(bad.fields ?? {}).sort()).toEqual(['port', 'portalBaseUrl']);
  });
});
