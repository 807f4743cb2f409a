/**
 * Domains and SSO Integrations in Chromium over a real core: domains verified against a DNS server
 * on 127.0.0.1 (dnsmasq) set through the tab's DNS server field; a Custom SAML connection created
 * from a metadata file (certificates made by openssl for the test); SCIM enabled, its token shown
 * once, then revealed for 30 seconds and copied to the clipboard, which is cleared after 60.
 */
import type { Page } from '@playwright/test';
import { test, expect, openUsers, switchTo } from './fixtures.ts';
import { signedResponse } from '../fixtures/identity/saml-idp.ts';
import { startDns, type TestDns } from '../fixtures/identity/dns.ts';
import { idpMetadataXml, makeCertificate } from '../fixtures/identity/certs.ts';

const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });
let dns: TestDns | null = null;

test.afterEach(async () => {
  await dns?.close();
  dns = null;
});

async function register(page: Page, name: string) {
  await page.getByRole('button', { name: 'Register domain' }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a domain' });
  await dialog.getByRole('textbox', { name: 'Domain name' }).fill(name);
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog).toHaveCount(0);
  const detail = page.getByTestId('domain-detail');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(name.toLowerCase());
  return { name: await detail.getByTestId('txt-name').inputValue(), value: await detail.getByTestId('txt-value').inputValue() };
}

