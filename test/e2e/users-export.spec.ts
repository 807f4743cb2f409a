import type { Page } from '@playwright/test';
import { test, expect, downloadBytes, openUsers, xlsxText } from './fixtures.ts';

async function download(page: Page, button: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return { name: file.suggestedFilename(), bytes: await downloadBytes(file) };
}

test('export .xlsx and .csv download the users; the template too; the UI language names the columns', async ({ app: page }) => {
  await openUsers(page, 'contoso pharma', 'Contoso Pharma');
  await page.getByText('Include sub-organizations').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Users 4' })).toBeVisible();

  const csv = await download(page, 'Export .csv');
  expect(csv.name).toMatch(/^Contoso-Pharma-users-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = csv.bytes.toString('utf8').replace(/^\uFEFF/, '');
  expect(text.split(/\r?\n/)[0]).toMatch(/^Name,Email,Role,Organization,Status/);
  for (const email of ['megan.bowen@', 'alex.wilber@', 'diego.siciliani@', 'isaiah.langer@']) expect(text).toContain(email);
  expect(text).toContain('Contoso Pharma / Contoso Research');
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(/Exported 4 users to Contoso-Pharma-users-.*\.csv/);

  const xlsx = await download(page, 'Export .xlsx');
  expect(xlsx.name).toMatch(/\.xlsx$/);
  expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const cells = await xlsxText(xlsx.bytes);
  expect(cells).toContain('Megan Bowen');
  expect(cells).toContain('isaiah.langer@contoso-pharma.example');

  const template = await download(page, 'Download template');
  expect(template.name).toBe('orgdesk-users-template.xlsx');
  expect(template.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  expect(await xlsxText(template.bytes)).toContain('Email');

  // In Spanish, the export's headers are Spanish too.
  await page.getByRole('button', { name: /Profile and language/ }).click();
  await page.getByRole('dialog').getByLabel('Interface language').selectOption({ label: 'Español' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('tab', { name: 'Usuarios' })).toHaveAttribute('aria-selected', 'true');
  const es = await download(page, 'Exportar .csv');
  expect(es.bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toMatch(/^Nombre,Correo electrónico,Rol/);
  await expect(page.getByRole('status', { name: 'Notificaciones' })).toContainText('Se exportaron');
});
