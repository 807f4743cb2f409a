import { afterEach, describe, expect, it } from 'vitest';
import { counts, fails, ok, orgInput, testCore } from './helpers.ts';
import { newId } from '../../main/core/ids.ts';

let core: ReturnType<typeof testCore>;
afterEach(() => core?.dispose());

async function tree() {
  const { id: partner } = await ok(core, 'org.create', orgInput());
  const { id: client } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Contoso' }));
  const { id: sub } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: client, name: 'Contoso Labs' }));
  const { id: deep } = await ok(core, 'org.create', orgInput({ type: 'suborg', parentId: sub, name: 'Contoso Labs Lisbon' }));
  const { id: other } = await ok(core, 'org.create', orgInput({ type: 'client', parentId: partner, name: 'Fabrikam' }));
  return { partner, client, sub, deep, other };
}

const auditOf = async (orgId: string, prefix: string) =>
  (await ok(core, 'audit.list', { orgId })).items.filter((i) => i.action.startsWith(prefix));

describe('microservices settings', () => {
  it('starts with the default folder "Flexxible" and categories off, and saves a valid folder name with an audit entry', async () => {
    core = testCore();
    const { client } = await tree();
    const initial = await ok(core, 'microservices.get', { orgId: client });
    expect(initial).toMatchObject({ folderName: 'Flexxible', categoriesEnabled: false, inherited: false, categories: [], items: [], lastUpdate: null });
    const saved = await ok(core, 'microservices.setSettings', { orgId: client, folderName: 'Contoso_Apps-2' });
    expect(saved.folderName).toBe('Contoso_Apps-2');
    expect(saved.lastUpdate).toMatchObject({ actor: { name: expect.any(String) } });
    const entries = await auditOf(client, 'microservices.');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'microservices.setSettings', targetType: 'orgSettings',
      before: { microservicesFolder: 'Flexxible' }, after: { microservicesFolder: 'Contoso_Apps-2' } });
  });

  it.each([
    ['ab', 'too short'],
    ['a'.repeat(51), 'too long'],
    ['Mis apps', 'a space'],
    ['Carpeta.Ñ', 'a dot and a non-ASCII letter'],
    ['x/../y', 'a path'],
  ])('refuses the folder name %j (%s) with the message that says the rule, and writes nothing', async (folderName) => {
    core = testCore();
    const { client } = await tree();
    const before = counts(core);
    const e = await fails(core, 'microservices.setSettings', { orgId: client, folderName });
    expect(e.code).toBe('BAD_INPUT');
    expect(e.fields).toEqual({ folderName: [{ key: 'microservices.folder_invalid' }] });
    expect(e.message).toContain('3 to 50 characters');
    expect(e.message).toContain('letters, digits, hyphens (-) and underscores (_)');
    expect(counts(core)).toEqual(before);
    expect((await ok(core, 'microservices.get', { orgId: client })).folderName).toBe('Flexxible');
  });

  it('accepts folder names at the limits (3 and 50 characters)', async () => {
    core = testCore();
    const { client, sub } = await tree();
    expect((await ok(core, 'microservices.setSettings', { orgId: client, folderName: 'abc' })).folderName).toBe('abc');
    // The folder is each organization's own, sub-organizations included.
    expect((await ok(core, 'microservices.setSettings', { orgId: sub, folderName: 'A'.repeat(50) })).folderName).toBe('A'.repeat(50));
    expect((await ok(core, 'microservices.get', { orgId: client })).folderName).toBe('abc');
  });

  it('sets predefined categories only on the main organization; sub-organizations inherit them read-only', async () => {
    core = testCore();
    const { client, sub, deep } = await tree();
    const refused = await fails(core, 'microservices.setSettings', { orgId: sub, categoriesEnabled: true });
    expect(refused).toMatchObject({ code: 'FORBIDDEN', key: 'microservices.categories_inherited', params: { mainOrg: 'Contoso' } });
    expect(refused.message).toBe('Predefined categories are set in the main organization, Contoso.');

    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    const cat = await ok(core, 'microservices.createCategory', { orgId: client, name: 'Security' });
    const securityId = cat.categories[0]!.id;
    const seen = await ok(core, 'microservices.get', { orgId: deep });
    expect(seen).toMatchObject({ inherited: true, mainOrgId: client, mainOrgName: 'Contoso', categoriesEnabled: true });
    expect(seen.categories.map((c) => c.name)).toEqual(['Security']);
    // Editing the list from below is refused, naming where it is set.
    expect((await fails(core, 'microservices.createCategory', { orgId: sub, name: 'Ops' })).key).toBe('microservices.categories_inherited');
    // Microservices below still choose from the inherited list.
    const made = await ok(core, 'microservices.create', { orgId: deep, name: 'Scan', categoryId: securityId });
    expect(made.items[0]).toMatchObject({ categoryName: 'Security' });
  });

  it('a partner keeps its own settings and categories for its own microservices', async () => {
    core = testCore();
    const { partner, client } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: partner, categoriesEnabled: true });
    await ok(core, 'microservices.createCategory', { orgId: partner, name: 'Internal' });
    const p = await ok(core, 'microservices.get', { orgId: partner });
    expect(p).toMatchObject({ inherited: false, categoriesEnabled: true });
    // Its clients are main organizations of their own: nothing is inherited from the partner.
    expect(await ok(core, 'microservices.get', { orgId: client })).toMatchObject({ inherited: false, categoriesEnabled: false, categories: [] });
  });
});