test('domains: register, verify against a DNS server, wrong value and no record explained, remove with a warning', async ({ app: page }) => {
  await switchTo(page, 'tailspin toys', 'Tailspin Toys');
  await page.getByRole('tab', { name: 'Domains' }).click();
  await expect(page.getByText('No domains yet.')).toBeVisible();

  // Bad input: a clear message under the field, nothing registered.
  await page.getByRole('button', { name: 'Register domain' }).click();
  const dialog = page.getByRole('dialog', { name: 'Register a domain' });
  await dialog.getByRole('textbox', { name: 'Domain name' }).fill('tailspin');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Domain name' })).toHaveAccessibleDescription(/full domain name with its ending/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  const tailspin = await register(page, 'Tailspin.test');
  expect(tailspin.name).toBe('_orgdesk-verification.tailspin.test');
  expect(tailspin.value).toMatch(/^orgdesk-verification=/);
  const wingtip = await register(page, 'wingtip.test');
  await register(page, 'northwind.test');
  const table = page.getByTestId('domains-table');
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.locator('tr[data-domain="tailspin.test"]')).toContainText('Not verified');

  // The record is copied with its button.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await table.locator('tr[data-domain="tailspin.test"]').getByRole('button', { name: 'Details' }).click();
  await page.getByTestId('domain-detail').getByRole('button', { name: 'Copy: Value' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tailspin.value);

  dns = await startDns({ [tailspin.name]: ['v=spf1 -all', tailspin.value], [wingtip.name]: ['orgdesk-verification=not-this-one'] }, ['test']);
  const resolver = page.getByTestId('dns-server');
  await resolver.fill('localhost');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(resolver).toHaveAccessibleDescription(/Enter an IP address/);
  await resolver.fill(dns.server);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(toast(page)).toContainText('DNS server saved.');

  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(toast(page)).toContainText('tailspin.test is verified.');
  await expect(table.locator('tr[data-domain="tailspin.test"]')).toContainText('Verified');
  await expect(page.getByTestId('domain-check')).toContainText('holds the expected value');

  await table.locator('tr[data-domain="wingtip.test"]').getByRole('button', { name: 'Details' }).click();
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByTestId('domain-check')).toContainText('not with the expected value. Found: “orgdesk-verification=not-this-one”');
  await expect(table.locator('tr[data-domain="wingtip.test"]')).toContainText('Not verified');

  await table.locator('tr[data-domain="northwind.test"]').getByRole('button', { name: 'Details' }).click();
  await page.getByRole('button', { name: 'Verify now' }).click();
  await expect(page.getByTestId('domain-check')).toContainText('No TXT record was found at _orgdesk-verification.northwind.test');

  await table.locator('tr[data-domain="northwind.test"]').getByRole('button', { name: 'Remove' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove northwind.test?' });
  await expect(confirm).toContainText('can no longer sign in with SAML single sign-on until the domain is registered and verified again');
  await confirm.getByRole('button', { name: 'Remove domain' }).click();
  await expect(table.getByRole('row')).toHaveCount(3);

  // A sub-organization sees its main organization's domains, read-only.
  await switchTo(page, 'tailspin stores', 'Tailspin Stores');
  await page.getByRole('tab', { name: 'Domains' }).click();
  await expect(page.getByText('Domains are managed in Tailspin Toys')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Register domain' })).toHaveCount(0);
  await expect(page.getByTestId('domains-table').getByRole('row')).toHaveCount(3);
});

test('SSO: Custom SAML connection from a metadata file, expiring certificate flagged, SCIM token shown once, revealed, copied and cleared', async ({ app: page, console: c }) => {
  test.setTimeout(120_000);
  await page.clock.install();
  await page.reload();
  await expect(page.getByRole('tree', { name: 'Organization tree' })).toBeVisible();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

  // Arrange a verified domain through the core (the first test covers the UI for it).
  const tree = await c.call('org.tree', {});
  const tailspin = tree.items.find((o) => o.name === 'Tailspin Toys')!;
  const domain = await c.call('domains.add', { orgId: tailspin.id, name: 'tailspin.test' });
  dns = await startDns({ [domain.txtRecord.name]: [domain.txtRecord.value] }, ['test']);
  await c.call('identity.settings.set', { dnsServer: dns.server });
  expect((await c.call('domains.verify', { id: domain.id })).status).toBe('verified');

  const soon = makeCertificate('Tailspin IdP signing', 12);
  const metadata = idpMetadataXml({ entityId: 'https://idp.tailspin.test/saml', ssoUrl: 'https://idp.tailspin.test/sso', certs: [soon.certBase64] });

  await switchTo(page, 'tailspin toys', 'Tailspin Toys');
  await page.getByRole('tab', { name: 'SSO Integrations' }).click();
  await expect(page.getByText('No SSO connections yet.')).toBeVisible();
  await page.getByRole('button', { name: 'New connection' }).click();
  await page.getByRole('menuitem', { name: 'Custom SAML' }).click();
  const wizard = page.getByRole('dialog', { name: 'New Custom SAML connection' });
  await wizard.getByTestId('sso-name').fill('Tailspin SSO');
  await wizard.getByRole('button', { name: 'Next' }).click();
  // What to paste into the identity manager.
  await expect(wizard.getByTestId('sp-acs-url')).toHaveValue(/\/saml\/[0-9a-f-]{36}\/acs$/);
  await expect(wizard.getByTestId('sp-entity-id')).toHaveValue(/\/saml\/[0-9a-f-]{36}$/);
  const download = page.waitForEvent('download');
  await wizard.getByRole('button', { name: 'Download SP metadata (XML)' }).click();
  expect((await download).suggestedFilename()).toMatch(/^orgdesk-sp-metadata-.*\.xml$/);
  await wizard.getByRole('button', { name: 'Next' }).click();
  // The identity manager's side, from its metadata file.
  await wizard.getByRole('radio', { name: 'Metadata file' }).check();
  await wizard.getByLabel('Metadata XML file').setInputFiles({ name: 'idp-metadata.xml', mimeType: 'application/xml', buffer: Buffer.from(metadata) });
  await expect(wizard.getByTestId('idp-entity-id')).toHaveValue('https://idp.tailspin.test/saml');
  await expect(wizard.getByTestId('idp-sso-url')).toHaveValue('https://idp.tailspin.test/sso');
  await expect(wizard.getByTestId('cert-info')).toContainText('CN=Tailspin IdP signing');
  await expect(wizard.getByTestId('cert-info')).toContainText('Expires soon');
  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByRole('checkbox', { name: 'tailspin.test' })).toBeChecked();
  await wizard.getByRole('button', { name: 'Create connection' }).click();
  await expect(wizard).toHaveCount(0);
  await expect(toast(page)).toContainText('Tailspin SSO created.');

  const row = page.getByTestId('sso-table').locator('tr[data-connection="Tailspin SSO"]');
  await expect(row).toContainText('SAML');
  await expect(row).toContainText('Expires soon');
  await expect(row).toContainText('tailspin.test');
  await expect(page.getByTestId('cert-alert')).toContainText('The signing certificate of Tailspin SSO expires on');
  // ...and on the organization, beside its name, whatever tab is open.
  await page.getByRole('tab', { name: 'General' }).click();
  await expect(page.getByTestId('org-cert-flag')).toHaveText('SSO certificate expires soon');
  await page.getByTestId('org-cert-flag').click();
  await expect(page.getByRole('tab', { name: 'SSO Integrations' })).toHaveAttribute('aria-selected', 'true');

  // SCIM: the token in full once, then masked.
  const scim = page.getByTestId('scim-panel');
  await scim.getByRole('button', { name: 'Enable SCIM user provisioning' }).click();
  const once = page.getByRole('dialog', { name: 'Your SCIM token' });
  const token = await once.getByTestId('scim-token-once').inputValue();
  expect(token).toMatch(/^odscim_[\w-]{40,}$/);
  await once.getByRole('button', { name: 'I have saved the token' }).click();
  await expect(scim.getByTestId('scim-token')).toHaveText(/^odscim_•+$/);
  await expect(scim.getByTestId('scim-endpoint')).toHaveValue(/\/scim\/v2$/);
  await expect(page.getByText(token)).toHaveCount(0);

  // Reveal: shown, then hidden again after 30 seconds.
  await scim.getByRole('button', { name: 'Reveal' }).click();
  await expect(scim.getByTestId('scim-token')).toHaveText(token);
  await expect(scim.getByText(/Hidden again in \d+ s/)).toBeVisible();
  await page.clock.runFor(31_000);
  await expect(scim.getByTestId('scim-token')).toHaveText(/^odscim_•+$/);

  // Copy: on the clipboard, cleared after 60 seconds if still there.
  await scim.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(toast(page)).toContainText('The clipboard is cleared in 60 seconds.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await page.clock.runFor(61_000);
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('');

  // Both were audited, without the token.
  const audit = await c.call('audit.list', { orgId: tailspin.id, limit: 200 });
  const actions = audit.items.map((a) => a.action);
  expect(actions).toContain('sso.scim.reveal');
  expect(actions).toContain('sso.scim.copy');
  expect(JSON.stringify(audit)).not.toContain(token.slice(7));
  // ...and the Audit tab says so in words.
  await page.getByRole('tab', { name: 'Audit' }).click();
  await expect(page.getByRole('cell', { name: 'SCIM token revealed' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'SCIM token copied' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'SSO connection created' }).first()).toBeVisible();
  await expect(page.getByText(token.slice(7))).toHaveCount(0);
  await page.getByRole('tab', { name: 'SSO Integrations' }).click();

  // Rotate: a new token shown once; the old one no longer revealed.
  await scim.getByRole('button', { name: 'Rotate' }).click();
  await page.getByRole('dialog', { name: 'Rotate the SCIM token of Tailspin SSO?' }).getByRole('button', { name: 'Rotate token' }).click();
  const rotated = await page.getByRole('dialog', { name: 'Your SCIM token' }).getByTestId('scim-token-once').inputValue();
  expect(rotated).not.toBe(token);
  await page.getByRole('button', { name: 'I have saved the token' }).click();
  await scim.getByRole('button', { name: 'Reveal' }).click();
  await expect(scim.getByTestId('scim-token')).toHaveText(rotated);

  // Renew the certificate by hand: the flag goes away.
  const renewed = makeCertificate('Tailspin IdP signing 2027', 730);
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Tailspin SSO' });
  await edit.getByRole('radio', { name: 'Enter by hand' }).check();
  await edit.getByRole('textbox', { name: 'Signing certificate (PEM)' }).fill('not a certificate');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByRole('textbox', { name: 'Signing certificate (PEM)' })).toHaveAccessibleDescription(/Certificate 1 could not be read/);
  await edit.getByRole('textbox', { name: 'Signing certificate (PEM)' }).fill(renewed.certPem);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toHaveCount(0);
  await expect(row).toContainText('Valid until');
  await expect(row).not.toContainText('Expires soon');
  await expect(page.getByTestId('cert-alert')).toHaveCount(0);
  await expect(page.getByTestId('org-cert-flag')).toHaveCount(0);
});

test('SAML sign-in at the Portal is recorded on the user\'s Microsoft Entra ID card', async ({ app: page, console: c, portal }) => {
  const tree = await c.call('org.tree', {});
  const tailspin = tree.items.find((o) => o.name === 'Tailspin Toys')!;
  const mail = await c.call('mail.settings.get', {});
  await c.call('mail.settings.set', {
    host: mail.host, port: mail.port, security: mail.security, username: mail.username, fromAddress: mail.fromAddress, fromName: mail.fromName,
    portalBaseUrl: portal.origin,
  });
  const domain = await c.call('domains.add', { orgId: tailspin.id, name: 'tailspin.test' });
  dns = await startDns({ [domain.txtRecord.name]: [domain.txtRecord.value] }, ['test']);
  await c.call('identity.settings.set', { dnsServer: dns.server });
  await c.call('domains.verify', { id: domain.id });
  const idp = makeCertificate('Microsoft Azure Federated SSO Certificate', 1095);
  const issuer = 'https://sts.windows.net/7d1c0000-0000-4000-8000-00000000aaaa/';
  const connection = await c.call('sso.create', {
    id: crypto.randomUUID(), orgId: tailspin.id, kind: 'entra', name: 'Tailspin Entra ID', idpEntityId: issuer,
    idpSsoUrl: 'https://login.microsoftonline.example/7d1c/saml2', certificates: [idp.certPem], domainIds: [domain.id],
  });
  await c.call('users.create', { orgId: tailspin.id, name: 'Megan Bowen', email: 'megan@tailspin.test', roleId: '00000000-0000-7000-8000-000000000002' });

  // The identity manager posts a signed response to the Portal's ACS.
  const { samlResponse } = signedResponse({
    issuer, destination: connection.sp.acsUrl, audience: connection.sp.entityId, nameId: 'megan@tailspin.test', email: 'megan@tailspin.test',
    keyPem: idp.keyPem, certPem: idp.certPem,
    attributes: { 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role': 'Store Manager', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/mobilephone': '+44 20 7946 0000' },
  });
  const res = await fetch(connection.sp.acsUrl, { method: 'POST', body: new URLSearchParams({ SAMLResponse: samlResponse }) });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Megan Bowen');

  await openUsers(page, 'tailspin toys', 'Tailspin Toys');
  const grid = page.getByRole('grid', { name: 'Users of Tailspin Toys' });
  await grid.getByRole('row', { name: /Megan Bowen/ }).getByRole('button', { name: 'Megan Bowen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Megan Bowen' });
  await dialog.getByRole('tab', { name: 'Authentication' }).click();
  const entra = dialog.getByRole('region', { name: 'Microsoft Entra ID' });
  await expect(entra.getByText('Connected', { exact: true })).toBeVisible();
  const fact = (label: string) => entra.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  await expect(fact('Role')).toHaveText('Store Manager');
  await expect(fact('Phone')).toHaveText('+44 20 7946 0000');
  await expect(fact('Sign-ins')).toHaveText('1');
  await expect(fact('Last address')).toHaveText('127.0.0.1');
  await expect(fact('Last sign-in')).not.toHaveText('Never');
  await expect(dialog.getByRole('region', { name: 'Google' }).getByText('Not connected')).toBeVisible();
});
