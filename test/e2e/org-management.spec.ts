import { test, expect, switchTo, orgByName } from './fixtures.ts';

test('delete asks for the typed name and shows the core refusal when there are children', async ({ app: page }) => {
  await switchTo(page, 'tailspin toys', 'Tailspin Toys');
  await page.getByRole('button', { name: 'Delete organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Tailspin Toys”?' });
  const confirm = dialog.getByRole('button', { name: 'Delete', exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Organization name').fill('Tailspin Toys');
  await confirm.click();
  await expect(dialog.getByRole('alert')).toHaveText('Delete or move its 1 sub-organizations first.');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // A leaf can go; the console moves to its parent.
  await switchTo(page, 'tailspin st', 'Tailspin Stores');
  await page.getByRole('button', { name: 'Delete organization' }).click();
  const leaf = page.getByRole('dialog', { name: 'Delete “Tailspin Stores”?' });
  await leaf.getByLabel('Organization name').fill('Tailspin Stores');
  await leaf.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Deleted Tailspin Stores');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tailspin Toys');
  await expect(page.getByRole('tree').getByRole('treeitem', { name: 'Tailspin Stores' })).toHaveCount(0);
});

test('a client moves to another partner after confirming', async ({ app: page, console: c }) => {
  await c.call('org.create', { type: 'partner', parentId: null, name: 'Blue Yonder MSP', email: 'ops@blueyonder.example', language: 'en', country: 'US', sector: 'technology' });
  await switchTo(page, 'tailspin toys', 'Tailspin Toys');
  await page.getByRole('combobox', { name: 'Partner' }).selectOption({ label: 'Blue Yonder MSP' });
  const dialog = page.getByRole('dialog', { name: 'Move to another partner?' });
  await expect(dialog).toContainText('“Tailspin Toys” and its sub-organizations will be managed by “Blue Yonder MSP”');
  await dialog.getByRole('button', { name: 'Move' }).click();
  await expect(page.getByRole('status')).toContainText('Moved to Blue Yonder MSP');
  await expect(page.getByRole('navigation', { name: 'Organization path' })).toContainText('Blue Yonder MSP');
  const moved = await orgByName(c, 'Tailspin Toys');
  const partner = await orgByName(c, 'Blue Yonder MSP');
  expect(moved.parentId).toBe(partner.id);
});

test('an edit based on an old version shows the conflict with a Reload button', async ({ app: page, console: c }) => {
  await switchTo(page, 'contoso ph', 'Contoso Pharma');
  await page.getByLabel('Contact email').fill('mine@contoso-pharma.example');
  // Someone else changes the same field meanwhile.
  const org = await orgByName(c, 'Contoso Pharma');
  const detail = await c.call('org.get', { id: org.id });
  await c.call('org.updateGeneral', { id: org.id, baseVersion: detail.version, changes: { email: 'theirs@contoso-pharma.example' } });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Someone changed email since you opened it');
  await alert.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByLabel('Contact email')).toHaveValue('theirs@contoso-pharma.example');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the tree is keyboard navigable and a new client is created under the current partner', async ({ app: page }) => {
  const tree = page.getByRole('tree', { name: 'Organization tree' });
  await tree.focus();
  await page.keyboard.press('ArrowDown'); // Contoso Pharma
  await page.keyboard.press('ArrowRight'); // expand
  await expect(tree.getByRole('treeitem', { name: 'Contoso Pharma' })).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight'); // first child
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contoso Manufacturing');
  await page.keyboard.press('ArrowLeft'); // back to parent
  await page.keyboard.press('ArrowLeft'); // collapse
  await expect(tree.getByRole('treeitem', { name: 'Contoso Pharma' })).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northwind IT Services (sample)');

  await page.getByRole('button', { name: '+ New organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'New organization' });
  await expect(dialog.getByLabel('Type')).toHaveValue('client');
  await dialog.getByLabel('Name', { exact: true }).fill('Contoso Pharma');
  await dialog.getByLabel('Contact email').fill('x@y');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByLabel('Contact email')).toHaveAccessibleDescription('Enter a valid email address, like name@example.com.');
  await expect(dialog.getByLabel('Country')).toHaveAccessibleDescription('Choose a country from the list.');
  await dialog.getByLabel('Contact email').fill('it@litware.example');
  await dialog.getByLabel('Country').selectOption('PT');
  await dialog.getByRole('button', { name: 'Create' }).click();
  // The core refuses a duplicate name at the same place; its message shows under Name.
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('Another organization at the same place already has this name.');
  await dialog.getByLabel('Name', { exact: true }).fill('Litware Portugal');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Litware Portugal');
  await expect(page.getByRole('navigation', { name: 'Organization path' })).toContainText('Northwind IT Services (sample)');
});
