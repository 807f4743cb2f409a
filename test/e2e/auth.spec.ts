import type { Page } from '@playwright/test';
import { generate } from 'otplib';
import { linkIn } from '../fixtures/auth/smtp.ts';
import { test, expect, openUsers, orgByName, switchTo } from './fixtures.ts';

const toast = (page: Page) => page.getByRole('status', { name: 'Notifications' });
const PASSWORD = 'tailspin kites fly 42 high';
const STEP = 30;
const nowStep = () => Math.floor(Date.now() / 1000 / STEP);
const codeFor = (secret: string, step: number) => generate({ secret, epoch: step * STEP });

/** A six-digit code that is none of the codes the core would accept around now. */
async function wrongCode(secret: string): Promise<string> {
  const near = new Set(await Promise.all([-1, 0, 1, 2].map((d) => codeFor(secret, nowStep() + d))));
  for (const c of ['000000', '123456', '999999']) if (!near.has(c)) return c;
  throw new Error('unreachable');
}

/** Set the console's Email delivery to the capture server and the Portal, through the dialog. */
async function setUpEmailDelivery(page: Page, smtpPort: number, portalOrigin: string) {
  await page.getByRole('button', { name: /Email delivery/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Email delivery' });
  await expect(dialog.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByText(/^Not set up yet/)).toBeVisible();

  // Validation: nothing typed yet, then a portal address that is not a URL.
  await dialog.getByRole('textbox', { name: 'Portal public address' }).fill('portal.example');
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Host' })).toHaveAccessibleDescription('Enter the SMTP server’s host name.');
  await expect(dialog.getByRole('textbox', { name: 'Host' })).toBeFocused();
  await expect(dialog.getByRole('textbox', { name: 'Sender address' })).toHaveAccessibleDescription('Enter the address the emails are sent from.');
  await expect(dialog.getByRole('textbox', { name: 'Portal public address' })).toHaveAccessibleDescription(/starting with https:\/\//);

  await dialog.getByRole('textbox', { name: 'Host' }).fill('127.0.0.1');
  // Choosing "None" moves the usual STARTTLS port to the plain one; then the capture server's port.
  await dialog.getByLabel('Security').selectOption({ label: 'None (unencrypted)' });
  await expect(dialog.getByRole('textbox', { name: 'Port', exact: true })).toHaveValue('25');
  await expect(dialog.getByLabel('Security')).toHaveAccessibleDescription(/travel unencrypted/);
  await dialog.getByRole('textbox', { name: 'Port', exact: true }).fill('70000');
  await dialog.getByRole('textbox', { name: 'Sender address' }).fill('no-reply@tailspin.example');
  await dialog.getByRole('textbox', { name: 'Sender name' }).fill('Tailspin IT');
  await dialog.getByRole('textbox', { name: 'Portal public address' }).fill(`${portalOrigin}/`);
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Port', exact: true })).toHaveAccessibleDescription(/port from 1 to 65535/);
  await dialog.getByRole('textbox', { name: 'Port', exact: true }).fill(String(smtpPort));
  await dialog.getByRole('button', { name: 'Save settings' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(toast(page)).toContainText('Email delivery settings saved');
}

test('email login from the console to the Portal: welcome email, password policy, authenticator, codes, recovery, Regenerate', async ({ app: page, console: c, mailbox, portal }) => {
  test.setTimeout(90_000);
  await setUpEmailDelivery(page, mailbox.port, portal.origin);
  const settings = await c.call('mail.settings.get', {});
  expect(settings).toMatchObject({ host: '127.0.0.1', port: mailbox.port, security: 'none', portalBaseUrl: portal.origin, configured: true, passwordSet: false });

  // Users tab: resending a reset email needs email login, and says so; then switch email login on.
  await openUsers(page, 'tailspin toys', 'Tailspin Toys');
  const grid = page.getByRole('grid', { name: 'Users of Tailspin Toys' });
  await grid.getByRole('checkbox', { name: 'Select Nestor Wilke' }).check();
  const bulk = page.getByRole('region', { name: 'Selected users' });
  await bulk.getByRole('button', { name: 'Email login actions' }).click();
  const resend = page.getByRole('menuitem', { name: 'Resend password reset email' });
  await expect(resend).toHaveAttribute('aria-disabled', 'true');
  await expect(resend).toHaveAccessibleDescription('The selected user does not have email login enabled.');
  await resend.click({ force: true }); // nothing happens: the menu stays open
  await expect(page.getByRole('menu')).toBeVisible();
  await page.getByRole('menuitem', { name: 'Enable email login' }).click();
  await expect(toast(page)).toContainText('Email login enabled for 1 user');
  await expect(grid.getByRole('row', { name: /Nestor Wilke/ }).getByRole('gridcell').nth(7)).toHaveText('Yes');

  // The welcome email, sent through the capture server, links to the Portal.
  const welcome = await mailbox.next(0);
  expect(welcome.subject).toBe('Create your password for Tailspin Toys');
  expect(welcome.from?.text).toContain('no-reply@tailspin.example');
  const link = linkIn(welcome);
  expect(link.startsWith(`${portal.origin}/set-password?token=`)).toBe(true);

  // The person opens the link: a weak password is refused with the policy, then a good one.
  const user = await page.context().newPage();
  await user.goto(link);
  await expect(user.getByRole('heading', { name: 'Create your password' })).toBeVisible();
  await user.getByLabel('New password').fill('Password1234');
  await user.getByLabel('Type the password again').fill('Password1234');
  await user.getByRole('button', { name: 'Save password' }).click();
  await expect(user.getByRole('alert')).toHaveText('This password is one of the most common ones and easy to guess. Choose another.');
  await user.getByLabel('New password').fill(PASSWORD);
  await user.getByLabel('Type the password again').fill(PASSWORD);
  await user.getByRole('button', { name: 'Save password' }).click();

  // Enrolment: the key under "Cannot scan?" feeds the authenticator (otplib here).
  await expect(user.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
  await expect(user.getByRole('img', { name: 'QR code' })).toBeVisible();
  const secret = (await user.locator('#secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await user.getByLabel('Six-digit code').fill(await wrongCode(secret));
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('alert')).toContainText('That code is not right.');
  const enrolStep = nowStep();
  await user.getByLabel('Six-digit code').fill(await codeFor(secret, enrolStep));
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('heading', { name: 'Your recovery code' })).toBeVisible();
  const recovery = (await user.locator('#recovery-code').textContent())!.trim();
  expect(recovery).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
  await user.getByRole('link', { name: 'Continue' }).click();
  await expect(user.getByRole('heading', { name: 'Your sign-in methods' })).toBeVisible();
  await expect(user.locator('body')).not.toContainText(recovery); // shown once
  await user.getByRole('button', { name: 'Sign out' }).click();
  await expect(user.getByRole('status')).toHaveText('You are signed out.');

  const signIn = async () => {
    await user.goto(`${portal.origin}/sign-in`);
    await user.getByLabel('Email address').fill('nestor.wilke@tailspin.example');
    await user.getByLabel('Password').fill(PASSWORD);
    await user.getByRole('button', { name: 'Sign in' }).click();
  };

  // Sign in with the next code (the one used at enrolment is spent).
  await signIn();
  await expect(user.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  const code = await codeFor(secret, enrolStep + 1);
  await user.getByLabel('Six-digit code or recovery code').fill(code);
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('heading', { name: 'Your sign-in methods' })).toBeVisible();
  await user.getByRole('button', { name: 'Sign out' }).click();

  // The same code again, and a wrong one, are refused with a clear message; the recovery code works.
  await signIn();
  await user.getByLabel('Six-digit code or recovery code').fill(code);
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('alert')).toHaveText('That code was already used. Wait for the next code in your authenticator app and enter it.');
  await user.getByLabel('Six-digit code or recovery code').fill(await wrongCode(secret));
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('alert')).toContainText('That code is not right.');
  await user.getByLabel('Six-digit code or recovery code').fill(recovery.toLowerCase());
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('status')).toContainText('so it no longer works. Here is your new one.');
  const recovery2 = (await user.locator('#recovery-code').textContent())!.trim();
  expect(recovery2).not.toBe(recovery);
  await user.getByRole('link', { name: 'Continue' }).click();
  await expect(user.getByRole('heading', { name: 'Your sign-in methods' })).toBeVisible();

  // The console: the user's Authentication view shows what happened, and Regenerate resets two-factor.
  await page.bringToFront();
  await grid.getByRole('row', { name: /Nestor Wilke/ }).getByRole('button', { name: 'Nestor Wilke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit Nestor Wilke' });
  await dialog.getByRole('tab', { name: 'Authentication' }).click();
  const card = dialog.getByRole('region', { name: 'Email and password' });
  await expect(card.getByText('Enabled', { exact: true })).toBeVisible();
  await expect(card.getByRole('definition').filter({ hasText: /^Set/ })).toBeVisible();
  await expect(card.locator('dt', { hasText: 'Sign-ins' }).locator('xpath=following-sibling::dd[1]')).toHaveText('3'); // enrolment, code, recovery code
  await expect(card.locator('dt', { hasText: 'Last address' }).locator('xpath=following-sibling::dd[1]')).toHaveText('127.0.0.1');
  await expect(card.getByText('Enrolled', { exact: true })).toBeVisible();
  await expect(card.getByRole('row', { name: /Authenticator app/ }).getByRole('cell').first()).not.toHaveText('Never');
  await expect(card.getByRole('row', { name: /Recovery code/ }).getByRole('cell').nth(1)).toHaveText('Not used');
  await card.getByText(/^Last \d+ sign-in attempts$/).click();
  await expect(card.getByRole('listitem').filter({ hasText: 'Authenticator code — code already used' })).toHaveCount(1);
  await expect(card.getByRole('listitem').filter({ hasText: 'Recovery code' }).filter({ hasText: 'succeeded' })).toHaveCount(1);
  await expect(dialog.getByRole('region', { name: 'Microsoft Entra ID' })).toContainText('Not connected');
  await expect(dialog.getByRole('region', { name: 'Google' })).toContainText('Not connected');

  await card.getByRole('button', { name: 'Regenerate' }).click();
  const confirm = page.getByRole('dialog', { name: 'Regenerate two-factor for Nestor Wilke?' });
  await expect(confirm).toContainText('set up an authenticator app again');
  await confirm.getByRole('button', { name: 'Regenerate two-factor' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(toast(page)).toContainText('Two-factor reset for Nestor Wilke');
  await expect(card.getByText('Not set up', { exact: true }).first()).toBeVisible();
  await expect(card.getByRole('button', { name: 'Regenerate' })).toBeDisabled();

  // Resend from the card: a password reset email arrives.
  const seen = mailbox.messages.length;
  await card.getByRole('button', { name: 'Resend password reset email' }).click();
  await expect(toast(page)).toContainText('Password reset email queued for nestor.wilke@tailspin.example');
  expect((await mailbox.next(seen)).subject).toBe('Choose a new password for Tailspin Toys');
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();

  // The Portal session ended with the reset; the next sign-in asks for enrolment again.
  await user.bringToFront();
  await user.reload();
  await expect(user.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await signIn();
  await expect(user.getByRole('heading', { name: 'Set up your authenticator app' })).toBeVisible();
  const secret2 = (await user.locator('#secret').textContent())!.trim();
  expect(secret2).not.toBe(secret);

  // The outbox lists both emails as sent.
  await page.bringToFront();
  await page.getByRole('button', { name: /Email delivery/ }).click();
  const mailDialog = page.getByRole('dialog', { name: 'Email delivery' });
  await mailDialog.getByRole('tab', { name: 'Outbox' }).click();
  const outbox = mailDialog.getByRole('table', { name: 'Outbox' });
  await expect(outbox.getByRole('row', { name: /Create your password for Tailspin Toys/ })).toContainText('Sent');
  await expect(outbox.getByRole('row', { name: /Choose a new password/ })).toContainText('Sent');
});

test('disabling email/password on the main organization, with its typed name, ends the user’s sign-in', async ({ app: page, console: c, mailbox, portal }) => {
  // Arranged through the core: delivery settings, a user with email login, a password and an authenticator.
  await c.call('mail.settings.set', {
    host: '127.0.0.1', port: mailbox.port, security: 'none', username: '', fromAddress: 'no-reply@tailspin.example', fromName: '', portalBaseUrl: portal.origin,
  });
  const tailspin = await orgByName(c, 'Tailspin Toys');
  const nestor = (await c.call('users.list', { orgId: tailspin.id, query: 'nestor' })).items[0]!;
  await c.call('users.setEmailLogin', { ids: [nestor.id], enabled: true });
  const user = await page.context().newPage();
  await user.goto(linkIn(await mailbox.next(0)));
  await user.getByLabel('New password').fill(PASSWORD);
  await user.getByLabel('Type the password again').fill(PASSWORD);
  await user.getByRole('button', { name: 'Save password' }).click();
  const secret = (await user.locator('#secret').textContent())!.trim();
  await user.getByLabel('Six-digit code').fill(await codeFor(secret, nowStep()));
  await user.getByRole('button', { name: 'Verify' }).click();
  await expect(user.getByRole('heading', { name: 'Your recovery code' })).toBeVisible();

  // A sub-organization shows the setting read-only and leads to where it is set.
  await page.bringToFront();
  await switchTo(page, 'tailspin stores', 'Tailspin Stores');
  await page.getByRole('tab', { name: 'Authentication' }).click();
  await expect(page.getByRole('note')).toContainText('This setting belongs to Tailspin Toys');
  await expect(page.getByRole('button', { name: /Disable email\/password/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Go to Tailspin Toys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tailspin Toys' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Authentication' })).toHaveAttribute('aria-selected', 'true');
  const counts = page.getByRole('region', { name: 'Users of Tailspin Toys and its sub-organizations' });
  await expect(counts.locator('dt', { hasText: 'With a password' }).locator('xpath=following-sibling::dd[1]')).toHaveText('1');
  await expect(counts.locator('dt', { hasText: 'With an authenticator app' }).locator('xpath=following-sibling::dd[1]')).toHaveText('1');

  // The typed confirmation: the button waits for the exact name; the dialog says what is lost for good.
  await page.getByRole('button', { name: 'Disable email/password authentication' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable email/password authentication for Tailspin Toys?' });
  await expect(dialog).toContainText('Every password, authenticator app and recovery code of Tailspin Toys and all its sub-organizations is deleted');
  await expect(dialog).toContainText('Enabling it again does not bring them back');
  await expect(dialog).toContainText('1 user loses email login');
  const typed = dialog.getByRole('textbox', { name: 'Type the organization name to confirm' });
  const go = dialog.getByRole('button', { name: 'Disable and delete credentials' });
  await typed.fill('Tailspin');
  await expect(go).toBeDisabled();
  await typed.fill('Tailspin Toys');
  await go.click();
  await expect(dialog).toHaveCount(0);
  await expect(toast(page)).toContainText('Email/password authentication disabled for Tailspin Toys — 1 password and 1 authenticator app deleted');
  await expect(page.getByTestId('auth-state')).toHaveText('Disabled');
  await expect(page.getByRole('button', { name: 'Enable email/password authentication' })).toBeVisible();

  // The Portal: the session is gone, and signing in is refused.
  await user.bringToFront();
  await user.goto(`${portal.origin}/profile`);
  await expect(user.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await user.getByLabel('Email address').fill('nestor.wilke@tailspin.example');
  await user.getByLabel('Password').fill(PASSWORD);
  await user.getByRole('button', { name: 'Sign in' }).click();
  await expect(user.getByRole('alert')).toHaveText('The email address or the password is not correct.');

  // Switching back on restores nothing: the user has no email login and no password.
  await page.bringToFront();
  await page.getByRole('button', { name: 'Enable email/password authentication' }).click();
  await expect(page.getByTestId('auth-state')).toHaveText('Enabled');
  await expect(counts.locator('dt', { hasText: 'With email login' }).locator('xpath=following-sibling::dd[1]')).toHaveText('0');
  await expect(counts.locator('dt', { hasText: 'With a password' }).locator('xpath=following-sibling::dd[1]')).toHaveText('0');
});
