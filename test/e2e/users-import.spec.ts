import { test, expect, dropFileOn, downloadBytes, openUsers, orgByName, usersCsv, xlsxText, PNG_2X2 } from './fixtures.ts';

const toast = (page: import('@playwright/test').Page) => page.getByRole('status', { name: 'Notifications' });

test('drop a CSV on the Users tab: preview, dry run changes nothing, import, error report', async ({ app: page, console: c }) => {
  const org = await orgByName(c, 'Fabrikam Logística');
  await openUsers(page, 'fabrikam log', 'Fabrikam Logística');
  const grid = page.getByRole('grid', { name: 'Users of Fabrikam Logística' });
  await expect(grid.getByRole('row')).toHaveCount(3); // header + João Pereira + Ana Souza
  await expect(page.getByRole('heading', { level: 2, name: 'Users 2' })).toBeVisible();

  const csv = usersCsv([
    ['Carla Mendes', 'carla.mendes@fabrikam-log.example', 'Operator', '', 'Sales'],
    ['Rui Tavares', 'rui.tavares@fabrikam-log.example', 'Read-only', 'Fabrikam São Paulo', 'Ops'],
    ['Ana Souza Lima', 'ana.souza@fabrikam-log.example', 'Organization Administrator', '', 'Ops'],
    ['Broken Row', 'not-an-email', 'Operator', '', 'Ops'],
  ], ['Name', 'Email', 'Role', 'Organization', 'Team']);

  // Dragging a file over the tab shows the drop overlay; dropping opens the import with the file uploaded.
  await dropFileOn(page, grid, 'people.csv', 'text/csv', csv, async () => {
    await expect(page.getByText('Drop to import users into Fabrikam Logística')).toBeVisible();
  });
  await expect(page.getByText('Drop to import users into Fabrikam Logística')).toHaveCount(0);
  const dialog = page.getByRole('dialog', { name: 'Import users into Fabrikam Logística' });
  await expect(dialog.getByText('people.csv')).toBeVisible();
  // It previews at once with the default options: the existing user is left alone.
  const preview = dialog.getByRole('table', { name: 'Preview of the rows' });
  await expect(preview.getByRole('row', { name: /Ana Souza Lima/ })).toContainText('Skip');
  await expect(preview.getByRole('row', { name: /Carla Mendes/ })).toContainText('Create');
  await dialog.getByRole('checkbox', { name: /Update existing users/ }).check();
  await expect(dialog.getByRole('note')).toHaveText('The options changed since this result: preview again to see what they do.');
  await dialog.getByRole('button', { name: 'Preview (dry run)' }).click();
  await expect(dialog.getByRole('note')).toHaveCount(0);

  // The dry run: counts for the whole file, the ignored column, and each row marked with its error.
  await expect(dialog.getByText('Dry run of people.csv (4 rows): nothing was changed.', { exact: false })).toBeVisible();
  const counts = dialog.locator('.import-counts');
  await expect(counts.getByText('Will create', { exact: true }).locator('..')).toContainText('2');
  await expect(counts.getByText('Will update', { exact: true }).locator('..')).toContainText('1');
  await expect(counts.getByText('Will restore', { exact: true }).locator('..')).toContainText('0');
  await expect(counts.getByText('Errors', { exact: true }).locator('..')).toContainText('1');
  await expect(dialog.getByText(/Column E \("Team"\) is not a users column/)).toBeVisible();
  await expect(preview.getByRole('row', { name: /Carla Mendes/ })).toContainText('Create');
  await expect(preview.getByRole('row', { name: /Rui Tavares/ })).toContainText('Fabrikam São Paulo');
  await expect(preview.getByRole('row', { name: /Ana Souza Lima/ })).toContainText('Update');
  await expect(preview.getByRole('row', { name: /Ana Souza Lima/ })).toContainText('Changes: name, role');
  await expect(preview.getByRole('row', { name: /Broken Row/ })).toContainText('Error');
  await expect(preview.getByRole('row', { name: /Broken Row/ })).toContainText('"not-an-email" is not a valid email address');

  // Nothing changed: the table still has the same two users.
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toHaveCount(0);
  await expect(grid.getByRole('row')).toHaveCount(3);
  await expect(grid.getByText('Carla Mendes')).toHaveCount(0);
  await expect(grid.getByRole('row', { name: /ana\.souza@/ })).toContainText('Ana Souza');
  expect((await c.call('users.list', { orgId: org.id, includeSubOrgs: true })).total).toBe(2);

  // The real import (dropped again: the file went with the dialog).
  await dropFileOn(page, grid, 'people.csv', 'text/csv', csv);
  await dialog.getByRole('checkbox', { name: /Update existing users/ }).check();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByText('Import of people.csv finished (4 rows).')).toBeVisible();
  await expect(counts.getByText('Created', { exact: true }).locator('..')).toContainText('2');
  await expect(counts.getByText('Updated', { exact: true }).locator('..')).toContainText('1');
  await expect(counts.getByText('Errors (not imported)').locator('..')).toContainText('1');
  await expect(toast(page)).toContainText('Import finished: 3 users created or updated');

  // The error report is an .xlsx with the failed row and the reason.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Download error report (.xlsx)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('people-errors.xlsx');
  const report = await downloadBytes(download);
  expect(report.subarray(0, 2).toString('latin1')).toBe('PK');
  const strings = await xlsxText(report);
  expect(strings).toContain('not-an-email');
  expect(strings).toContain('"not-an-email" is not a valid email address');

  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(grid.getByRole('row', { name: /Carla Mendes/ })).toContainText('Operator');
  await expect(grid.getByRole('row', { name: /ana\.souza@/ })).toContainText('Ana Souza Lima');
  await expect(grid.getByRole('row', { name: /ana\.souza@/ })).toContainText('Organization Administrator');
  await expect(grid.getByRole('row', { name: /Carla Mendes/ })).toContainText('Import');
  await expect(grid.getByText('Rui Tavares')).toHaveCount(0);
  await page.getByText('Include sub-organizations').click();
  await expect(grid.getByRole('row', { name: /Rui Tavares/ })).toContainText('Fabrikam São Paulo');
  await expect(page.getByRole('heading', { level: 2, name: 'Users 4' })).toBeVisible();
});

