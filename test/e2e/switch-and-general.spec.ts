import { test, expect, switchTo, orgByName } from './fixtures.ts';

test('switch organization with Ctrl+K type-ahead and land on its General tab', async ({ app: page }) => {
  await switchTo(page, 'tailspin to', 'Tailspin Toys');
  await expect(page.getByRole('tab', { name: 'General' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Tailspin Toys');
  await expect(page.getByLabel('Contact email')).toHaveValue('admin@tailspin.example');
  // The header shows where it sits and what it is.
  const crumbs = page.getByRole('navigation', { name: 'Organization path' });
  await expect(crumbs).toContainText('Northwind IT Services (sample)');
  await expect(crumbs).toContainText('Tailspin Toys');
  await expect(page.locator('header').getByText('Client', { exact: true })).toBeVisible();

  // Accent-insensitive: "sao" finds "São"; the result shows its type and parent path.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('sao');
  const option = page.getByRole('listbox').getByRole('option').first();
  await expect(option).toContainText('Fabrikam São Paulo');
  await expect(option).toContainText('Sub-organization');
  await expect(option).toContainText('Northwind IT Services (sample) / Fabrikam Logística');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('combobox', { name: 'Search organizations…' })).toHaveCount(0);

  // Empty query: recent organizations, newest first.
  await page.keyboard.press('Control+k');
  await expect(page.getByText('Recent', { exact: true })).toBeVisible();
  await expect(page.getByRole('listbox').getByRole('option').first()).toContainText('Tailspin Toys');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northwind IT Services (sample)');
});

test('a bad email is refused under the field and nothing is saved; a good one saves', async ({ app: page, console: c }) => {
  await switchTo(page, 'contoso ph', 'Contoso Pharma');
  const email = page.getByLabel('Contact email');
  const save = page.getByRole('button', { name: 'Save', exact: true });
  await expect(save).toBeDisabled();

  await email.fill('it@contoso pharma');
  await save.click();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription('Enter a valid email address, like name@example.com.');
  await expect(page.getByRole('alert')).toContainText('Nothing was saved');

  // Reload: the stored value is the old one, and the audit log has no change.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contoso Pharma');
  await expect(page.getByLabel('Contact email')).toHaveValue('it@contoso-pharma.example');
  const org = await orgByName(c, 'Contoso Pharma');
  const audit = await c.call('audit.list', { orgId: org.id, action: 'org.updateGeneral' });
  expect(audit.items).toHaveLength(0);

  // A good change, saved with Ctrl+S, is confirmed and kept.
  await page.getByLabel('Contact email').fill('Security@Contoso-Pharma.example');
  await page.getByLabel('Description').fill('Pharmaceutical research and manufacturing.');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('status')).toContainText('Saved');
  await expect(page.getByLabel('Contact email')).toHaveValue('security@contoso-pharma.example');
  await expect(save).toBeDisabled();
  await page.reload();
  await expect(page.getByLabel('Contact email')).toHaveValue('security@contoso-pharma.example');
  await expect(page.getByLabel('Description')).toHaveValue('Pharmaceutical research and manufacturing.');
  const after = await c.call('audit.list', { orgId: org.id, action: 'org.updateGeneral' });
  expect(after.items).toHaveLength(1);
});
