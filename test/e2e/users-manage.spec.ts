import type { Page } from '@playwright/test';
import { test, expect, openUsers, orgByName } from './fixtures.ts';

const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });

test('create, edit, bulk-deactivate, enable email login, delete; a duplicate email is refused on the field', async ({ app: page, console: c }) => {
  const contoso = await orgByName(c, 'Contoso Pharma');
  await openUsers(page, 'contoso pharma', 'Contoso Pharma');
  const grid = page.getByRole('grid', { name: 'Users of Contoso Pharma' });
  await expect(grid.getByRole('row', { name: /Megan Bowen/ })).toBeVisible();
  const row = (name: string | RegExp) => grid.getByRole('row', { name: typeof name === 'string' ? new RegExp(name) : name });

  // New user, in a sub-organization, with email login.
  await page.getByRole('button', { name: '+ New user' }).click();
  let dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('Enter a name for the user.');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Grace Hopper');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('grace.hopper@contoso-pharma.example');
  await dialog.getByLabel('Role').selectOption({ label: 'Operator' });
  await dialog.getByLabel('Organization').selectOption({ label: 'Contoso Pharma / Contoso Research' });
  await dialog.getByRole('checkbox', { name: 'Enable email/password login' }).check();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(toast(page)).toContainText('Created Grace Hopper');
  // She is in Contoso Research: shown once sub-organizations are included.
  await expect(row('Grace Hopper')).toHaveCount(0);
  await page.getByText('Include sub-organizations').click();
  await expect(row('Grace Hopper')).toContainText('Contoso Research');
  await expect(row('Grace Hopper')).toContainText('Email and password');
  await expect(row('Grace Hopper').getByRole('gridcell').nth(7)).toHaveText('Yes');

  // A duplicate email (any case) is explained under the Email field by the core.
  await page.getByRole('button', { name: '+ New user' }).click();
  dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Alex Again');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('ALEX.WILBER@contoso-pharma.example');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription('Another user of this organization already has this email address.');
  await expect(dialog.getByRole('textbox', { name: 'Email' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Edit: rename and move her to the main organization.
  await row('Grace Hopper').getByRole('button', { name: 'Grace Hopper' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit Grace Hopper' });
  await expect(dialog.getByLabel('Organization')).toHaveValue((await c.call('users.list', { orgId: contoso.id, includeSubOrgs: true, query: 'grace' })).items[0]!.orgId);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Grace B. Hopper');
  await dialog.getByLabel('Organization').selectOption({ label: 'Contoso Pharma' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(toast(page)).toContainText('Saved Grace B. Hopper');
  await expect(row('Grace B. Hopper').getByRole('gridcell').nth(4)).toHaveText('Contoso Pharma');

  // Someone else renames her meanwhile: saving another name is a conflict, and Reload shows theirs.
  await row('Grace B. Hopper').getByRole('button', { name: 'Grace B. Hopper' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit Grace B. Hopper' });
  const grace = (await c.call('users.list', { orgId: contoso.id, includeSubOrgs: true, query: 'grace' })).items[0]!;
  await c.call('users.update', { id: grace.id, baseVersion: grace.version, changes: { name: 'Grace Brewster Hopper' } });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Amazing Grace');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Someone changed');
  await dialog.getByRole('button', { name: 'Reload' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('Grace Brewster Hopper');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Grace B. Hopper');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row('Grace B. Hopper')).toBeVisible();

  // Sorting by email is announced on the column header.
  await grid.getByRole('button', { name: 'Email', exact: true }).click();
  await expect(grid.getByRole('columnheader', { name: 'Email', exact: true })).toHaveAttribute('aria-sort', 'ascending');
  await expect(grid.getByRole('columnheader', { name: 'Name', exact: true })).toHaveAttribute('aria-sort', 'none');
  await grid.getByRole('button', { name: 'Name', exact: true }).click();
  await expect(grid.getByRole('columnheader', { name: 'Name', exact: true })).toHaveAttribute('aria-sort', 'ascending');

  // Bulk: deactivate two users.
  await grid.getByRole('checkbox', { name: 'Select Alex Wilber' }).check();
  await grid.getByRole('checkbox', { name: 'Select Diego Siciliani' }).check();
  const bulk = page.getByRole('region', { name: 'Selected users' });
  await expect(bulk).toContainText('2 users selected');
  await bulk.getByRole('button', { name: 'Deactivate' }).click();
  await expect(toast(page)).toContainText('2 users deactivated');
  await expect(row('Alex Wilber')).toContainText('Deactivated');
  await expect(row('Diego Siciliani')).toContainText('Deactivated');
  await expect(row('Megan Bowen')).toContainText('Active');
  await bulk.getByRole('button', { name: 'Clear selection' }).click();
  await expect(bulk).toHaveCount(0);

  // Email login for a range picked with shift-click (Grace B. Hopper .. Megan Bowen = 3 rows by name).
  await grid.getByRole('checkbox', { name: 'Select Grace B. Hopper' }).click();
  await grid.getByRole('checkbox', { name: 'Select Megan Bowen' }).click({ modifiers: ['Shift'] });
  await expect(bulk).toContainText('3 users selected');
  await expect(grid.getByRole('checkbox', { name: 'Select Isaiah Langer' })).toBeChecked();
  await bulk.getByRole('button', { name: 'Email login actions' }).click();
  await page.getByRole('menuitem', { name: 'Enable email login' }).click();
  await expect(toast(page)).toContainText('Email login enabled for 2 users');
  await expect(row('Isaiah Langer').getByRole('gridcell').nth(7)).toHaveText('Yes');
  await expect(row('Megan Bowen').getByRole('gridcell').nth(7)).toHaveText('Yes');
  await expect(row('Alex Wilber').getByRole('gridcell').nth(7)).toHaveText('No');
  await bulk.getByRole('button', { name: 'Clear selection' }).click();

  // Keyboard: arrows move the row focus, Space ticks, Enter opens.
  await grid.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(grid.getByRole('checkbox', { name: 'Select Diego Siciliani' })).toBeChecked();
  await expect(grid.getByRole('row', { selected: true })).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Edit Diego Siciliani' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('Space'); // focus is back on the grid: untick
  await expect(bulk).toHaveCount(0);

  // Delete with a confirmation that says how many and that it cannot be undone.
  await grid.getByRole('checkbox', { name: 'Select Grace B. Hopper' }).check();
  await bulk.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete 1 user?' });
  await expect(confirm).toContainText('This cannot be undone.');
  await confirm.getByRole('button', { name: 'Delete 1 user' }).click();
  await expect(toast(page)).toContainText('1 user deleted');
  await expect(row('Grace B. Hopper')).toHaveCount(0);
  const left = await c.call('users.list', { orgId: contoso.id, includeSubOrgs: true });
  expect(left.items.map((u) => u.name).sort()).toEqual(['Alex Wilber', 'Diego Siciliani', 'Isaiah Langer', 'Megan Bowen']);
  expect(left.items.filter((u) => u.status === 'deactivated').map((u) => u.name).sort()).toEqual(['Alex Wilber', 'Diego Siciliani']);

  // Filters: an empty result says so and offers to clear.
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Archived' });
  await expect(page.getByText('No users match these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.getByRole('searchbox', { name: 'Search users' }).fill('siciliani');
  await expect(grid.getByRole('row')).toHaveCount(2);
  await expect(row('Diego Siciliani')).toBeVisible();
});

test('an organization without users invites to add one or import a spreadsheet', async ({ app: page }) => {
  await openUsers(page, 'tailspin stores', 'Tailspin Stores');
  await expect(page.getByText('No users yet — add one or import a spreadsheet')).toBeVisible();
  await page.getByRole('button', { name: 'Import…' }).last().click();
  const dialog = page.getByRole('dialog', { name: 'Import users into Tailspin Stores' });
  // The drop zone's Choose file is a real button reachable by keyboard.
  await expect(dialog.getByRole('button', { name: 'Choose file' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
