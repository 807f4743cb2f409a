/**
 * An import made offline on a console connected to a Portal (issue #6, "nothing lost"): dropped on
 * the Users tab as a person would, it reaches the Portal when the console is back online, in chunks;
 * the one row the Portal refuses (its email was taken there meanwhile) is shown in the sync panel
 * with the user and the reason, and the others are on the Portal.
 */
import { test, expect } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCoreWorker } from '../../main/core/worker/core-client.ts';
import { startHost } from '../../main/host/host-server.ts';
import { startPortal } from '../../main/portal/portal-server.ts';
import { must, seedPortal } from '../fixtures/sync/harness.ts';
import { SYNC_CHUNK_OPS } from '../../shared/model/sync-batch.ts';
import { dropFileOn, openUsers, usersCsv } from './fixtures.ts';

const staticDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const ROWS = 1500;
const OPERATOR = '00000000-0000-7000-8000-000000000002';

test('an import made offline travels on reconnecting; the row the Portal refuses is shown with its reason', async ({ browser }) => {
  const portalDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-portal-'));
  const consoleDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-console-'));
  const portalCore = await startCoreWorker({ dataDir: portalDir, seedSample: false });
  const seed = await seedPortal(portalCore, 1);
  const portal = await startPortal({ core: portalCore });
  const core = await startCoreWorker({ dataDir: consoleDir, seedSample: false });
  const host = await startHost({ core, staticDir });
  const page = await (await browser.newContext()).newPage();
  try {
    await must(core, 'sync.connect', { url: portal.origin, token: seed.token });
    await must(core, 'sync.now', { wait: true });
    await page.goto(host.url);
    await expect(page.getByTestId('sync-indicator')).toContainText('Synced', { timeout: 20_000 });
    await must(core, 'sync.setOffline', { offline: true });

    await openUsers(page, 'client 1', 'Client 1');
    const grid = page.getByRole('grid', { name: 'Users of Client 1' });
    const rows = Array.from({ length: ROWS }, (_, i) => [`Person ${i}`, `person${i}@client.example`, 'Operator']);
    await dropFileOn(page, grid, 'people.csv', 'text/csv', usersCsv(rows));
    const dialog = page.getByRole('dialog', { name: 'Import users into Client 1' });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog.getByText(`Import of people.csv finished (${ROWS.toLocaleString('en')} rows).`)).toBeVisible({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(page.getByTestId('sync-indicator')).toContainText(`${Math.ceil(1500 / SYNC_CHUNK_OPS)} changes waiting`);

    // Meanwhile someone on the Portal takes one of the emails.
    await must(portalCore, 'users.create', { orgId: seed.clientIds[0], name: 'Portal Person', email: 'person7@client.example', roleId: OPERATOR });

    await must(core, 'sync.setOffline', { offline: false });
    await page.getByTestId('sync-indicator').click();
    const panel = page.getByRole('dialog', { name: 'Portal sync' });
    await panel.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-conflicts-badge')).toHaveText('1 to review', { timeout: 30_000 });
    const refused = panel.getByTestId('sync-conflicts').getByRole('listitem').first();
    await expect(refused).toContainText('Refused by the Portal');
    await expect(refused).toContainText('Person 7 <person7@client.example>');
    await expect(refused).toContainText('email');
    await expect(refused).toContainText(/already/i);

    const onPortal = await must<{ total: number }>(portalCore, 'users.list', { orgId: seed.clientIds[0], query: 'person' });
    expect(onPortal.total).toBe(ROWS); // 1,499 imported + the Portal's own person7
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    await expect(panel.getByText('Nothing to review: every change landed.')).toBeVisible();
  } finally {
    await page.context().close();
    await host.close();
    await core.close();
    await portal.close();
    await portalCore.close();
    await rm(consoleDir, { recursive: true, force: true });
    await rm(portalDir, { recursive: true, force: true });
  }
});
