import type { Page } from '@playwright/test';
import { test, expect, orgByName, switchTo } from './fixtures.ts';

const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });

test('create an API key, use it on the Portal, then revoke it', async ({ app: page, console: c, portal, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(c.host.url).origin });
  const contoso = await orgByName(c, 'Contoso Pharma');
  await switchTo(page, 'contoso pharma', 'Contoso Pharma');
  await page.getByRole('tab', { name: 'API Keys' }).click();
  await expect(page.getByText('No API keys yet. Create one to use the Portal REST API.')).toBeVisible();

  // The name is required: said under the field, which gets the focus.
  await page.getByRole('button', { name: '+ New API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'New API key' });
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const name = dialog.getByRole('textbox', { name: 'Name' });
  await expect(name).toHaveAccessibleDescription('Enter a name for the key.');
  await expect(name).toBeFocused();

  // A date in the past is refused by the core, under the date field.
  await name.fill('HR sync');
  await dialog.getByLabel('Role').selectOption({ label: 'Operator' });
  await dialog.getByRole('radio', { name: 'On a date' }).check();
  const date = dialog.getByLabel('Expiration date');
  await date.fill('2020-01-01');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  await expect(date).toHaveAccessibleDescription('The expiration date must be after today.');

  await dialog.getByRole('radio', { name: 'In 30 days' }).check();
  await dialog.getByRole('button', { name: 'Create key' }).click();

  // Shown once, copyable.
  const secretDialog = page.getByRole('dialog', { name: 'Copy your new API key' });
  await expect(secretDialog.getByText('This is the only time the key is shown.')).toBeVisible();
  const secret = await secretDialog.getByRole('textbox', { name: 'API key' }).inputValue();
  expect(secret).toMatch(/^odk_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
  await secretDialog.getByRole('button', { name: 'Copy' }).click();
  await expect(toast(page)).toContainText('API key copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(secretDialog).toHaveCount(0);

  // The table: name, Active, key ID (the public part of the key), role, dates.
  const table = page.getByRole('table', { name: 'API keys' });
  const row = table.getByRole('row', { name: /HR sync/ });
  await expect(row).toContainText('Active');
  await expect(row).toContainText('Operator');
  const keyId = secret.slice(4, 20);
  await expect(row.getByRole('cell').nth(1)).toHaveText(keyId);
  await expect(page.getByText(secret)).toHaveCount(0);

  // The key works on the Portal's REST API (the same core), for Contoso's tree.
  const call = () => fetch(`${portal.origin}/api/v1/organizations`, { headers: { Authorization: `Bearer ${secret}` } });
  const ok = await call();
  expect(ok.status).toBe(200);
  const orgs = (await ok.json()) as { items: { id: string }[] };
  expect(orgs.items.map((o) => o.id)).toContain(contoso.id);

  // Revoke, after a confirmation that names the key ID.
  await row.getByRole('button', { name: 'Revoke HR sync' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke "HR sync"?' });
  await expect(confirm).toContainText(keyId);
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(toast(page)).toContainText('Key "HR sync" revoked.');
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: 'Revoke HR sync' })).toHaveCount(0);

  // Both are in the audit log, the key by its name and public ID, and never the key itself.
  await page.getByRole('button', { name: 'View audit log' }).click();
  const audit = page.getByRole('table', { name: 'Audit' });
  await expect(audit.getByRole('row', { name: /API key created/ })).toContainText(`HR sync (${keyId})`);
  await expect(audit.getByRole('row', { name: /API key revoked/ })).toContainText(`HR sync (${keyId})`);
  await expect(page.getByText(secret.slice(21))).toHaveCount(0);

  const refused = await call();
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('This API key has been revoked.');
});
