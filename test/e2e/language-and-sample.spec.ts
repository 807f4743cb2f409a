import { test, expect } from './fixtures.ts';

test('switching the language to Español shows Spanish labels, and it is remembered', async ({ app: page }) => {
  await page.getByRole('button', { name: /Profile and language/ }).click();
  await page.getByRole('dialog').getByLabel('Interface language').selectOption({ label: 'Español' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('tab', { name: 'Marca' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Auditoría' })).toBeVisible();
  await expect(page.getByLabel('Correo de contacto')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Guardar', exact: true })).toBeDisabled();
  // Validation messages from the shared schemas are translated too.
  await page.getByLabel('Correo de contacto').fill('no es correo');
  await page.getByRole('button', { name: 'Guardar', exact: true }).click();
  await expect(page.getByLabel('Correo de contacto')).toHaveAccessibleDescription('Escriba una dirección de correo válida, como nombre@ejemplo.com.');
  await page.getByRole('button', { name: 'Descartar' }).click();
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Auditoría' })).toBeVisible();
});

test('removing the sample asks first, then leaves the empty state to create a partner', async ({ app: page, console: c }) => {
  await expect(page.getByText('This is sample data.')).toBeVisible();
  await page.getByRole('button', { name: 'Remove sample' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the sample organizations?' });
  await expect(dialog).toContainText('10 sample organizations');
  // Cancel keeps everything, and focus goes back to the button.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove sample' })).toBeFocused();
  expect((await c.call('app.info', {})).sampleOrganizations).toBe(10);

  await page.getByRole('button', { name: 'Remove sample' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove sample' }).click();
  await expect(page.getByRole('status')).toContainText('Sample removed: 10 organizations deleted.');
  await expect(page.getByText('This is sample data.')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No organizations yet' })).toBeVisible();
  expect((await c.call('app.info', {})).organizations).toBe(0);

  // Create the first partner from the empty state.
  await page.getByRole('button', { name: 'Create partner organization' }).click();
  const create = page.getByRole('dialog', { name: 'New organization' });
  await create.getByLabel('Name', { exact: true }).fill('Acme Managed Services');
  await create.getByLabel('Contact email').fill('ops@acme.example');
  await create.getByLabel('Country').selectOption('ES');
  await create.getByLabel('Sector').selectOption('technology');
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Managed Services');
  await expect(page.getByRole('tree').getByRole('treeitem', { name: 'Acme Managed Services' })).toBeVisible();
});

test('the operator edits their profile; a bad email is explained under the field', async ({ app: page, console: c }) => {
  await page.getByRole('button', { name: /Profile and language/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Profile and language' });
  await dialog.getByLabel('Your name').fill('Marta Ruiz');
  await dialog.getByLabel('Your email').fill('marta@');
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(dialog.getByLabel('Your email')).toHaveAccessibleDescription('Enter a valid email address, like name@example.com.');
  expect((await c.call('app.info', {})).profile.name).not.toBe('Marta Ruiz');
  await dialog.getByLabel('Your email').fill('marta@msp.example');
  await dialog.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status')).toContainText('Profile saved');
  await expect(page.getByRole('button', { name: /Profile and language: Marta Ruiz/ })).toContainText('marta@msp.example');
});
