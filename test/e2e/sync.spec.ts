/**
 * Two consoles (two loopback hosts, two browser pages) and a Portal, each with its own database.
 * Console B's connection goes through a proxy that can take it offline. The same user is edited on
 * both while B is offline; once B reconnects, the conflict shows both values; keep mine; converge.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCoreWorker, type CoreClient } from '../../main/core/worker/core-client.ts';
import { startHost, type Host } from '../../main/host/host-server.ts';
import { startPortal, type Portal } from '../../main/portal/portal-server.ts';
import { must, seedPortal } from '../fixtures/sync/harness.ts';
import { startFaultProxy, type FaultProxy } from '../fixtures/sync/procs.ts';
import { openUsers } from './fixtures.ts';

const staticDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

interface Node { core: CoreClient; host?: Host; dir: string }

const test = base;

async function startConsole(): Promise<Node> {
  const dir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-sync-'));
  const core = await startCoreWorker({ dataDir: dir, seedSample: false });
  return { core, host: await startHost({ core, staticDir }), dir };
}

async function connectThroughUi(page: Page, url: string, token: string) {
  await page.getByTestId('sync-indicator').click();
  const dialog = page.getByRole('dialog', { name: 'Portal sync' });
  await dialog.getByRole('radio', { name: 'With a console token or API key' }).check();
  await dialog.getByRole('button', { name: 'Test and connect' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Portal address' })).toHaveAccessibleDescription('Enter the Portal address.');
  await dialog.getByRole('textbox', { name: 'Portal address' }).fill(url);
  await dialog.getByLabel('Console token or API key', { exact: true }).fill('odsync_wrong');
  await dialog.getByRole('button', { name: 'Test and connect' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The Portal refused this token. Ask for a new one.');
  await dialog.getByLabel('Console token or API key', { exact: true }).fill(token);
  await dialog.getByRole('button', { name: 'Test and connect' }).click();
  await expect(dialog.getByText('Signed in as')).toBeVisible();
  await page.keyboard.press('Escape');
}

test('two consoles edit the same user, one offline: the conflict shows both values, keep mine converges', async ({ browser }) => {
  const portalDir = await mkdtemp(join(tmpdir(), 'orgdesk-e2e-portal-'));
  const portalCore = await startCoreWorker({ dataDir: portalDir, seedSample: false });
  const seed = await seedPortal(portalCore, 1);
  const portal: Portal = await startPortal({ core: portalCore });
  const proxyB: FaultProxy = await startFaultProxy(portal.origin);
  const a = await startConsole();
  const b = await startConsole();
  const pageA = await (await browser.newContext()).newPage();
  const pageB = await (await browser.newContext()).newPage();
  try {
    await pageA.goto(a.host!.url);
    await pageB.goto(b.host!.url);
    // Standalone first: no organizations, "Not connected".
    await expect(pageA.getByTestId('sync-indicator')).toContainText('Not connected');
    await connectThroughUi(pageA, portal.origin, seed.token);
    await connectThroughUi(pageB, proxyB.origin, seed.token);
    for (const page of [pageA, pageB]) {
      await expect(page.getByRole('tree', { name: 'Organization tree' }).getByText('Client 1')).toBeVisible({ timeout: 20_000 });
      await expect(page.getByTestId('sync-indicator')).toContainText('Synced');
    }

    // B goes offline (its Portal connection is cut); both edit Ana 1's name.
    proxyB.offline = true;
    const user = seed.users[0]!;
    await openUsers(pageB, 'client 1', 'Client 1');
    const gridB = pageB.getByRole('grid', { name: 'Users of Client 1' });
    await gridB.getByRole('button', { name: 'Ana 1' }).click();
    let dialog = pageB.getByRole('dialog', { name: 'Edit Ana 1' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Ana from B');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(gridB.getByRole('button', { name: 'Ana from B' })).toBeVisible(); // shown at once, offline
    await expect(pageB.getByTestId('sync-indicator')).toContainText('1 change waiting');
    await expect(pageB.getByTestId('sync-indicator')).toContainText('Offline', { timeout: 15_000 });

    await openUsers(pageA, 'client 1', 'Client 1');
    const gridA = pageA.getByRole('grid', { name: 'Users of Client 1' });
    await gridA.getByRole('button', { name: 'Ana 1' }).click();
    dialog = pageA.getByRole('dialog', { name: 'Edit Ana 1' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Ana from A');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await must<{ name: string }>(portalCore, 'users.get', { id: user })).name, { timeout: 15_000 }).toBe('Ana from A');

    // B reconnects: its change conflicts; both values are shown.
    proxyB.offline = false;
    await pageB.getByTestId('sync-indicator').click();
    const panel = pageB.getByRole('dialog', { name: 'Portal sync' });
    await panel.getByTestId('sync-now').click();
    await expect(pageB.getByTestId('sync-conflicts-badge')).toHaveText('1 to review', { timeout: 20_000 });
    const conflict = panel.getByTestId('sync-conflicts').getByRole('listitem').first();
    await expect(conflict).toContainText('Changed on both sides');
    await expect(conflict.getByTestId('conflict-mine')).toHaveText('Ana from B');
    await expect(conflict.getByTestId('conflict-theirs')).toContainText('Ana from A');
    await expect(conflict.getByTestId('conflict-theirs')).toContainText('Tess Tech');
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await expect(panel.getByText('Nothing to review: every change landed.')).toBeVisible();
    await panel.getByTestId('sync-now').click();
    await pageB.keyboard.press('Escape');

    // Everyone converges on B's value.
    await expect.poll(async () => (await must<{ name: string }>(portalCore, 'users.get', { id: user })).name, { timeout: 15_000 }).toBe('Ana from B');
    await expect(gridB.getByRole('button', { name: 'Ana from B' })).toBeVisible();
    await pageA.focus('body');
    await must(a.core, 'sync.now', { wait: true });
    await expect(gridA.getByRole('button', { name: 'Ana from B' })).toBeVisible({ timeout: 15_000 });
    await expect(pageA.getByTestId('sync-indicator')).toContainText('Synced');
    await expect(pageB.getByTestId('sync-indicator')).not.toContainText('to review');
  } finally {
    await pageA.context().close();
    await pageB.context().close();
    for (const n of [a, b]) {
      await n.host?.close();
      await n.core.close();
      await rm(n.dir, { recursive: true, force: true });
    }
    await proxyB.close();
    await portal.close();
    await portalCore.close();
    await rm(portalDir, { recursive: true, force: true });
  }
});
