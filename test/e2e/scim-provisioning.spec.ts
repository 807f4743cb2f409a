/**
 * SCIM provisioning end to end: an identity manager (this test, as a SCIM client over real HTTP)
 * provisions users and a group through a Portal started on the console's own core (the fixtures'
 * `portal`: one database, as in production); the console shows the SCIM Provisioning tab, a role
 * is mapped, the users appear in the Users tab, and Sync assigned roles says what it changed.
 *
 * The token is issued the way SSO Integrations does (issueScimToken inside a mutation), through a
 * second, short-lived core on the same data dir: SQLite's WAL lets it write beside the console's.
 */
import type { Page } from '@playwright/test';
import { test, expect, orgByName, switchTo } from './fixtures.ts';
import { createCore } from '../../main/core/create-core.ts';
import { MemorySecretStore } from '../../main/core/secrets/memory-secret-store.ts';
import { issueScimToken, SCIM_BASE_PATH } from '../../main/core/identity/scim-tokens.ts';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** The Users tab with sub-organizations included (the switch resets when the tab is left). */
async function openUsersTab(page: Page) {
  await page.getByRole('tab', { name: 'Users' }).click();
  const subOrgs = page.getByRole('switch', { name: 'Include sub-organizations' });
  await expect(subOrgs).toBeVisible();
  if (!(await subOrgs.isChecked())) await page.getByText('Include sub-organizations').click();
  await expect(subOrgs).toBeChecked();
}
const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });

test('provision over SCIM, map a role, see the users, sync assigned roles', async ({ app: page, console: c, portal }) => {
  const tailspin = await orgByName(c, 'Tailspin Toys');
  const setup = createCore({ dataDir: c.dataDir, secrets: new MemorySecretStore(), seedSample: false, log: () => undefined, mail: { enabled: false } });
  const token = setup.deps.mutations.run('test.scim.token', setup.profile(), (w) =>
    issueScimToken(w, setup.db, { orgId: tailspin.id, connectionId: 'e2e-entra' }, new Date()).token);
  setup.close();

  const scim = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${portal.origin}${SCIM_BASE_PATH}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) as { id: string } : null };
  };

  // Before any group, no SCIM tab.
  await switchTo(page, 'tailspin toys', 'Tailspin Toys');
  await expect(page.getByRole('tab', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'SCIM Provisioning' })).toHaveCount(0);

  // The identity manager provisions two users (one of them in Entra's "False"-string habit later) and a group.
  const ids: string[] = [];
  for (const [given, family] of [['Kim', 'Akers'], ['Lee', 'Gu']] as const) {
    const userName = `${given.toLowerCase()}.${family.toLowerCase()}@tailspin.example`;
    const r = await scim('POST', '/Users', { schemas: [USER], userName, name: { givenName: given, familyName: family }, emails: [{ type: 'work', primary: true, value: userName }], active: true });
    expect(r.status).toBe(201);
    ids.push(r.body!.id);
  }
  const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Store Managers', members: ids.map((value) => ({ value })) });
  expect(group.status).toBe(201);

  // Users without a mapped role are not in the Users list yet.
  await openUsersTab(page);
  const grid = page.getByRole('grid', { name: 'Users of Tailspin Toys' });
  await expect(grid).toBeVisible();
  await expect(grid.getByRole('row', { name: /Kim Akers/ })).toHaveCount(0);

  // The tab appears once groups were pushed; map the group to a role in a sub-organization.
  const scimTab = page.getByRole('tab', { name: 'SCIM Provisioning' });
  await expect(scimTab).toBeVisible();
  await scimTab.click();
  const table = page.getByRole('table', { name: 'Synced groups' });
  const groupRow = table.getByRole('row', { name: /Store Managers/ });
  await expect(groupRow).toContainText('2');
  await expect(groupRow).toContainText('Not mapped');
  await groupRow.getByRole('button', { name: 'Assign a role to Store Managers' }).click();
  const dialog = page.getByRole('dialog', { name: 'Role for Store Managers' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Role')).toHaveAccessibleDescription('Choose a role for this group.');
  await dialog.getByLabel('Sub-organization').selectOption({ label: 'Tailspin Toys / Tailspin Stores' });
  await dialog.getByLabel('Role').selectOption({ label: 'Operator' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(toast(page)).toContainText('Store Managers now maps to Operator.');
  await expect(groupRow).toContainText('Operator');
  await expect(groupRow).toContainText('Tailspin Stores');

  // Now they are listed (still Read-only in the main organization until synced), created by SCIM.
  await openUsersTab(page);
  await expect(grid.getByRole('row', { name: /Kim Akers/ })).toBeVisible();
  await expect(grid.getByRole('row', { name: /Lee Gu/ })).toContainText('Read-only');

  // Sync assigned roles: the summary says exactly what changed.
  await scimTab.click();
  await page.getByRole('button', { name: 'Sync assigned roles' }).click();
  const summary = page.getByRole('dialog', { name: 'Sync assigned roles: summary' });
  await expect(summary).toContainText('2 users changed:');
  await expect(summary).toContainText('Kim Akers (kim.akers@tailspin.example), group Store Managers: Read-only → Operator, moved from Tailspin Toys to Tailspin Stores');
  await expect(summary).toContainText('Lee Gu (lee.gu@tailspin.example), group Store Managers: Read-only → Operator');
  await summary.getByText('Close', { exact: true }).click();

  await openUsersTab(page);
  await expect(grid.getByRole('row', { name: /Kim Akers/ })).toContainText('Operator');
  await expect(grid.getByRole('row', { name: /Kim Akers/ })).toContainText('Tailspin Stores');

  // A second sync changes nothing, and says so.
  await scimTab.click();
  await page.getByRole('button', { name: 'Sync assigned roles' }).click();
  await expect(page.getByRole('dialog', { name: 'Sync assigned roles: summary' })).toContainText('already has its group\'s role. Nothing changed.');
  await page.keyboard.press('Escape');

  // Entra ID deactivates with the string "False": the user is archived, seen as such in the console.
  const off = await scim('PATCH', `/Users/${ids[1]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
  expect(off.status).toBe(200);
  await openUsersTab(page);
  await expect(grid.getByRole('row', { name: /Lee Gu/ })).toContainText('Archived');
});
