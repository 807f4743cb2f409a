/**
 * A technician connects a console by signing in with their Portal account (email, password, then
 * the authenticator code the Portal asks for); when the Portal ends that session, the console says
 * "signed out", keeps the change waiting, and signing in again sends it.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'otplib';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startHost } from '../../main/host/host-server.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { ADMIN_ROLE, asClient, must, seedPortal } from '../fixtures/sync/harness.ts';

const staticDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const PASSWORD = 'correct horse battery staple 7';

async function signInThroughUi(page: Page, fill: { url?: string; email: string; code: () => Promise<string> }) {
  const dialog = page.getByRole('dialog', { name: 'Portal sync' });
  await expect(dialog.getByRole('radio', { name: 'Sign in with my Portal account' })).toBeChecked();
  if (fill.url) await dialog.getByRole('textbox', { name: 'Portal address' }).fill(fill.url);
  await dialog.getByRole('textbox', { name: 'Email' }).fill(fill.email);
  await dialog.getByLabel('Password').fill('not my password at all');
  await dialog.getByRole('button', { name: 'Sign in and connect' }).click();
  await expect(dialog.getByText('Wrong email or password.')).toBeVisible();
  await dialog.getByLabel('Password').fill(PASSWORD);
  await dialog.getByRole('button', { name: 'Sign in and connect' }).click();
  // The account has two-factor on: the Portal asks for the code.
  const code = dialog.getByRole('textbox', { name: 'Authenticator code or recovery code' });
  await expect(code).toHaveAccessibleDescription(/Enter the code from your authenticator app/);
  await code.fill(await fill.code());
  await dialog.getByRole('button', { name: 'Sign in and connect' }).click();
}

test('connect by signing in with a Portal account; a revoked session shows "signed out" and signing in again sends the waiting change', async ({ browser }) => {
  const portalDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-portal-'));
  const consoleDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-console-'));
  // The Portal's core in-process: the test reads the welcome link from its outbox and moves its clock (TOTP steps).
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const portalCore = createCore({ dataDir: portalDir, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, clock });
  const portal = await startPortal({ core: asClient(portalCore) });
  const consoleCore = await startCoreWorker({ dataDir: consoleDir, seedSample: false });
  const host = await startHost({ core: consoleCore, staticDir });
  const page = await (await browser.newContext()).newPage();
  try {
    const seed = await seedPortal(portalCore, 1);
    const email = 'tess.e2e@northwind.example';
    const tess = await must<{ id: string }>(portalCore, 'users.create', { orgId: seed.partnerId, name: 'Tess Signin', email, roleId: ADMIN_ROLE, emailLoginEnabled: true });
    const mail = portalCore.db.prepare("SELECT text_body FROM mail_outbox WHERE to_address = ?").get(email) as { text_body: string };
    const { sessionToken } = await must<{ sessionToken: string }>(portalCore, 'portal.setPassword', { token: /token=([A-Za-z0-9_-]+)/.exec(mail.text_body)![1], password: PASSWORD, ip: '127.0.0.1' });
    const { secret } = await must<{ secret: string }>(portalCore, 'portal.enrolStart', { sessionToken });
    const nextCode = async () => {
      offset += 30_000;
      return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    };
    await must(portalCore, 'portal.enrolFinish', { sessionToken, code: await nextCode(), ip: '127.0.0.1' });

    await page.goto(host.url);
    await page.getByTestId('sync-indicator').click();
    await signInThroughUi(page, { url: portal.origin, email, code: nextCode });
    const dialog = page.getByRole('dialog', { name: 'Portal sync' });
    await expect(dialog.getByText('Signed in as')).toBeVisible();
    await expect(dialog.getByText(`Tess Signin <${email}>`)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('tree', { name: 'Organization tree' }).getByText('Client 1')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('sync-indicator')).toContainText('Synced');

    // The Portal revokes the session; a change made now waits, and the console says to sign in again.
    const { items } = await must<{ items: { id: string }[] }>(portalCore, 'sync.credentials', { userId: tess.id });
    await must(portalCore, 'sync.revokeToken', { id: items[0]!.id });
    const ana = seed.users[0]!;
    const before = await must<{ version: number }>(consoleCore, 'users.get', { id: ana });
    await must(consoleCore, 'users.update', { id: ana, baseVersion: before.version, changes: { name: 'Ana while signed out' } });
    await must(consoleCore, 'sync.now', { wait: true });
    await expect(page.getByTestId('sync-indicator')).toContainText('Signed out: sign in again');
    await expect(page.getByTestId('sync-indicator')).toContainText('1 change waiting');
    await page.getByTestId('sync-indicator').click();
    await expect(dialog.getByText('The Portal signed this console out.', { exact: false })).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'Portal address' })).toHaveValue(portal.origin);
    await signInThroughUi(page, { email, code: nextCode });
    await expect.poll(async () => (await must<{ name: string }>(portalCore, 'users.get', { id: ana })).name, { timeout: 15_000 }).toBe('Ana while signed out');
    await expect(page.getByTestId('sync-indicator')).toContainText('Synced', { timeout: 15_000 });
  } finally {
    await page.context().close();
    await host.close();
    await consoleCore.close();
    await portal.close();
    portalCore.close();
    await rm(portalDir, { recursive: true, force: true });
    await rm(consoleDir, { recursive: true, force: true });
  }
});
