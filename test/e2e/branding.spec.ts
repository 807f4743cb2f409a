import type { Page } from '@playwright/test';
import { test, expect, switchTo, PNG_2X2, SVG_WITH_SCRIPT } from './fixtures.ts';

/** Drop a file on an element the way the OS does: a drop event carrying a DataTransfer. */
async function dropFile(page: Page, selector: ReturnType<Page['locator']>, name: string, type: string, bytes: Buffer) {
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name, type }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      // Runs in the page (this file is type-checked without the DOM lib).
      const DT = (globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } }).DataTransfer;
      const dt = new DT();
      dt.items.add(new File([data], name, { type }));
      return dt;
    },
    { b64: bytes.toString('base64'), name, type },
  );
  await selector.dispatchEvent('dragenter', { dataTransfer });
  await selector.dispatchEvent('drop', { dataTransfer });
}

test('upload a logo with preview before saving, set a colour; an SVG is refused', async ({ app: page }) => {
  await switchTo(page, 'fabrikam log', 'Fabrikam Logística');
  await page.getByRole('tab', { name: 'Branding' }).click();
  const logo = page.getByRole('group', { name: 'Logo' });
  const cover = page.getByRole('group', { name: 'Cover image' });
  await expect(logo.getByText('No image')).toBeVisible();

  // Choose a PNG: it is previewed (a local blob:) and marked as not saved yet.
  await logo.locator('input[type="file"]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG_2X2 });
  const preview = logo.getByRole('img');
  await expect(preview).toHaveAttribute('src', /^blob:/);
  await expect(logo.getByText('Not saved yet')).toBeVisible();
  await expect(logo).toContainText('PNG · 2×2 px');

  // An SVG dropped on the cover is refused by content, before anything is sent.
  await dropFile(page, cover.locator('.dropzone'), 'cover.png', 'image/png', SVG_WITH_SCRIPT);
  await expect(cover.getByRole('alert')).toHaveText(
    'SVG images are not accepted because they can contain scripts. Use PNG, JPEG or WebP.',
  );
  await expect(cover.getByText('Not saved yet')).toHaveCount(0);

  // A colour: a wrong hex is explained under the field and blocks saving; a good one saves.
  const primary = page.getByRole('textbox', { name: 'Primary', exact: true });
  await expect(primary).toHaveValue('#1F5EFF');
  await primary.fill('#12345');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(primary).toHaveAccessibleDescription('Use a colour in the form #RRGGBB, for example #1F5EFF.');
  await primary.fill('#d9480f');
  await expect(primary).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Primary colour picker')).toHaveValue('#d9480f');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Saved');
  await expect(logo.getByText('Not saved yet')).toHaveCount(0);
  await expect(page.getByText(/^Last updated .+ by root$/)).toBeVisible();

  // After a reload the stored logo (a data: URL from the core) and colour are there.
  await page.reload();
  await page.getByRole('tab', { name: 'Branding' }).click();
  await expect(page.getByRole('group', { name: 'Logo' }).getByRole('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(page.getByRole('textbox', { name: 'Primary', exact: true })).toHaveValue('#D9480F');

  // Dropping a good PNG on the cover works too; Remove on the logo marks it for removal.
  await dropFile(page, page.getByRole('group', { name: 'Cover image' }).locator('.dropzone'), 'cover.png', 'image/png', PNG_2X2);
  await expect(page.getByRole('group', { name: 'Cover image' }).getByRole('img')).toHaveAttribute('src', /^blob:/);
  await page.getByRole('group', { name: 'Logo' }).getByRole('button', { name: /Remove image/ }).click();
  await expect(page.getByRole('group', { name: 'Logo' }).getByText('Will be removed when you save')).toBeVisible();
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('group', { name: 'Logo' }).getByText('No image')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Cover image' }).getByRole('img')).toHaveAttribute('src', /^data:image\/png/);
});
