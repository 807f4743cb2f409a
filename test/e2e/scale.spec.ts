import { test, expect } from './fixtures.ts';

test('with 3,000+ organizations the palette finds one by type-ahead in well under a second', async ({ page, console: c }) => {
  test.setTimeout(90_000);
  // 30 partners x 100 clients, created through the core.
  const partners = await Promise.all(
    Array.from({ length: 30 }, (_, p) =>
      c.call('org.create', { type: 'partner', parentId: null, name: `Partner ${String(p + 1).padStart(2, '0')}`, email: `p${p}@msp.example`, language: 'en', country: 'US', sector: 'technology' }),
    ),
  );
  const creates: Promise<unknown>[] = [];
  for (let i = 0; i < 3000; i++) {
    const partner = partners[i % 30]!;
    const name = i === 2345 ? 'Zephyr Ångström Labs' : `Client ${String(i).padStart(4, '0')}`;
    creates.push(c.call('org.create', { type: 'client', parentId: partner.id, name, email: `c${i}@client.example`, language: 'en', country: 'GB', sector: 'retail' }));
  }
  await Promise.all(creates);

  await page.goto(c.host.url);
  const tree = page.getByRole('tree', { name: 'Organization tree' });
  await expect(tree).toBeVisible();
  await expect(page.getByText('3,040 organizations', { exact: true })).toBeVisible();
  // Virtualized: only a window of the expanded rows is in the DOM.
  expect(await tree.getByRole('treeitem').count()).toBeLessThan(120);

  await page.keyboard.press('Control+k');
  const input = page.getByRole('combobox', { name: 'Search organizations…' });
  await expect(input).toBeFocused();
  const started = Date.now();
  await input.pressSequentially('angstr');
  await expect(page.getByRole('listbox').getByRole('option').first()).toContainText('Zephyr Ångström Labs');
  const elapsed = Date.now() - started;
  expect(elapsed).toBeLessThan(1000);
  await expect(page.getByRole('listbox').getByRole('option').first()).toContainText(/Partner \d\d/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zephyr Ångström Labs');
  // The tree shows it, selected.
  await expect(tree.getByRole('treeitem', { name: 'Zephyr Ångström Labs' })).toHaveAttribute('aria-selected', 'true');

  // Keyboard through the tree: End goes to the last row (rendered on demand), Home to the first.
  await tree.focus();
  await page.keyboard.press('End');
  await expect(tree.getByRole('treeitem').last()).toBeVisible();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northwind IT Services (sample)');
});
