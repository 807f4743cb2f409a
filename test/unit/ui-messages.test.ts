import { describe, expect, it } from 'vitest';
import { mergeMessages } from '../../renderer/i18n/merge-messages.ts';
import { en } from '../../renderer/i18n/en.ts';
import { es } from '../../renderer/i18n/es.ts';
import { pt } from '../../renderer/i18n/pt.ts';
import { identityUi } from '../../renderer/i18n/identity.ts';
import { scimUi } from '../../renderer/i18n/scim.ts';
import { orgSettingsUi } from '../../renderer/i18n/org-settings.ts';
import { productsUi } from '../../renderer/i18n/products.ts';
import { apiKeysUi } from '../../renderer/i18n/api-keys.ts';
import { directoryUi } from '../../renderer/i18n/directory.ts';
import { syncUi } from '../../renderer/i18n/sync.ts';

const features = [identityUi, scimUi, orgSettingsUi, productsUi, apiKeysUi, directoryUi, syncUi];

describe('UI messages merged from every feature', () => {
  it('deep-merges groups and refuses a key defined twice', () => {
    expect(mergeMessages({ audit: { actions: { a: 'A' } } }, { audit: { actions: { b: 'B' } } })).toEqual({ audit: { actions: { a: 'A', b: 'B' } } });
    expect(() => mergeMessages({ tabs: { users: 'Users' } }, { tabs: { users: 'People' } })).toThrow('"tabs.users" is defined twice');
    expect(() => mergeMessages({ users: 'x' }, { users: { a: 'b' } })).toThrow('"users" is defined twice');
  });

  it('no feature redefines another one\'s wording, in any language', () => {
    for (const [lang, base] of [['en', en], ['es', es], ['pt', pt]] as const) {
      expect(() => mergeMessages(base, ...features.map((f) => f[lang]))).not.toThrow();
    }
  });

  it('every language has the keys English has', () => {
    const keys = (tree: unknown, path = ''): string[] =>
      tree !== null && typeof tree === 'object' && !Array.isArray(tree)
        ? Object.entries(tree).flatMap(([k, v]) => keys(v, path ? `${path}.${k}` : k))
        : [path];
    const english = keys(mergeMessages(en, ...features.map((f) => f.en))).sort();
    for (const lang of ['es', 'pt'] as const) {
      const base = lang === 'es' ? es : pt;
      expect(keys(mergeMessages(base, ...features.map((f) => f[lang]))).sort()).toEqual(english);
    }
  });
});
