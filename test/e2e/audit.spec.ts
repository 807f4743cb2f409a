import { readFile } from 'node:fs/promises';
import { test, expect, switchTo, orgByName } from './fixtures.ts';

test('audit shows before -> after of a General and a Branding change, filters by action, exports CSV', async ({ app: page, console: c }) => {
  // Arrange two changes through the core (the UI paths are covered by their own tests).
  const org = await orgByName(c, 'Contoso Pharma');
  const detail = await c.call('org.get', { id: org.id });
  await c.call('org.updateGeneral', { id: org.id, baseVersion: detail.version, changes: { email: 'security@contoso-pharma.example' } });
  await c.call('branding.update', { orgId: org.id, baseVersion: 0, palette: { primary: '#D9480F', secondary: '#0B1F44', accent: '#12B886' } });
  const brandingView = await c.call('branding.get', { orgId: org.id });
  await c.call('branding.update', { orgId: org.id, baseVersion: brandingView.version, palette: { ...brandingView.palette, accent: '#FFD43B' } });

  await switchTo(page, 'contoso ph', 'Contoso Pharma');
  await page.getByRole('tab', { name: 'Audit' }).click();
  const table = page.getByRole('table', { name: 'Audit' });
  const general = table.getByRole('row').filter({ hasText: 'General settings changed' });
  const branding = table.getByRole('row').filter({ hasText: 'Branding changed' });
  await expect(general).toContainText('Email it@contoso-pharma.example → security@contoso-pharma.example');
  // The first save replaced the default palette; the second changed one colour.
  await expect(branding.filter({ hasText: 'Primary colour' })).toContainText('Primary colour #1F5EFF → #D9480F');
  await expect(branding.filter({ hasText: 'Accent colour' })).toContainText('Accent colour #12B886 → #FFD43B');
  await expect(branding.filter({ hasText: 'Accent colour' })).not.toContainText('Primary colour');
  // Newest first: the branding changes are above the email change.
  const rows = table.getByRole('row');
  await expect(rows.nth(1)).toContainText('Accent colour');
  await expect(rows.nth(2)).toContainText('Primary colour');
  await expect(rows.nth(3)).toContainText('General settings changed');

  // Filter by action.
  await page.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Branding changed' });
  await expect(general).toHaveCount(0);
  await expect(branding).toHaveCount(2);
  await expect(table.getByRole('row')).toHaveCount(3); // header + two entries

  // Export what is shown.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^orgdesk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await file.path())!, 'utf8');
  expect(csv).toContain('branding.update');
  expect(csv).toContain('#D9480F');
  expect(csv).toContain('#FFD43B');
  expect(csv).not.toContain('security@contoso-pharma.example');
  await expect(page.getByRole('status')).toContainText('Exported');

  // Without the filter, the email change is exported too.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(general).toHaveCount(1);
  const download2 = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv2 = await readFile((await (await download2).path())!, 'utf8');
  expect(csv2).toMatch(/org\.updateGeneral,organization,Contoso Pharma,email,it@contoso-pharma\.example,security@contoso-pharma\.example/);
});

test('audit has an empty state for a filter that matches nothing', async ({ app: page }) => {
  await switchTo(page, 'tailspin st', 'Tailspin Stores');
  await page.getByRole('tab', { name: 'Audit' }).click();
  await expect(page.getByRole('table', { name: 'Audit' })).toBeVisible();
  await page.getByLabel('From').fill('2001-01-01');
  await page.getByLabel('To').fill('2001-01-02');
  await expect(page.getByText('No audit entries match.')).toBeVisible();
  await page.getByLabel('To').fill('2000-12-31');
  await expect(page.getByLabel('To')).toHaveAccessibleDescription('The end date is before the start date.');
});
