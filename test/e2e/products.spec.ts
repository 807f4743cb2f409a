import type { Page } from '@playwright/test';
import { test, expect, dropFileOn, orgByName, switchTo } from './fixtures.ts';

const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });
const productRow = (page: Page, code: string) => page.getByTestId(`product-${code}`);
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test('Products: table, consumption chart with Report Explorer periods, CSV import, details with the license key, agent settings and groups', async ({ app: page, console: c, context }) => {
  test.setTimeout(150_000);
  const cspViolations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(c.host.url).origin });

  await switchTo(page, 'contoso pharma', 'Contoso Pharma');
  await page.getByRole('tab', { name: 'Products' }).click();

  // The table: environment, product type, code, region, created date, state, actions.
  const table = page.getByRole('table');
  for (const name of ['Environment', 'Product type', 'Code', 'Region', 'Created', 'State']) {
    await expect(table.getByRole('columnheader', { name, exact: true })).toBeVisible();
  }
  await expect(productRow(page, 'CTP-PRD-01')).toContainText('Production');
  await expect(productRow(page, 'CTP-PRD-01')).toContainText('West Europe');
  await expect(productRow(page, 'CTP-PRD-01')).toContainText('Enabled');
  await expect(productRow(page, 'CTP-TST-01')).toContainText('Analyzer');

  // Expanding a row shows the last 30 days as a chart (recharts bars, one per day with data).
  await page.getByRole('button', { name: 'Show consumption of CTP-PRD-01' }).click();
  const small = page.getByRole('figure', { name: 'Daily consumption of CTP-PRD-01' });
  await expect(small).toHaveAttribute('data-points', '30');
  await expect(small.locator('.recharts-bar-rectangle')).toHaveCount(30);
  await expect(small).toContainText('30 of 30 days with data');
  await expect(small).toContainText('Source: sample data');

  // Report Explorer enlarges it; the period filters change what it shows.
  await page.getByRole('button', { name: 'Report Explorer' }).click();
  const explorer = page.getByRole('dialog', { name: 'Report Explorer: CTP-PRD-01' });
  const big = explorer.getByRole('figure', { name: 'Daily consumption of CTP-PRD-01' });
  await expect(big).toHaveAttribute('data-points', '30');
  await explorer.getByRole('radio', { name: 'Last 7 days' }).check();
  await expect(big).toHaveAttribute('data-points', '7');
  await expect(big.locator('.recharts-bar-rectangle')).toHaveCount(7);
  await expect(big).toHaveAttribute('data-from', daysAgo(6));
  await explorer.getByRole('radio', { name: 'Last 90 days' }).check();
  await expect(big.locator('.recharts-bar-rectangle')).toHaveCount(90);
  const box = await big.locator('svg.recharts-surface').first().boundingBox();
  expect(box!.height).toBeGreaterThan(300); // enlarged
  // A custom range: the end before the start is said under the field, then a valid range.
  await explorer.getByRole('radio', { name: 'Custom range' }).check();
  await explorer.getByRole('textbox', { name: 'From', exact: true }).fill(daysAgo(3));
  await explorer.getByRole('textbox', { name: 'To', exact: true }).fill(daysAgo(10));
  await expect(explorer.getByRole('textbox', { name: 'To', exact: true })).toHaveAccessibleDescription('The end date must be on or after the start date.');
  await expect(big).toHaveCount(0);
  await explorer.getByRole('textbox', { name: 'From', exact: true }).fill(daysAgo(13));
  await expect(explorer.getByRole('figure')).toHaveAttribute('data-points', '4');
  await expect(explorer.getByRole('figure').locator('.recharts-bar-rectangle')).toHaveCount(4);
  await explorer.getByRole('button', { name: 'Close' }).click();
  await expect(explorer).toHaveCount(0);

  // Standalone consumption: a CSV of daily figures. One bad row and nothing is written.
  await page.getByRole('button', { name: 'Import consumption…' }).click();
  const importer = page.getByRole('dialog', { name: 'Import consumption (CSV)' });
  const bad = `date,product code,figure\n${daysAgo(2)},CTP-TST-01,15\n${daysAgo(1)},NOPE-99,4\n${daysAgo(1)},CTP-TST-01,-3\n`;
  await dropFileOn(page, importer.locator('.dropzone'), 'bad.csv', 'text/csv', Buffer.from(bad));
  const errors = importer.getByTestId('import-errors');
  await expect(errors).toContainText('Nothing was imported: 2 problems to fix.');
  await expect(errors.getByRole('row').nth(1)).toContainText('3Product codeNo product of this organization has the code NOPE-99.');
  await expect(errors.getByRole('row').nth(2)).toContainText('4Figure"-3" is not a whole number');
  const tst = (await c.call('products.list', { orgId: (await orgByName(c, 'Contoso Pharma')).id })).items.find((p) => p.code === 'CTP-TST-01')!;
  expect((await c.call('products.consumption', { productId: tst.id, from: daysAgo(2), to: today() })).daysWithData).toBe(3);
  const good = `Date;Product code;Figure\n${daysAgo(2)};CTP-TST-01;15\n${daysAgo(1)};CTP-TST-01;22\n`;
  await importer.getByLabel('CSV file of daily figures').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await expect(importer.getByTestId('import-summary')).toContainText('2 rows for 1 product(s)');
  await expect(importer.getByTestId('import-summary')).toContainText('0 new, 2 replaced, 0 unchanged');
  await importer.getByRole('button', { name: 'Close', exact: true }).last().click();
  const series = await c.call('products.consumption', { productId: tst.id, from: daysAgo(2), to: daysAgo(1) });
  expect(series.points.map((p) => p.figure)).toEqual([15, 22]);

  // View details: set a license key, copy it (revealed through an audited call), toggle Digital Activity.
  await productRow(page, 'CTP-TST-01').getByRole('button', { name: /Actions/ }).click();
  await page.getByRole('menuitem', { name: 'View details' }).click();
  const details = page.getByRole('dialog', { name: 'Product details' });
  await expect(details).toContainText('No license key yet');
  await details.getByRole('button', { name: 'Set key…' }).click();
  const keyDialog = page.getByRole('dialog', { name: 'License key of CTP-TST-01' });
  await keyDialog.getByLabel('License key').fill('bad key 1234');
  await keyDialog.getByRole('button', { name: 'Save key' }).click();
  await expect(keyDialog.getByLabel('License key')).toHaveAccessibleDescription('A license key has only letters, digits and dashes.');
  await keyDialog.getByLabel('License key').fill('TST-7788-ABCD-42QZ');
  await keyDialog.getByRole('button', { name: 'Save key' }).click();
  await expect(details.getByTestId('license-masked')).toHaveText('••••42QZ');
  await details.getByRole('button', { name: 'Copy' }).click();
  await expect(toast(page)).toContainText('License key copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('TST-7788-ABCD-42QZ');
  await details.getByText('Digital Activity', { exact: true }).click();
  await expect(details.getByRole('switch', { name: 'Digital Activity' })).toBeChecked();
  await expect(toast(page)).toContainText('Product CTP-TST-01 saved');
  expect((await c.call('products.get', { id: tst.id })).digitalActivity).toBe(true);
  const reveals = await c.call('audit.list', { orgId: tst.orgId, limit: 100 });
  expect(reveals.items.filter((a) => a.action === 'products.revealLicenseKey')).toHaveLength(1);
  await details.getByRole('button', { name: 'Close' }).click();

  // Agent settings: event IDs as tags (Enter and Tab), checked as they are typed; cross-setting rules.
  await productRow(page, 'CTP-PRD-01').getByRole('button', { name: /Actions/ }).click();
  await page.getByRole('menuitem', { name: 'Agent settings' }).click();
  const agent = page.getByRole('dialog', { name: 'Agent settings: CTP-PRD-01' });
  await expect(agent).toContainText('Applies to agents version 10.2.0 or later.');
  const warning = agent.getByRole('textbox', { name: 'Warning' });
  await warning.fill('70000');
  await warning.press('Enter');
  await expect(warning).toHaveAccessibleDescription('Event IDs go from 1 to 65535.');
  await warning.fill('4625');
  await warning.press('Enter');
  await warning.fill('4740');
  await warning.press('Tab');
  await expect(agent.getByRole('list', { name: 'Warning' }).getByRole('listitem')).toHaveText(['4625×', '4740×']);
  await agent.getByText('Start unattended sessions without notifying the user').click();
  await expect(agent.locator('[data-setting="silentUnattended"]')).toContainText('Silent sessions need a remote assistance type that allows unattended sessions.');
  await agent.getByLabel('Remote assistance type').selectOption({ label: 'Interactive and unattended' });
  await expect(agent.locator('[data-setting="silentUnattended"] .field-error')).toHaveCount(0);
  await agent.getByLabel('Who may run applications as system during remote sessions').selectOption({ label: 'Operators and above' });
  await expect(agent.getByRole('note').filter({ hasText: 'Risk:' })).toBeVisible();
  await agent.getByRole('radio', { name: 'Simplified' }).check();
  await expect(agent).toContainText('Simplified security has these limitations:');
  await expect(agent.locator('[data-setting="runAsSystemRole"]')).toContainText('no role may run applications as system');
  await agent.getByRole('radio', { name: 'Default' }).check();
  await agent.getByRole('button', { name: 'Save settings' }).click();
  await expect(toast(page)).toContainText('Agent settings saved');
  const prd = (await c.call('products.list', { orgId: tst.orgId })).items.find((p) => p.code === 'CTP-PRD-01')!;
  const saved = await c.call('products.agentSettings', { productId: prd.id });
  expect(saved.settings).toMatchObject({ remoteAssistance: 'interactive_unattended', silentUnattended: true, runAsSystemRole: 'operators' });
  expect(saved.settings.eventLogIds?.warning).toEqual([4625, 4740]);

  // Reporting groups: the sample's overrides say what differs; a new override through the dialog.
  await agent.getByRole('tab', { name: /Reporting groups/ }).click();
  await expect(agent.getByTestId('group-Field laptops')).toContainText('Analyzer proxy');
  await expect(agent.getByTestId('group-Laboratory devices')).toContainText('Same as the product'); // the product now allows unattended too
  await agent.getByTestId('group-Field laptops').getByRole('button', { name: 'Overrides…' }).click();
  const overrides = page.getByRole('dialog', { name: 'Overrides of Field laptops' });
  await overrides.getByRole('checkbox', { name: 'Override Security' }).check();
  await overrides.locator('[data-setting="securityMode"]').getByRole('radio', { name: 'Simplified' }).check();
  await expect(overrides.locator('[data-setting="runAsSystemRole"]')).toContainText('no role may run applications as system');
  await overrides.getByRole('checkbox', { name: 'Override Who may run applications as system during remote sessions' }).check();
  await overrides.locator('[data-setting="runAsSystemRole"] select').selectOption('nobody');
  await overrides.locator('[data-setting="silentUnattended"]').getByRole('checkbox', { name: /^Override/ }).check();
  await overrides.locator('[data-setting="silentUnattended"]').getByText('Start unattended sessions without notifying the user').click();
  await expect(overrides.locator('[data-setting="silentUnattended"]').getByRole('switch')).not.toBeChecked();
  await overrides.getByRole('button', { name: 'Save overrides' }).click();
  await expect(toast(page)).toContainText('Overrides of Field laptops saved');
  await expect(agent.getByTestId('group-Field laptops')).toContainText('Security');

  // The Organization Administrator does not see the partner's settings; the core refuses them too.
  await agent.getByRole('button', { name: 'Close' }).first().click();
  await page.getByLabel('Viewing as').selectOption({ label: 'Organization Administrator' });
  await productRow(page, 'CTP-PRD-01').getByRole('button', { name: /Actions/ }).click();
  await page.getByRole('menuitem', { name: 'Agent settings' }).click();
  const asOrgAdmin = page.getByRole('dialog', { name: 'Agent settings: CTP-PRD-01' });
  await expect(asOrgAdmin).toContainText('Some settings are managed by your partner');
  await expect(asOrgAdmin.getByText('Uninstallation protection', { exact: true })).toHaveCount(0);
  await expect(asOrgAdmin.getByText('Silent unattended remote assistance', { exact: true })).toHaveCount(0);
  await expect(asOrgAdmin.getByText('Remote assistance type', { exact: true })).toBeVisible();
  const refused = await c.core.call('products.updateAgentSettings', { productId: prd.id, baseVersion: saved.productVersion, changes: { uninstallProtection: false } });
  expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
  await asOrgAdmin.getByRole('button', { name: 'Close' }).first().click();

  // Every change is in the Audit tab under its own label, the key's reveal included.
  await page.getByRole('tab', { name: 'Audit' }).click();
  const auditTable = page.getByRole('table', { name: 'Audit' });
  for (const label of ['License key copied (revealed)', 'License key set', 'Agent settings changed', 'Reporting group overrides changed', 'Consumption imported (CSV)']) {
    await page.getByRole('combobox', { name: 'Action' }).selectOption({ label });
    await expect(auditTable.getByRole('row').filter({ hasText: label }).first()).toBeVisible();
  }

  expect(cspViolations).toEqual([]);
});
