import { en } from './en.ts';
import { es } from './es.ts';
import { pt } from './pt.ts';
import { userSheetMessages } from '../rules/user-sheet.ts';
import { identityMessages } from './identity.ts';
import { scimMessages } from './scim.ts';
import { orgSettingsMessages } from './org-settings.ts';
import { productsMessages } from './products.ts';
import { apiKeysMessages } from './api-keys.ts';
import { directoryMessages } from './directory.ts';
import { syncMessages } from './sync.ts';

export const SUPPORTED_UI_LANGUAGES = ['en', 'es', 'pt'] as const;
export type UiLanguage = (typeof SUPPORTED_UI_LANGUAGES)[number];
/** Every message the core and the renderer share; the users-spreadsheet texts live beside their rules. */
export const sharedMessages = {
  en: { ...en, ...userSheetMessages.en, ...identityMessages.en, ...scimMessages.en, ...orgSettingsMessages.en, ...productsMessages.en, ...apiKeysMessages.en, ...directoryMessages.en, ...syncMessages.en },
  es: { ...es, ...userSheetMessages.es, ...identityMessages.es, ...scimMessages.es, ...orgSettingsMessages.es, ...productsMessages.es, ...apiKeysMessages.es, ...directoryMessages.es, ...syncMessages.es },
  pt: { ...pt, ...userSheetMessages.pt, ...identityMessages.pt, ...scimMessages.pt, ...orgSettingsMessages.pt, ...productsMessages.pt, ...apiKeysMessages.pt, ...directoryMessages.pt, ...syncMessages.pt },
} as const;

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Translate a shared message key; unknown keys come back as they are (zod's own messages). */
export function translate(key: string, params?: Record<string, string | number>, lang: UiLanguage = 'en'): string {
  const template = lookup(sharedMessages[lang], key) ?? lookup(sharedMessages.en, key) ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params?.[name] ?? ''));
}

export function isMessageKey(key: string): boolean {
  return lookup(sharedMessages.en, key) !== undefined;
}
