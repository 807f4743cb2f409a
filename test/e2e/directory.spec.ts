/**
 * Directory import in Chromium against a real OpenLDAP (slapd on 127.0.0.1, a free high port):
 * add a source, test the connection, preview the mapping, run an import, see the preview, apply,
 * accept some pending users and see them active in Users; change a user in the directory, run
 * again, see the update.
 */
import { test, expect, switchTo } from './fixtures.ts';
import { ADMIN_DN, ADMIN_PW, SUFFIX, startSlapd, uidOf, usersLdif, type Slapd } from '../fixtures/directory/slapd.ts';

let slapd: Slapd;
test.beforeAll(async () => {
  slapd = await startSlapd({ ldif: usersLdif(5) });
});
test.afterAll(async () => {
  await slapd?.stop();
});

test('add an OpenLDAP directory, import to pending, accept, and keep in step', async ({ app: page }) => {
  test.setTimeout(120_000);
  await switchTo(page, 'tailspin toys', 'Tailspin Toys');
  await page.getByRole('tab', { name: 'Directories' }).click();
  await expect(page.getByTestId('directories-empty')).toBeVisible();

  await page.getByRole('button', { name: 'Add directory' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add directory' });
  await dialog.getByRole('radio', { name: 'OpenLDAP' }).check();
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Tailspin LDAP');
  await dialog.getByRole('textbox', { name: 'Host', exact: true }).fill('127.0.0.1');
  await dialog.getByRole('combobox', { name: 'Security' }).selectOption('none');
  await dialog.getByRole('spinbutton', { name: 'Port' }).fill(String(slapd.port));
  await dialog.getByRole('textbox', { name: 'Bind DN or user' }).fill(ADMIN_DN);
  await dialog.getByLabel('Bind password').fill('wrong-password');
  await dialog.getByRole('textbox', { name: 'Base DN' }).fill(`ou=people,${SUFFIX}`);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('directory-test-result')).toContainText('The directory refused the bind DN or password.');
  await dialog.getByLabel('Bind password').fill(ADMIN_PW);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('directory-test-result')).toContainText('5 users match the filter');
  await dialog.getByRole('button', { name: 'Preview with real entries' }).click();
  await expect(dialog.getByTestId('directory-mapping-preview')).toContainText(`${uidOf(0)}@example.com`);
  await expect(dialog.getByTestId('directory-mapping-preview')).toContainText('Ana Silva 0');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('directory-card')).toContainText('Tailspin LDAP');

  // Run: a preview first, nothing applied until Apply.
  await page.getByRole('button', { name: 'Run import' }).click();
  const preview = page.getByRole('dialog', { name: 'What this run will change' });
  await expect(preview.getByTestId('directory-run-counts')).toContainText('5 entries read');
  await expect(preview.locator('[data-count="creates"]')).toContainText('5');
  await expect(preview.getByTestId('directory-plan-items').getByRole('row')).toHaveCount(6);
  await expect(page.getByTestId('directory-pending')).toContainText('No user is waiting for acceptance.');
  await preview.getByRole('button', { name: 'Apply' }).click();
  await expect(preview).toBeHidden();

  // Accept two of the five pending users.
  const pending = page.getByTestId('directory-pending');
  await expect(pending.getByTestId('pending-row')).toHaveCount(5);
  await pending.getByRole('checkbox', { name: 'Select Ana Silva 0' }).check();
  await pending.getByRole('checkbox', { name: 'Select João Silva 1' }).check();
  await pending.getByRole('button', { name: 'Accept 2 selected' }).click();
  await expect(pending.getByTestId('pending-row')).toHaveCount(3);

  await page.getByRole('tab', { name: 'Users' }).click();
  const search = page.getByRole('searchbox').first();
  await search.fill(uidOf(0));
  const row = page.getByRole('row').filter({ hasText: `${uidOf(0)}@example.com` });
  await expect(row).toContainText('Active');
  await search.fill(uidOf(2));
  await expect(page.getByRole('row').filter({ hasText: `${uidOf(2)}@example.com` })).toContainText('Pending');

  // A change in the directory arrives with the next run.
  slapd.modify(`dn: uid=${uidOf(0)},ou=people,${SUFFIX}\nchangetype: modify\nreplace: cn\ncn: Ana Renamed\n`);
  await page.getByRole('tab', { name: 'Directories' }).click();
  await page.getByRole('button', { name: 'Run import' }).click();
  await expect(preview.locator('[data-count="updates"]')).toContainText('1');
  await expect(preview.getByRole('tab', { name: 'Updated (1)' })).toHaveAttribute('aria-selected', 'true');
  await expect(preview.getByTestId('directory-plan-items')).toContainText('Ana Renamed');
  await preview.getByRole('button', { name: 'Apply' }).click();
  await expect(preview).toBeHidden();
  // The history lists both runs.
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('dialog', { name: 'Runs of Tailspin LDAP' });
  await expect(history.getByTestId('directory-history').getByRole('row').filter({ hasText: 'Applied' })).toHaveCount(2);
  await history.getByRole('button', { name: 'Close' }).last().click();

  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('searchbox').first().fill(uidOf(0));
  await expect(page.getByRole('row').filter({ hasText: `${uidOf(0)}@example.com` })).toContainText('Ana Renamed');
});
