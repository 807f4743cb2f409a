/**
 * Outside the sync version window the status bar says which side must be updated, the change made
 * meanwhile waits, and once both sides are inside again it goes. The skew is a proxy rewriting the
 * schema version the console states (test/fixtures/sync/skew-proxy.ts); the refusals are the real
 * Portal's.
 */
import { test, expect } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startHost } from '../../main/host/host-server.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { LATEST_VERSION } from '../../main/core/db/migrations.ts';
import { SYNC_MIN_SCHEMA_VERSION } from '../../shared/model/sync.ts';
import { must, seedPortal } from '../fixtures/sync/harness.ts';
import { startSkewProxy } from '../fixtures/sync/skew-proxy.ts';

const staticDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

test('outside the version window the status bar names the side to update; the waiting change goes once inside again', async ({ browser }) => {
  const portalDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-portal-'));
  const consoleDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-console-'));
  const portalCore = await startCoreWorker({ dataDir: portalDir, seedSample: false });
  const portal = await startPortal({ core: portalCore });
  const proxy = await startSkewProxy(portal.origin);
  const consoleCore = await startCoreWorker({ dataDir: consoleDir, seedSample: false });
  const host = await startHost({ core: consoleCore, staticDir });
  const page = await (await browser.newContext()).newPage();
  try {
    const seed = await seedPortal(portalCore, 1);
    await must(consoleCore, 'sync.connect', { url: proxy.origin, token: seed.token });
    await must(consoleCore, 'sync.now', { wait: true });
    await page.goto(host.url);
    const indicator = page.getByTestId('sync-indicator');
    await expect(indicator).toContainText('Synced');

    // The console states a newer schema than the Portal's: the Portal must be updated.
    proxy.skew.request = (_path, body) => ({ ...body, schemaVersion: LATEST_VERSION + 1 });
    const ana = seed.users[0]!;
    const { version } = await must<{ version: number }>(consoleCore, 'users.get', { id: ana });
    await must(consoleCore, 'users.update', { id: ana, baseVersion: version, changes: { name: 'Ana meanwhile' } });
    await must(consoleCore, 'sync.now', { wait: true });
    await expect(indicator).toContainText('The Portal must be updated');
    await expect(indicator).toContainText('1 change waiting');
    await indicator.click();
    const dialog = page.getByRole('dialog', { name: 'Portal sync' });
    await expect(dialog.getByTestId('sync-update-needed')).toHaveText(/The Portal runs an older Orgdesk than this console\. Syncing stopped/);
    await page.keyboard.press('Escape');

    // Older than the Portal's minimum: this Orgdesk must be updated.
    proxy.skew.request = (_path, body) => ({ ...body, schemaVersion: SYNC_MIN_SCHEMA_VERSION - 1 });
    await must(consoleCore, 'sync.now', { wait: true });
    await expect(indicator).toContainText('Update Orgdesk to sync');
    expect((await must<{ name: string }>(portalCore, 'users.get', { id: ana })).name).toBe('Ana 1');

    // Both inside again: Sync now sends the waiting change.
    proxy.skew.request = undefined;
    await indicator.click();
    await dialog.getByTestId('sync-now').click();
    await expect(indicator).toContainText('Synced', { timeout: 15_000 });
    await expect.poll(async () => (await must<{ name: string }>(portalCore, 'users.get', { id: ana })).name).toBe('Ana meanwhile');
  } finally {
    await page.context().close();
    await host.close();
    await consoleCore.close();
    await proxy.close();
    await portal.close();
    await portalCore.close();
    await rm(portalDir, { recursive: true, force: true });
    await rm(consoleDir, { recursive: true, force: true });
  }
});
