import type { Page } from '@playwright/test';
import { test, expect, orgByName, switchTo } from './fixtures.ts';

const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });
const row = (page: Page, table: string, name: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('Microservices: folder name rule, a new microservice from the category list, deleting a category, inheritance, switching categories off', async ({ app: page, console: c }) => {
  test.setTimeout(120_000); // a long path on a machine shared with other test runs
  await switchTo(page, 'contoso pharma', 'Contoso Pharma');
  await page.getByRole('tab', { name: 'Microservices' }).click();

  // The folder name: the rule is said under the field before anything is sent; a good one saves.
  const folder = page.getByRole('textbox', { name: 'Microservices folder name' });
  await expect(folder).toHaveValue('Contoso-Apps');
  await folder.fill('Contoso apps!');
  await folder.blur();
  await expect(folder).toHaveAccessibleDescription(
    'The folder name must be 3 to 50 characters long and use only letters, digits, hyphens (-) and underscores (_).',
  );
  await folder.fill('Contoso_Apps');
  await page.keyboard.press('Control+s');
  await expect(toast(page)).toContainText('Microservices settings saved');
  await expect(page.getByTestId('last-update')).toContainText('Last updated');
  const contoso = await orgByName(c, 'Contoso Pharma');
  expect((await c.call('microservices.get', { orgId: contoso.id })).folderName).toBe('Contoso_Apps');

  // A new microservice: its category comes from the predefined list.
  await page.getByRole('button', { name: 'New microservice' }).click();
  const dialog = page.getByRole('dialog', { name: 'New microservice' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Restart agent');
  await dialog.getByRole('textbox', { name: 'Description' }).fill('Restarts the endpoint agent.');
  const category = dialog.getByRole('combobox', { name: 'Category' });
  await expect(category.getByRole('option')).toHaveText(['(no category)', 'Maintenance', 'Network', 'Security']);
  await category.selectOption({ label: 'Security' });
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(toast(page)).toContainText('Microservice “Restart agent” created');
  await expect(row(page, 'Microservices of this organization', 'Restart agent')).toContainText('Security');
  await expect(row(page, 'Categories', 'Security')).toContainText('2');

  // Deleting a category says how many microservices it uncategorizes (Network: one here, one in Contoso Research).
  await page.getByRole('button', { name: 'Delete category Network' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the category “Network”?' });
  await expect(confirm).toContainText('The 2 microservices in it will become uncategorized.');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(toast(page)).toContainText('Category deleted; 2 microservices are now uncategorized');
  await expect(row(page, 'Categories', 'Network')).toHaveCount(0);
  await expect(row(page, 'Microservices of this organization', 'Reset VPN profile')).toContainText('Uncategorized');

  // A sub-organization inherits the switch and the list, read-only, saying where they are set.
  await switchTo(page, 'contoso research', 'Contoso Research');
  await expect(page.getByRole('switch', { name: 'Use predefined categories' })).toBeDisabled();
  await expect(page.getByRole('switch', { name: 'Use predefined categories' })).toBeChecked();
  await expect(page.getByRole('note')).toContainText('Predefined categories are set in the main organization, Contoso Pharma');
  await expect(page.getByRole('button', { name: /Delete category/ })).toHaveCount(0);
  await expect(row(page, 'Microservices of this organization', 'Flush DNS')).toContainText('Uncategorized');
  await expect(row(page, 'Microservices of this organization', 'Repair Office')).toContainText('Maintenance');
  await page.getByRole('button', { name: 'Open Contoso Pharma' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contoso Pharma' })).toBeVisible();

  // Switching categories off: warned with the count (tree-wide), then every association is removed.
  await page.getByText('Use predefined categories', { exact: true }).click();
  const off = page.getByRole('dialog', { name: 'Turn off predefined categories?' });
  await expect(off).toContainText('4 microservices will become uncategorized');
  await off.getByRole('button', { name: 'Turn off' }).click();
  await expect(toast(page)).toContainText('Predefined categories turned off; 4 microservices lost their category');
  await expect(page.getByRole('heading', { name: 'Categories' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Microservices of this organization' }).getByText('Uncategorized')).toHaveCount(5);
  const research = await orgByName(c, 'Contoso Research');
  expect((await c.call('microservices.get', { orgId: research.id })).items.every((m) => m.categoryId === null)).toBe(true);
});

test('Reports: categories table, new and edited category, View audit log filtered to report entries', async ({ app: page }) => {
  await switchTo(page, 'contoso pharma', 'Contoso Pharma');
  await page.getByRole('tab', { name: 'Reports' }).click();
  await expect(page.getByRole('switch', { name: 'Use predefined report categories' })).toBeChecked();
  const table = page.getByRole('table', { name: 'Report categories' });
  await expect(table.getByRole('columnheader')).toHaveText(['Name', 'Description', 'Queries', 'Created on', 'Created by', 'Updated on', 'Actions']);
  await expect(row(page, 'Report categories', 'Usage')).toContainText('3');

  await page.getByRole('button', { name: 'New category' }).click();
  const create = page.getByRole('dialog', { name: 'New report category' });
  await create.getByRole('textbox', { name: 'Name' }).fill('usage');
  await create.getByRole('textbox', { name: 'Queries' }).fill('Failed sign-ins\n\nLocked accounts\n');
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(create.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('There is already a report category with this name.');
  await create.getByRole('textbox', { name: 'Name' }).fill('Sign-ins');
  await create.getByRole('textbox', { name: 'Description' }).fill('Who signed in and who could not.');
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(toast(page)).toContainText('Report category “Sign-ins” created');
  await expect(row(page, 'Report categories', 'Sign-ins')).toContainText('Who signed in and who could not.');
  await expect(row(page, 'Report categories', 'Sign-ins').getByRole('cell').nth(1)).toHaveText('2');

  await page.getByRole('button', { name: 'Edit Usage' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit report category' });
  await expect(edit.getByRole('textbox', { name: 'Queries' })).toHaveValue('Sessions per day\nTop applications\nPeak hours');
  await edit.getByRole('textbox', { name: 'Queries' }).fill('Sessions per day');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(toast(page)).toContainText('Report category “Usage” saved');
  await expect(row(page, 'Report categories', 'Usage').getByRole('cell').nth(1)).toHaveText('1');

  // View audit log: the Audit tab, filtered to the report entries only (the sample's creation is not among them).
  await page.getByRole('button', { name: 'View audit log' }).click();
  await expect(page.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('audit-scope')).toContainText('Report categories');
  const audit = page.getByRole('table', { name: 'Audit' });
  await expect(audit.getByRole('row')).toHaveCount(3);
  await expect(audit.getByRole('row').filter({ hasText: 'Sign-ins' })).toHaveCount(1);
  await expect(audit.getByText('reportCategory')).toHaveCount(2);
  // Removing the scope shows everything again.
  await page.getByTestId('audit-scope').getByRole('button', { name: 'Clear filters' }).click();
  await expect(audit.getByRole('row').filter({ hasText: 'Sample data created' }).first()).toBeVisible();
  await expect(page.getByTestId('audit-scope')).toHaveCount(0);
});

test('Modules: https only, a new custom module, the Home preview with View more, moving a module to Secondary', async ({ app: page }) => {
  await switchTo(page, 'contoso pharma', 'Contoso Pharma');
  await page.getByRole('tab', { name: 'Modules' }).click();
  await expect(page.getByRole('table', { name: 'Modules' }).getByRole('columnheader')).toHaveText(['Name', 'URL', 'Visibility', 'Actions']);
  const preview = page.getByTestId('home-preview');
  await expect(preview.getByRole('list', { name: 'Featured' }).getByRole('listitem')).toHaveText(['LLab intranet', 'SSelf-service', 'WWorkspaces']);
  await expect(preview.getByRole('list', { name: 'Secondary' })).toHaveCount(0);

  await page.getByRole('button', { name: 'New custom module' }).click();
  const dialog = page.getByRole('dialog', { name: 'New custom module' });
  await dialog.getByRole('textbox', { name: 'Label' }).fill('Helpdesk');
  const url = dialog.getByRole('textbox', { name: 'URL' });
  await url.fill('http://helpdesk.contoso-pharma.example');
  await url.blur();
  await expect(url).toHaveAccessibleDescription('The URL must start with https://.');
  await url.fill('https://helpdesk.contoso-pharma.example');
  await dialog.getByRole('radio', { name: /Secondary/ }).check();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(toast(page)).toContainText('Module “Helpdesk” created');
  await expect(row(page, 'Modules', 'Helpdesk')).toContainText('Secondary');

  await preview.getByRole('button', { name: 'View more (3)' }).click();
  await expect(preview.getByRole('list', { name: 'Secondary' }).getByRole('listitem')).toHaveText(['AAnalyzer', 'HHelpdesk', 'IIT knowledge base']);

  // The detail of a built-in module: relabel and move it to Secondary (no Delete for built-ins).
  await expect(page.getByRole('button', { name: 'Delete Workspaces' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Edit Workspaces' }).click();
  const detail = page.getByRole('dialog', { name: 'Module “Workspaces”' });
  await detail.getByRole('radio', { name: /Secondary/ }).check();
  await detail.getByRole('button', { name: 'Save changes' }).click();
  await expect(toast(page)).toContainText('Module “Workspaces” saved');
  await expect(preview.getByRole('list', { name: 'Featured' }).getByRole('listitem')).toHaveText(['LLab intranet', 'SSelf-service']);
  await expect(preview.getByRole('list', { name: 'Secondary' }).getByRole('listitem')).toHaveCount(4);

  // A custom module can be deleted, after a confirmation.
  await page.getByRole('button', { name: 'Delete Helpdesk' }).click();
  await page.getByRole('dialog', { name: 'Delete the module “Helpdesk”?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(toast(page)).toContainText('Module “Helpdesk” deleted');
  await expect(row(page, 'Modules', 'Helpdesk')).toHaveCount(0);
});
