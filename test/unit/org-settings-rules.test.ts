import { describe, expect, it } from 'vitest';
import { folderNameProblem, homeLayout, moduleUrlProblem, queryLines } from '../../shared/rules/org-settings.ts';
import { FolderName, ModuleUrl } from '../../shared/model/org-settings.ts';
import { translate } from '../../shared/i18n/index.ts';

describe('microservices folder name', () => {
  it.each(['Flexxible', 'abc', 'A'.repeat(50), 'my-apps_2', '123', '---'])('accepts %j', (name) => {
    expect(folderNameProblem(name)).toBeNull();
    expect(FolderName.safeParse(name).success).toBe(true);
  });

  it.each(['', 'ab', 'A'.repeat(51), 'my apps', 'apps.v2', 'Açúcar', 'a/b', 'x\\y', 'tab\there'])('refuses %j', (name) => {
    expect(folderNameProblem(name)).toBe('microservices.folder_invalid');
    const parsed = FolderName.safeParse(name);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['microservices.folder_invalid']);
  });

  it('trims before checking, as the core stores it', () => {
    expect(FolderName.parse('  Apps  ')).toBe('Apps');
  });

  it('says the whole rule in every language', () => {
    expect(translate('microservices.folder_invalid')).toMatch(/3 to 50 characters.*letters, digits, hyphens \(-\) and underscores \(_\)/);
    expect(translate('microservices.folder_invalid', undefined, 'es')).toMatch(/entre 3 y 50 caracteres.*letras, dígitos, guiones/);
    expect(translate('microservices.folder_invalid', undefined, 'pt')).toMatch(/entre 3 e 50 caracteres.*letras, dígitos, hífenes/);
  });
});

describe('module URL', () => {
  it.each([
    ['https://intranet.example', null],
    ['https://apps.example.com:8443/tool?x=1#top', null],
    ['  https://wiki.example  ', null],
    ['http://intranet.example', 'modules.url_https'],
    ['ftp://files.example', 'modules.url_https'],
    ['javascript:alert(1)', 'modules.url_https'],
    ['data:text/html,hi', 'modules.url_https'],
    ['intranet.example', 'modules.url_invalid'],
    ['', 'modules.url_required'],
    ['https://user:pass@intranet.example', 'modules.url_credentials'],
  ])('%j -> %s', (url, problem) => {
    expect(moduleUrlProblem(url)).toBe(problem);
    const parsed = ModuleUrl.safeParse(url);
    expect(parsed.success).toBe(problem === null);
    if (problem) expect(parsed.error?.issues[0]?.message).toBe(problem);
  });
});

describe('Home preview', () => {
  it('shows featured modules first and the secondary ones under View more, each by label', () => {
    const m = (label: string, visibility: 'featured' | 'secondary') => ({ label, visibility });
    const layout = homeLayout([m('wiki', 'secondary'), m('Workspaces', 'featured'), m('Analyzer', 'featured'), m('Billing', 'secondary')]);
    expect(layout.featured.map((x) => x.label)).toEqual(['Analyzer', 'Workspaces']);
    expect(layout.more.map((x) => x.label)).toEqual(['Billing', 'wiki']);
  });
});

describe('report queries typed one per line', () => {
  it('drops blank lines and surrounding spaces', () => {
    expect(queryLines(' Sessions per day \r\n\n  \nTop apps\n')).toEqual(['Sessions per day', 'Top apps']);
  });
});

describe('messages', () => {
  it('every Microservices, Reports and Modules message exists in Spanish and Portuguese, with the same placeholders', async () => {
    const { orgSettingsMessages } = await import('../../shared/i18n/org-settings.ts');
    const { orgSettingsUi } = await import('../../renderer/i18n/org-settings.ts');
    const flat = (o: object, prefix = ''): Record<string, string> => Object.fromEntries(Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flat(v as object, `${prefix}${k}.`))));
    const holes = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const set of [orgSettingsMessages, orgSettingsUi]) {
      const en = flat(set.en);
      for (const lang of ['es', 'pt'] as const) {
        const other = flat(set[lang]);
        expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
        for (const [key, text] of Object.entries(en)) expect(holes(other[key]!), `${lang} ${key}`).toEqual(holes(text));
      }
    }
  });
});