test('a long import can be cancelled and nothing changes; files the core refuses say why', async ({ app: page, console: c }) => {
  test.setTimeout(90_000);
  const org = await orgByName(c, 'Tailspin Toys');
  await openUsers(page, 'tailspin toys', 'Tailspin Toys');
  const grid = page.getByRole('grid', { name: 'Users of Tailspin Toys' });
  await expect(grid.getByRole('row')).toHaveCount(2);

  // A file that is not a spreadsheet (a PNG named .xlsx): the core's reason, and nothing changed.
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import users into Tailspin Toys' });
  const input = dialog.getByLabel('Spreadsheet to import');
  await input.setInputFiles({ name: 'users.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: PNG_2X2 });
  await expect(dialog.getByRole('alert')).toContainText('not a spreadsheet');
  await expect(dialog.getByRole('alert')).toContainText('Nothing was changed.');
  // Trying the real import says the same.
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('not a spreadsheet');
  await expect(dialog.getByRole('alert')).toContainText('Nothing was changed.');

  // A CSV without the Email column.
  await input.setInputFiles({ name: 'names.csv', mimeType: 'text/csv', buffer: usersCsv([['Only Name', '555-1234']], ['Name', 'Phone']) });
  await expect(dialog.getByRole('alert')).toContainText('The file has no "Email" column.');

  // 60,000 rows: upload with progress, start, cancel while it runs.
  const rows = Array.from({ length: 60_000 }, (_, i) => [`Bulk Person ${String(i).padStart(5, '0')}`, `bulk${i}@tailspin.example`, 'Operator']);
  await input.setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: usersCsv(rows) });
  await expect(dialog.getByText('big.csv')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Import', exact: true })).toBeEnabled();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const progress = dialog.getByRole('progressbar', { name: 'Importing users' });
  await expect(progress).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByText('Import cancelled. Nothing was changed.')).toBeVisible({ timeout: 20_000 });
  await expect(progress).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  await expect(grid.getByRole('row')).toHaveCount(2);
  await expect(grid.getByRole('row', { name: /Nestor Wilke/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Users 1' })).toBeVisible();
  expect((await c.call('users.list', { orgId: org.id, includeSubOrgs: true })).total).toBe(1);
});