describe('microservices and their categories', () => {
  it('with predefined categories on, a category can only be chosen from the main organization\'s list', async () => {
    core = testCore();
    const { client, sub, other } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    const security = (await ok(core, 'microservices.createCategory', { orgId: client, name: 'Security' })).categories[0]!;
    await ok(core, 'microservices.setSettings', { orgId: other, categoriesEnabled: true });
    const foreign = (await ok(core, 'microservices.createCategory', { orgId: other, name: 'Foreign' })).categories[0]!;

    const before = counts(core);
    const free = await fails(core, 'microservices.create', { orgId: sub, name: 'Disk cleanup', category: 'Maintenance' });
    expect(free.fields).toEqual({ category: [{ key: 'microservices.category_from_list' }] });
    const elsewhere = await fails(core, 'microservices.create', { orgId: sub, name: 'Disk cleanup', categoryId: foreign.id });
    expect(elsewhere.fields).toEqual({ categoryId: [{ key: 'microservices.category_unknown' }] });
    expect(counts(core)).toEqual(before);

    const made = await ok(core, 'microservices.create', { orgId: sub, name: 'Disk cleanup', description: 'Frees space', categoryId: security.id });
    expect(made.items).toEqual([expect.objectContaining({ name: 'Disk cleanup', description: 'Frees space', categoryId: security.id, categoryName: 'Security' })]);
    const dup = await fails(core, 'microservices.create', { orgId: sub, name: 'DISK CLEANUP' });
    expect(dup.fields).toEqual({ name: [{ key: 'microservices.name_taken' }] });
    expect((await ok(core, 'microservices.get', { orgId: client })).categories).toEqual([{ id: security.id, name: 'Security', microservices: 1 }]);
  });

  it('with predefined categories off, a microservice takes a free category and refuses a predefined one', async () => {
    core = testCore();
    const { client } = await tree();
    const v = await ok(core, 'microservices.create', { orgId: client, name: 'Printer reset', category: ' Printing ' });
    expect(v.items[0]).toMatchObject({ categoryId: null, categoryName: 'Printing' });
    const e = await fails(core, 'microservices.update', { id: v.items[0]!.id, categoryId: '01900000-0000-7000-8000-000000000000' });
    expect(e.fields).toEqual({ categoryId: [{ key: 'microservices.categories_off' }] });
  });

  it('renames, recategorizes and deletes a microservice, each audited', async () => {
    core = testCore();
    const { client } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    const cats = await ok(core, 'microservices.createCategory', { orgId: client, name: 'Network' });
    const id = (await ok(core, 'microservices.create', { orgId: client, name: 'VPN fix' })).items[0]!.id;
    const renamed = await ok(core, 'microservices.update', { id, baseVersion: 1, name: 'VPN repair', categoryId: cats.categories[0]!.id });
    expect(renamed.items[0]).toMatchObject({ name: 'VPN repair', categoryName: 'Network', version: 2 });
    // Based on version 1, the name changed since: a conflict, nothing written.
    expect((await fails(core, 'microservices.update', { id, baseVersion: 1, name: 'Other' })).code).toBe('CONFLICT');
    expect(await ok(core, 'microservices.delete', { id })).toEqual({ deleted: 1 });
    expect((await ok(core, 'microservices.get', { orgId: client })).items).toEqual([]);
    expect((await auditOf(client, 'microservices.')).map((a) => a.action)).toEqual([
      'microservices.delete', 'microservices.update', 'microservices.create', 'microservices.createCategory', 'microservices.setSettings',
    ]);
  });

  it('turning predefined categories off needs a confirmation, then removes every association in the tree (audited)', async () => {
    core = testCore();
    const { client, sub, deep, other } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    const [ops] = (await ok(core, 'microservices.createCategory', { orgId: client, name: 'Ops' })).categories;
    await ok(core, 'microservices.create', { orgId: client, name: 'A', categoryId: ops!.id });
    await ok(core, 'microservices.create', { orgId: sub, name: 'B', categoryId: ops!.id });
    await ok(core, 'microservices.create', { orgId: deep, name: 'C', categoryId: ops!.id });
    await ok(core, 'microservices.create', { orgId: deep, name: 'D' });
    await ok(core, 'microservices.create', { orgId: other, name: 'Elsewhere', category: 'Kept' });

    const before = counts(core);
    const unconfirmed = await fails(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: false });
    expect(unconfirmed).toMatchObject({ code: 'BAD_INPUT', key: 'microservices.confirm_uncategorize', params: { count: 3 } });
    expect(counts(core)).toEqual(before);
    expect((await ok(core, 'microservices.get', { orgId: client })).categoriesEnabled).toBe(true);

    const off = await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: false, confirmUncategorize: true });
    expect(off).toMatchObject({ categoriesEnabled: false, uncategorized: 3 });
    for (const orgId of [client, sub, deep]) {
      for (const m of (await ok(core, 'microservices.get', { orgId })).items) expect(m).toMatchObject({ categoryId: null, categoryName: null });
    }
    const stored = core.db.prepare('SELECT count(*) AS n FROM microservices WHERE category_id IS NOT NULL').get() as { n: number };
    expect(stored.n).toBe(0);
    // The category list itself stays for when they are switched on again.
    expect((await ok(core, 'microservices.get', { orgId: client })).categories.map((c) => c.name)).toEqual(['Ops']);
    // Another main organization is untouched.
    expect((await ok(core, 'microservices.get', { orgId: other })).items[0]).toMatchObject({ categoryName: 'Kept' });
    // Each lost association is in the audit log of its own organization, under the one switch.
    const deepLog = (await auditOf(deep, 'microservices.setSettings'));
    expect(deepLog).toEqual([expect.objectContaining({ targetType: 'microservice', targetLabel: 'C', before: { categoryId: ops!.id }, after: { categoryId: null } })]);
    const mutationIds = new Set(core.db.prepare(`SELECT mutation_id FROM audit WHERE action = 'microservices.setSettings' AND after LIKE '%categoryId%'`).all()
      .map((r) => (r as { mutation_id: string }).mutation_id));
    expect(mutationIds.size).toBe(1);
  });

  it('switching off with thousands of categorized microservices runs as one long mutation in the apply worker, all or nothing', async () => {
    core = testCore();
    const { client, sub } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    const cat = (await ok(core, 'microservices.createCategory', { orgId: client, name: 'Bulk' })).categories[0]!;
    // Arranged in one transaction through the pipeline (1,500 creates through the API would mostly test the API).
    core.deps.mutations.run('test.arrange', core.profile(), (w) => {
      for (let i = 0; i < 1500; i++) {
        w.create('microservice', newId(), { orgId: i % 2 ? client : sub, name: `Job ${i}`, description: '', categoryId: cat.id, categoryText: null });
      }
    });
    expect((await ok(core, 'microservices.get', { orgId: client })).categories[0]!.microservices).toBe(1500);
    const off = await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: false, confirmUncategorize: true });
    expect(off.uncategorized).toBe(1500);
    const left = core.db.prepare('SELECT count(*) AS n FROM microservices WHERE category_id IS NOT NULL').get() as { n: number };
    expect(left.n).toBe(0);
    const mutations = core.db.prepare(`SELECT count(DISTINCT mutation_id) AS m, count(*) AS n FROM audit WHERE action = 'microservices.setSettings'`).get() as { m: number; n: number };
    // The first switch (on) was its own mutation; the switch off is one more, with 1,500 + 1 entries.
    expect(mutations).toEqual({ m: 2, n: 1 + 1501 });
  });

  it('turning categories off with no categorized microservice needs no confirmation', async () => {
    core = testCore();
    const { client } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    expect(await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: false })).toMatchObject({ categoriesEnabled: false, uncategorized: 0 });
  });

  it('turning categories on turns the free categories of the tree into predefined ones', async () => {
    core = testCore();
    const { client, sub } = await tree();
    await ok(core, 'microservices.create', { orgId: client, name: 'A', category: 'Printing' });
    await ok(core, 'microservices.create', { orgId: sub, name: 'B', category: 'printing' });
    await ok(core, 'microservices.create', { orgId: sub, name: 'C', category: 'Backup' });
    const on = await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    expect(on.categories.map((c) => [c.name, c.microservices])).toEqual([['Backup', 1], ['Printing', 2]]);
    expect((await ok(core, 'microservices.get', { orgId: sub })).items.map((m) => [m.name, m.categoryName])).toEqual([['B', 'Printing'], ['C', 'Backup']]);
  });

  it('deleting a category uncategorizes its microservices, reports how many, and logs each', async () => {
    core = testCore();
    const { client, sub } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    await ok(core, 'microservices.createCategory', { orgId: client, name: 'Ops' });
    const cats = await ok(core, 'microservices.createCategory', { orgId: client, name: 'Security' });
    const ops = cats.categories.find((c) => c.name === 'Ops')!;
    const security = cats.categories.find((c) => c.name === 'Security')!;
    await ok(core, 'microservices.create', { orgId: client, name: 'A', categoryId: ops.id });
    await ok(core, 'microservices.create', { orgId: sub, name: 'B', categoryId: ops.id });
    await ok(core, 'microservices.create', { orgId: sub, name: 'C', categoryId: security.id });
    expect((await ok(core, 'microservices.get', { orgId: client })).categories.map((c) => c.microservices)).toEqual([2, 1]);

    expect(await ok(core, 'microservices.deleteCategory', { id: ops.id })).toEqual({ uncategorized: 2 });
    const after = await ok(core, 'microservices.get', { orgId: sub });
    expect(after.categories.map((c) => c.name)).toEqual(['Security']);
    expect(after.items.map((m) => [m.name, m.categoryName])).toEqual([['B', null], ['C', 'Security']]);
    expect((await ok(core, 'microservices.get', { orgId: client })).items[0]).toMatchObject({ name: 'A', categoryId: null });
    const log = (await auditOf(client, 'microservices.deleteCategory')).map((a) => [a.targetType, a.targetLabel]);
    expect(log).toEqual(expect.arrayContaining([['microserviceCategory', 'Ops'], ['microservice', 'A']]));
    expect((await fails(core, 'microservices.deleteCategory', { id: ops.id })).code).toBe('NOT_FOUND');
  });

  it('category names are required and unique (case-insensitively); deleting an empty category uncategorizes none', async () => {
    core = testCore();
    const { client } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: client, categoriesEnabled: true });
    const cat = (await ok(core, 'microservices.createCategory', { orgId: client, name: 'Ops' })).categories[0]!;
    const dupe = await fails(core, 'microservices.createCategory', { orgId: client, name: ' ops ' });
    expect(dupe.fields).toEqual({ name: [{ key: 'microservices.category_taken' }] });
    const empty = await fails(core, 'microservices.createCategory', { orgId: client, name: '   ' });
    expect(empty.fields).toEqual({ name: [{ key: 'microservices.category_name_required' }] });
    expect((await ok(core, 'microservices.deleteCategory', { id: cat.id })).uncategorized).toBe(0);
  });

  it('creating a category while predefined categories are off is refused', async () => {
    core = testCore();
    const { client } = await tree();
    expect((await fails(core, 'microservices.createCategory', { orgId: client, name: 'Ops' })).key).toBe('microservices.categories_off');
  });

  it('deleting an organization takes its microservices, categories, report categories and modules with it', async () => {
    core = testCore();
    const { other } = await tree();
    await ok(core, 'microservices.setSettings', { orgId: other, categoriesEnabled: true, folderName: 'Fab' });
    const cat = (await ok(core, 'microservices.createCategory', { orgId: other, name: 'Ops' })).categories[0]!;
    await ok(core, 'microservices.create', { orgId: other, name: 'A', categoryId: cat.id });
    await ok(core, 'reports.setSettings', { orgId: other, categoriesEnabled: true });
    await ok(core, 'reports.createCategory', { orgId: other, name: 'Usage' });
    await ok(core, 'modules.create', { orgId: other, label: 'Wiki', url: 'https://wiki.example', visibility: 'featured' });
    await ok(core, 'org.delete', { id: other });
    for (const table of ['org_settings', 'microservices', 'microservice_categories', 'report_categories', 'portal_modules']) {
      expect((core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n).toBe(0);
    }
  });
});

describe('sample data', () => {
  it('the sample client shows microservices, categories, report categories and modules; removing the sample takes them away', async () => {
    core = testCore({ seedSample: true });
    const { items } = await ok(core, 'org.tree', {});
    const contoso = items.find((o) => o.name === 'Contoso Pharma')!;
    const research = items.find((o) => o.name === 'Contoso Research')!;
    const ms = await ok(core, 'microservices.get', { orgId: contoso.id });
    expect(ms).toMatchObject({ folderName: 'Contoso-Apps', categoriesEnabled: true });
    expect(ms.categories.map((c) => c.name)).toEqual(['Maintenance', 'Network', 'Security']);
    expect(ms.items.length).toBeGreaterThan(0);
    expect((await ok(core, 'microservices.get', { orgId: research.id })).inherited).toBe(true);
    expect((await ok(core, 'reports.get', { orgId: contoso.id })).categories.map((c) => c.name)).toEqual(['Compliance', 'Usage']);
    const modules = (await ok(core, 'modules.list', { orgId: contoso.id })).items;
    expect(modules.some((m) => m.custom) && modules.some((m) => !m.custom)).toBe(true);
    await ok(core, 'sample.remove', {});
    for (const table of ['org_settings', 'microservices', 'microservice_categories', 'report_categories', 'portal_modules']) {
      expect((core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
  });
});

describe('reports', () => {
  it('creates and edits report categories only while predefined categories are on', async () => {
    core = testCore();
    const { client } = await tree();
    expect((await ok(core, 'reports.get', { orgId: client })).categoriesEnabled).toBe(false);
    expect((await fails(core, 'reports.createCategory', { orgId: client, name: 'Usage' })).key).toBe('reports.categories_off');
    await ok(core, 'reports.setSettings', { orgId: client, categoriesEnabled: true });
    const made = await ok(core, 'reports.createCategory', {
      orgId: client, name: 'Usage', description: 'Who uses what', queries: ['Sessions per day', 'sessions per day', 'Top apps'],
    });
    expect(made).toMatchObject({ name: 'Usage', description: 'Who uses what', queries: ['Sessions per day', 'Top apps'], queryCount: 2, version: 1 });
    expect(made.createdBy).toMatchObject({ name: expect.any(String) });
    const edited = await ok(core, 'reports.updateCategory', { id: made.id, baseVersion: 1, description: 'Usage of the workspace', queries: ['Top apps'] });
    expect(edited).toMatchObject({ name: 'Usage', description: 'Usage of the workspace', queryCount: 1, version: 2 });
    const dup = await fails(core, 'reports.createCategory', { orgId: client, name: 'USAGE' });
    expect(dup.fields).toEqual({ name: [{ key: 'reports.name_taken' }] });
    const long = await fails(core, 'reports.createCategory', { orgId: client, name: 'x'.repeat(61) });
    expect(long.fields).toEqual({ name: [{ key: 'reports.name_too_long' }] });
    // Switching off keeps the categories but refuses edits until switched on again.
    await ok(core, 'reports.setSettings', { orgId: client, categoriesEnabled: false });
    expect((await ok(core, 'reports.get', { orgId: client })).categories).toHaveLength(1);
    expect((await fails(core, 'reports.updateCategory', { id: made.id, name: 'Other' })).key).toBe('reports.categories_off');
    const actions = (await auditOf(client, 'reports.')).map((a) => [a.action, a.targetType]);
    expect(actions).toEqual([
      ['reports.setSettings', 'orgSettings'], ['reports.updateCategory', 'reportCategory'], ['reports.createCategory', 'reportCategory'],
      ['reports.setSettings', 'orgSettings'],
    ]);
  });

  it('the audit log can be filtered to the report entries by action prefix', async () => {
    core = testCore();
    const { client } = await tree();
    await ok(core, 'reports.setSettings', { orgId: client, categoriesEnabled: true });
    await ok(core, 'reports.createCategory', { orgId: client, name: 'Usage' });
    await ok(core, 'microservices.setSettings', { orgId: client, folderName: 'Other' });
    const list = await ok(core, 'audit.list', { orgId: client, actionPrefix: 'reports.' });
    expect(list.items.map((i) => i.action)).toEqual(['reports.createCategory', 'reports.setSettings']);
  });
});

describe('modules', () => {
  it('creates, edits and deletes custom modules; URLs must be https', async () => {
    core = testCore();
    const { client } = await tree();
    const before = counts(core);
    for (const [url, key] of [['http://intranet.example', 'modules.url_https'], ['javascript:alert(1)', 'modules.url_https'],
      ['intranet', 'modules.url_invalid'], ['', 'modules.url_required'], ['https://bob:pw@intranet.example', 'modules.url_credentials']]) {
      const e = await fails(core, 'modules.create', { orgId: client, label: 'Intranet', url, visibility: 'featured' });
      expect(e.fields, url).toEqual({ url: [{ key }] });
    }
    expect((await fails(core, 'modules.create', { orgId: client, label: 'X', url: 'https://x.example', visibility: 'top' })).fields)
      .toEqual({ visibility: [{ key: 'modules.visibility_invalid' }] });
    expect(counts(core)).toEqual(before);

    const wiki = await ok(core, 'modules.create', { orgId: client, label: 'Wiki', url: 'https://wiki.contoso.example', visibility: 'secondary' });
    await ok(core, 'modules.create', { orgId: client, label: 'Intranet', url: 'https://intranet.contoso.example/home', visibility: 'featured' });
    expect(wiki).toMatchObject({ custom: true, visibility: 'secondary', version: 1 });
    expect((await fails(core, 'modules.create', { orgId: client, label: 'wiki', url: 'https://a.example', visibility: 'featured' })).fields)
      .toEqual({ label: [{ key: 'modules.label_taken' }] });
    const moved = await ok(core, 'modules.update', { id: wiki.id, baseVersion: 1, visibility: 'featured', label: 'Team wiki' });
    expect(moved).toMatchObject({ label: 'Team wiki', visibility: 'featured', version: 2 });
    expect((await fails(core, 'modules.update', { id: wiki.id, url: 'http://wiki.example' })).fields).toEqual({ url: [{ key: 'modules.url_https' }] });
    const listed = await ok(core, 'modules.list', { orgId: client });
    expect(listed.items.map((m) => m.label)).toEqual(['Intranet', 'Team wiki']);
    expect(await ok(core, 'modules.delete', { id: wiki.id })).toEqual({ deleted: 1 });
    expect((await auditOf(client, 'modules.')).map((a) => a.action)).toEqual(['modules.delete', 'modules.update', 'modules.create', 'modules.create']);
  });
});
